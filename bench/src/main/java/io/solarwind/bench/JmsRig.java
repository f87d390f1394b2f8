package io.solarwind.bench;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Solar Wind (publish to {@code solarwind.inbound}, purposes registered over HTTP, the
 * dispatcher copies) or the same Artemis broker used directly (one queue, or a multicast
 * address with one durable shared subscription per direct purpose), through the same JMS
 * client code: persistent sends with completion listeners, transacted consumers.
 */
public final class JmsRig implements Rig {
    /** The development admin (liberty/security-dev.xml, dev-broker-users.properties): the bench server runs with them. */
    static final String USER = System.getProperty("solarwind.bench.user", "admin");
    static final String PASSWORD = System.getProperty("solarwind.bench.password", "admin-dev-only");
    static final String AUTHORIZATION = "Basic " + java.util.Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private static final int WINDOW = 1000;
    private static final int ACK_EVERY = 50;

    private final boolean solarWind;
    private final String broker;
    private final String http;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Connection> connections = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private final Map<String, Destination> publishTo = new HashMap<>();
    private final List<String> registered = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();
    private ActiveMQConnectionFactory factory;
    private volatile boolean running;
    private boolean overHttp;

    private JmsRig(boolean solarWind, String broker, String http) {
        this.solarWind = solarWind;
        this.broker = broker;
        this.http = http;
    }

    public static JmsRig solarWind(String broker, String http) {
        return new JmsRig(true, broker, http);
    }

    public static JmsRig rawArtemis(String broker) {
        return new JmsRig(false, broker, null);
    }

    @Override
    public void start(Scenario scenario, String run, Meter meter) throws Exception {
        overHttp = solarWind && scenario.overHttp();
        factory = new ActiveMQConnectionFactory(broker);
        factory.setConfirmationWindowSize(1024 * 1024);
        running = true;
        boolean oneQueue = scenario.purposes().size() == 1 && !scenario.counted().fanout() && scenario.topics() == 1;
        for (String topic : scenario.topicNames(run)) {
            for (Scenario.Group group : scenario.purposes()) {
                boolean counted = group == scenario.counted();
                for (int i = 0; i < group.instances(); i++) {
                    Connection c = connect();
                    Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                    MessageConsumer consumer;
                    if (solarWind) {
                        if (i == 0) {
                            register(topic, group);
                        }
                        String name = "solarwind." + (group.fanout() ? "fanout." : "direct.") + topic + "." + group.purpose();
                        consumer = s.createConsumer(group.fanout() ? s.createTopic(name) : s.createQueue(name));
                    } else if (oneQueue) {
                        consumer = s.createConsumer(s.createQueue(topic));
                        queues.add(topic);
                    } else if (group.fanout()) {
                        consumer = s.createConsumer(s.createTopic(topic));
                    } else {
                        consumer = s.createSharedDurableConsumer(s.createTopic(topic), topic + "." + group.purpose());
                        queues.add(topic + "." + group.purpose());
                    }
                    consume(s, consumer, counted, meter);
                }
            }
            if (!solarWind) {
                publishTo.put(topic, oneQueue ? org.apache.activemq.artemis.jms.client.ActiveMQDestination.createQueue(topic)
                        : org.apache.activemq.artemis.jms.client.ActiveMQDestination.createTopic(topic));
            }
        }
    }

