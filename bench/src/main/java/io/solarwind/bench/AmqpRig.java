package io.solarwind.bench;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * Solar Wind with AMQP 1.0 publishers and instances ({@link Bench#AMQP}): the same server and
 * broker port as the JMS rig, through Apache Qpid JMS (an AMQP 1.0 client, no Artemis code).
 * Publishers send to {@code solarwind.inbound} with the CloudEvents AMQP binding's
 * {@code cloudEvents_*} application properties; instances receive from the purpose's
 * {@code destination} (docs/amqp.md): a direct purpose's queue by its fully qualified name, a
 * fanout purpose's address as a non-durable subscription. As in {@link JmsRig}: durable 1 KB
 * events sent asynchronously with completion listeners (at most {@value #WINDOW} unconfirmed per
 * publisher), transacted consumers committing every {@value #ACK_EVERY} events. Scenarios 1, 2,
 * 3 and 6 (4 and 5 are JMS's or HTTP's).
 */
public final class AmqpRig implements Rig {
    private static final int WINDOW = 1000;
    private static final int ACK_EVERY = 50;

    private final String amqp;
    private final String http;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JmsConnectionFactory factory;
    private final List<Connection> connections = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private final List<String> registered = new ArrayList<>();
    private volatile boolean running;

    /** {@code amqp}: e.g. {@code amqp://localhost:61616} (the broker's port speaks AMQP beside CORE). */
    public AmqpRig(String amqp, String http) {
        this.amqp = amqp;
        this.http = http;
        // the prefetch (link credit) as the JMS rig's consumer window holds: about 1,000 1 KB events
        factory = new JmsConnectionFactory(JmsRig.USER, JmsRig.PASSWORD, amqp + "?jms.prefetchPolicy.all=1000");
    }

    /** Whether the rig runs the scenario: not the shared one (4) nor the HTTP publishers (5). */
    static boolean runs(Scenario scenario) {
        return !scenario.shared() && !scenario.overHttp();
    }

    @Override
    public void declare(Scenario scenario, String run) {
        // purposes are registered as their consumers start
    }

    @Override
    public void start(Scenario scenario, String run, Meter meter) throws Exception {
        if (!runs(scenario)) {
            throw new IllegalArgumentException(Bench.AMQP + " runs scenarios 1, 2, 3 and 6, not " + scenario.name());
        }
        running = true;
        for (String topic : scenario.topicNames(run)) {
            for (Scenario.Group group : scenario.purposes()) {
                registered.add(JmsRig.register(client, http, topic, group, ""));
                boolean counted = group == scenario.counted();
                for (int i = 0; i < group.instances(); i++) {
                    Connection c = connect();
                    Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                    String name = group.fanout() ? "solarwind.fanout." + topic + "." + group.purpose()
                            : JmsRig.destination(topic, group);
                    consume(s, s.createConsumer(group.fanout() ? s.createTopic(name) : s.createQueue(name)), counted, meter);
                }
            }
        }
    }

    private Connection connect() throws JMSException {
        Connection c = factory.createConnection();
        c.start();
        synchronized (connections) {
            connections.add(c);
        }
        return c;
    }

    private void consume(Session session, MessageConsumer consumer, boolean counted, Meter meter) {
        Thread t = new Thread(() -> {
            try {
                int uncommitted = 0;
                while (running) {
                    Message m = consumer.receive(100);
                    if (m == null) {
                        if (uncommitted > 0) {
                            session.commit();
                            uncommitted = 0;
                        }
                        continue;
                    }
                    meter.delivered(counted, m.getLongProperty("bench_sent"));
                    if (++uncommitted >= ACK_EVERY) {
                        session.commit();
                        uncommitted = 0;
                    }
                }
                if (uncommitted > 0) {
                    session.commit();
                }
            } catch (Exception e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }, "amqp-consumer");
        t.setDaemon(true);
        t.start();
        consumers.add(t);
    }

    @Override
    public Publisher publisher() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Destination inbound = session.createTopic("solarwind.inbound");
        MessageProducer producer = session.createProducer(inbound);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        SendWindow window = new SendWindow(WINDOW);
        CompletionListener done = window.listener();
        return new Publisher() {
            @Override
            public void publish(String topic, byte[] data) throws Exception {
                window.acquire();
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(data);
                m.setLongProperty("bench_sent", System.nanoTime());
                // the CloudEvents AMQP binding's binary mode, as a Python or Node publisher writes it
                m.setStringProperty("cloudEvents_specversion", "1.0");
                m.setStringProperty("cloudEvents_type", topic);
                m.setStringProperty("cloudEvents_id", UUID.randomUUID().toString());
                m.setStringProperty("cloudEvents_source", "/bench");
                producer.send(m, done);
            }

            @Override
            public void flush() throws Exception {
                window.flush();
            }

            @Override
            public void close() throws Exception {
                c.close();
                synchronized (connections) {
                    connections.remove(c);
                }
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
                try {
                    c.close();
                } catch (JMSException closed) {
                    // already closed
                }
            }
        }
        for (String purpose : registered) {
            JmsRig.deregister(client, http, purpose);
        }
    }

    @Override
    public String toString() {
        return "AmqpRig " + amqp;
    }
}