    private void register(String topic, Scenario.Group group) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(http + "/api/v1/topics/" + topic + "/purposes/" + group.purpose())).header("Authorization", AUTHORIZATION)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"exchange\":\"" + (group.fanout() ? "fanout" : "direct") + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new IllegalStateException("registering " + topic + "/" + group.purpose() + ": " + r.statusCode() + " " + r.body());
        }
        registered.add("/api/v1/topics/" + topic + "/purposes/" + group.purpose());
    }

    private Connection connect() throws Exception {
        Connection c = factory.createConnection(USER, PASSWORD);
        c.start();
        synchronized (connections) {
            connections.add(c);
        }
        return c;
    }

    private void consume(Session session, MessageConsumer consumer, boolean counted, Meter meter) {
        Thread t = new Thread(() -> {
            int uncommitted = 0;
            try {
                while (running) {
                    Message m = consumer.receive(100);
                    if (m == null) {
                        if (uncommitted > 0) {
                            session.commit();
                            uncommitted = 0;
                        }
                        continue;
                    }
                    meter.delivered(counted, m.propertyExists("bench_sent") ? m.getLongProperty("bench_sent")
                            : Long.parseLong(m.getStringProperty("ce_benchsent")));
                    if (++uncommitted >= ACK_EVERY) {
                        session.commit();
                        uncommitted = 0;
                    }
                }
            } catch (Exception e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }, "consumer");
        t.setDaemon(true);
        t.start();
        consumers.add(t);
    }

    @Override
    public Publisher publisher() throws Exception {
        if (overHttp) {
            return httpPublisher();
        }
        Connection c = connect();
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        Destination inbound = session.createTopic("solarwind.inbound");
        Semaphore window = new Semaphore(WINDOW);
        CompletionListener done = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                window.release();
            }

            @Override
            public void onException(Message message, Exception exception) {
                window.release();
                exception.printStackTrace();
            }
        };
        return new Publisher() {
            @Override
            public void publish(String topic, byte[] data) throws Exception {
                window.acquire();
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(data);
                m.setLongProperty("bench_sent", System.nanoTime());
                if (solarWind) {
                    m.setStringProperty("ce_type", topic);
                    m.setStringProperty("ce_id", UUID.randomUUID().toString());
                    m.setStringProperty("ce_source", "/bench");
                    producer.send(inbound, m, done);
                } else {
                    producer.send(publishTo.get(topic), m, done);
                }
            }

            @Override
            public void flush() throws Exception {
                if (!window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("sends not confirmed within 60 s");
                }
                window.release(WINDOW);
            }

            @Override
            public void close() throws Exception {
                session.close();
            }
        };
    }

    /** CloudEvents binary mode over one keep-alive HTTP connection per publishing thread; each request waits for its 202. */
    private Publisher httpPublisher() {
        HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return new Publisher() {
            @Override
            public void publish(String topic, byte[] data) throws Exception {
                HttpResponse<Void> r = http1.send(HttpRequest.newBuilder(URI.create(http + "/api/v1/topics/" + topic + "/events")).header("Authorization", AUTHORIZATION)
                        .header("ce-id", UUID.randomUUID().toString()).header("ce-source", "/bench")
                        .header("ce-benchsent", Long.toString(System.nanoTime()))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 202) {
                    throw new IllegalStateException("publish answered " + r.statusCode());
                }
            }

            @Override
            public void flush() {
                // every request already waited for its answer
            }

            @Override
            public void close() {
                // the client's connections close when it is collected
            }
        };
    }

    @Override
    public void close() throws Exception {
        running = false;
        for (Thread t : consumers) {
            t.join(2000);
        }
        synchronized (connections) {
            for (Connection c : connections) {
                c.close();
            }
        }
        // leave nothing behind that would slow the next run: purposes (with their queues) and queues
        for (String purpose : registered) {
            client.send(HttpRequest.newBuilder(URI.create(http + purpose)).header("Authorization", AUTHORIZATION).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }
        if (!queues.isEmpty()) {
            try (Connection c = factory.createConnection(USER, PASSWORD)) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                for (String queue : queues) {
                    try {
                        ((org.apache.activemq.artemis.jms.client.ActiveMQSession) s).getCoreSession().deleteQueue(queue);
                    } catch (org.apache.activemq.artemis.api.core.ActiveMQNonExistentQueueException gone) {
                        // auto-deleted once empty
                    }
                }
            }
        }
        factory.close();
    }
}
