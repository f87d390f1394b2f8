package io.solarwind.bench;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.ActiveMQAddressExistsException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.apache.activemq.artemis.jms.client.ActiveMQQueue;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.apache.activemq.artemis.jms.client.ActiveMQTopic;

/**
 * Solar Wind (publish to {@code solarwind.inbound}, purposes registered over HTTP, the
 * dispatcher copies) or the same Artemis broker used directly (one queue, or a multicast
 * address with one durable shared subscription per direct purpose), through the same JMS
 * client code: persistent sends with completion listeners, transacted consumers.
 *
 * <p>A shared scenario (4: 10,000 topics x 3 purposes) declares once, in parallel (several
 * HTTP connections registering purposes, or several core sessions declaring addresses and
 * queues), and consumes every purpose through {@value #SHARED_SESSIONS} transacted sessions on
 * {@value #SHARED_CONNECTIONS} connections, each session with thousands of consumers whose
 * message listeners commit every {@value #ACK_EVERY} events of the session.
 */
public final class JmsRig implements Rig {
    /** The development admin (liberty/security-dev.xml, dev-broker-users.properties): the bench server runs with them. */
    static final String USER = System.getProperty("solarwind.bench.user", "admin");
    static final String PASSWORD = System.getProperty("solarwind.bench.password", "admin-dev-only");
    static final String AUTHORIZATION = "Basic " + java.util.Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private static final int WINDOW = 1000;
    private static final int ACK_EVERY = 50;
    static final int SHARED_SESSIONS = 8;
    static final int SHARED_CONNECTIONS = 4;
    /** Concurrent admin requests (HTTP registrations, queue declarations) while declaring or tearing down. */
    static final int PARALLEL = 8;
    /** The forwarder's consumer window and most events per transaction: the dispatcher's defaults (solarwind.dispatch.window-bytes, .batch-size). */
    private static final int DISPATCHER_WINDOW = 32 * 1024 * 1024;
    private static final int DISPATCHER_BATCH = 1000;

    private final boolean solarWind;
    /** Raw Artemis through a transacted forwarder (see {@link Bench#FORWARDER}). */
    private final boolean forward;
    private ActiveMQConnectionFactory forwardFactory;
    private final String broker;
    private final String http;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Connection> connections = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private final Map<String, Destination> publishTo = new HashMap<>();
    private final List<String> registered = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();
    private final List<Listening> listening = new ArrayList<>();
    private ActiveMQConnectionFactory factory;
    private volatile boolean running;
    private boolean overHttp;
    private int httpBatch = 1;
    private boolean declared;
    /** Publishers send their time as the CloudEvents extension {@code benchsent} (see {@link #sentAsExtension}). */
    private boolean sentAsExtension;
    /** Further members of each registration's body (see {@link #filteredAndKeyed}), or "". */
    private String registration = "";
    /** Publishers give each event one of this many {@code partitionkey}s in turn (0: none). */
    private int keys;
    /** Each direct purpose registered with a second version, not active (see {@link #twoVersions}). */
    private boolean twoVersions;
    /** Purposes found registered already when declaring. */
    private final AtomicInteger kept = new AtomicInteger();
    /** A shared scenario's purposes stay registered at the end (see {@link #keepPurposes}). */
    private boolean keep;

    private JmsRig(boolean solarWind, boolean forward, String broker, String http) {
        this.solarWind = solarWind;
        this.forward = forward;
        this.broker = broker;
        this.http = http;
    }

    public static JmsRig solarWind(String broker, String http) {
        return new JmsRig(true, false, broker, http);
    }

    public static JmsRig rawArtemis(String broker) {
        return new JmsRig(false, false, broker, null);
    }

    /** Raw Artemis with a transacted forwarder between two queues (see {@link Bench#FORWARDER}). */
    public static JmsRig forwarder(String broker) {
        return new JmsRig(false, true, broker, null);
    }

    /** Whether the forwarder can run the scenario: one topic, one direct purpose, published over JMS. */
    static boolean forwards(Scenario scenario) {
        return scenario.purposes().size() == 1 && !scenario.counted().fanout() && scenario.topics() == 1 && !scenario.overHttp();
    }

    /**
     * Leaves a shared scenario's purposes registered when the rig closes: deleting 30,000 costs
     * about as much as registering them (bench/README.md), and bench/run.sh starts its server on
     * an empty journal (unless BENCH_KEEP_JOURNAL=1, which reuses them) and stops it afterwards.
     */
    public JmsRig keepPurposes(boolean keep) {
        this.keep = keep;
        return this;
    }

    /**
     * Publishers send their time as the string property {@code ce_benchsent} (a CloudEvents
     * extension, which push delivery POSTs as the {@code ce-benchsent} header) instead of the long
     * {@code bench_sent}, for {@link PushRig}'s receiver.
     */
    JmsRig sentAsExtension() {
        sentAsExtension = true;
        return this;
    }

    /**
     * Every purpose registered with a filter that every event matches ({@code {"prefix":{"type":"bench."}}},
     * so the broker evaluates it on every copy and drops nothing) and every event published with one of
     * {@value #KEYS} ordering keys ({@code ce_partitionkey}, so each direct purpose's copies carry a
     * message group): what the two features cost where nothing else changes ({@link Bench#FILTERED}).
     */
    JmsRig filteredAndKeyed() {
        registration = ",\"filter\":{\"prefix\":{\"type\":\"bench.\"}}";
        keys = KEYS;
        return this;
    }

    static final int KEYS = 100;

    /**
     * Every direct purpose registered as version 1, then with a version 2 beside it, not cut over to: the
     * purpose's state during a rolling upgrade. The dispatcher marks every event with the active version
     * and the broker evaluates both versions' queue filters on each copy; the instances consume version
     * 1's queue, the purpose's {@code destination} as ever ({@link Bench#VERSIONED}).
     */
    JmsRig twoVersions() {
        twoVersions = true;
        return this;
    }

    @Override
    public void declare(Scenario scenario, String run) throws Exception {
        if (declared) {
            return;
        }
        declared = true;
        overHttp = solarWind && scenario.overHttp();
        httpBatch = scenario.httpBatch();
        factory = new ActiveMQConnectionFactory(broker);
        factory.setConfirmationWindowSize(1024 * 1024);
        if (!scenario.shared()) {
            return; // declared as the consumers start, as they always were
        }
        // The client keeps producer credits for at most 1,000 addresses per anonymous producer
        // (ClientProducerCreditManagerImpl): cycling over 10,000 topic addresses, raw Artemis's
        // publishers would wait for a credit round trip before nearly every send. Both JMS systems
        // send without credits here, as Solar Wind's dispatcher does (the broker pages when full).
        factory.setProducerWindowSize(-1);
        List<String> topics = scenario.topicNames(run);
        if (solarWind) {
            parallel(topics, topic -> {
                // a server started on a kept journal (BENCH_KEEP_JOURNAL=1) may have them from an earlier run:
                // registering again would redo the broker side of each (see bench/README.md)
                String existing = client.send(HttpRequest.newBuilder(URI.create(http + "/api/v1/topics/" + topic + "/purposes"))
                        .header("Authorization", AUTHORIZATION).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                for (Scenario.Group group : scenario.purposes()) {
                    if (existing.contains("\"purpose\":\"" + group.purpose() + "\",\"exchange\":\"" + (group.fanout() ? "fanout" : "direct") + "\"")) {
                        synchronized (registered) {
                            registered.add("/api/v1/topics/" + topic + "/purposes/" + group.purpose());
                        }
                        kept.incrementAndGet();
                    } else {
                        register(topic, group);
                    }
                }
            });
        } else {
            declareQueues(topics, scenario);
            for (String topic : topics) {
                publishTo.put(topic, existing(topic, false)); // declared: no look-up before the first send to each
            }
        }
    }

    @Override
    public void start(Scenario scenario, String run, Meter meter) throws Exception {
        declare(scenario, run);
        running = true;
        if (scenario.shared()) {
            consumeShared(scenario, scenario.topicNames(run), meter);
            return;
        }
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
                        String name = destination(topic, group);
                        consumer = s.createConsumer(group.fanout() ? s.createTopic(name) : s.createQueue(name));
                    } else if (oneQueue && forward) {
                        consumer = s.createConsumer(s.createQueue(topic + ".out"));
                        if (i == 0) {
                            queues.add(topic);
                            queues.add(topic + ".out");
                            forward(topic, topic + ".out");
                        }
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
                publishTo.put(topic, oneQueue ? ActiveMQDestination.createQueue(topic)
                        : ActiveMQDestination.createTopic(topic));
            }
        }
    }

    @Override
    public String declared() {
        return kept.get() == 0 ? "" : String.format(" (%,d of them were registered already, from a kept journal)", kept.get());
    }

    /**
     * Every purpose of every topic consumed: each of {@value #SHARED_SESSIONS} sessions gets
     * the consumers of every {@value #SHARED_SESSIONS}th topic (created before the connections
     * start, so no listener runs while its session is still in use), direct purposes on their
     * queues, fanout purposes as non-durable subscribers.
     */
    private void consumeShared(Scenario scenario, List<String> topics, Meter meter) throws Exception {
        List<Connection> own = new ArrayList<>();
        for (int i = 0; i < SHARED_CONNECTIONS; i++) {
            Connection c = factory.createConnection(USER, PASSWORD);
            own.add(c);
            synchronized (connections) {
                connections.add(c);
            }
        }
        for (int i = 0; i < SHARED_SESSIONS; i++) {
            listening.add(new Listening(own.get(i % own.size()).createSession(true, Session.SESSION_TRANSACTED), meter));
        }
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < SHARED_SESSIONS; i++) {
            slots.add(i);
        }
        parallel(slots, slot -> {
            Listening l = listening.get(slot);
            Session s = l.session;
            for (int t = slot; t < topics.size(); t += SHARED_SESSIONS) {
                String topic = topics.get(t);
                for (Scenario.Group group : scenario.purposes()) {
                    boolean counted = group == scenario.counted();
                    for (int i = 0; i < group.instances(); i++) {
                        MessageConsumer consumer;
                        if (solarWind) {
                            String name = destination(topic, group);
                            consumer = s.createConsumer(existing(name, !group.fanout()));
                        } else if (group.fanout()) {
                            consumer = s.createConsumer(existing(topic, false));
                        } else {
                            // the shared durable subscription's queue, by its fully qualified name: a
                            // consumer on a JMS topic makes the client ask the broker about the address
                            // (a scan of every binding), one on a queue only about the queue
                            consumer = s.createConsumer(existing(topic + "::" + topic + "." + group.purpose(), true));
                        }
                        consumer.setMessageListener(m -> l.onMessage(m, counted));
                    }
                }
            }
        });
        for (Connection c : own) {
            c.start();
        }
    }

    /**
     * A destination declared before the consumers start, which the JMS client need not look up:
     * its look-up asks the broker about every binding it has (O(queues) per consumer, minutes
     * for scenario 4's 30,000 consumers; set-up time, not measured, for both JMS systems). A
     * consumer on a JMS topic (a fanout subscriber) still costs that scan: the client asks
     * about the address whatever the destination says.
     */
    private static Destination existing(String name, boolean queue) {
        ActiveMQDestination d = queue ? new ActiveMQQueue(name) : new ActiveMQTopic(name);
        d.setCreated(true);
        return d;
    }

    /** One transacted session's listeners: they run one at a time on the session's thread, which commits every 50 of them. */
    private static final class Listening {
        final Session session;
        final Meter meter;
        volatile int uncommitted;

        Listening(Session session, Meter meter) {
            this.session = session;
            this.meter = meter;
        }

        void onMessage(Message m, boolean counted) {
            try {
                meter.delivered(counted, sentNanos(m));
                if (++uncommitted >= ACK_EVERY) {
                    session.commit();
                    uncommitted = 0;
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        }

        /** After the connection stopped (no listener runs): commits the last events taken. */
        void commitRest() throws Exception {
            if (uncommitted > 0) {
                session.commit();
                uncommitted = 0;
            }
        }
    }

    private static long sentNanos(Message m) throws jakarta.jms.JMSException {
        return m.propertyExists("bench_sent") ? m.getLongProperty("bench_sent") : Long.parseLong(m.getStringProperty("ce_benchsent"));
    }

    /**
     * A multicast address per topic with one durable queue per direct purpose (what a JMS shared
     * durable subscription of that name is), declared through {@value #PARALLEL} core sessions.
     */
    private void declareQueues(List<String> topics, Scenario scenario) throws Exception {
        try (Connection c = factory.createConnection(USER, PASSWORD)) {
            List<ClientSession> sessions = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                sessions.add(((ActiveMQSession) c.createSession(false, Session.AUTO_ACKNOWLEDGE)).getCoreSession());
            }
            List<Integer> slots = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                slots.add(i);
            }
            parallel(slots, slot -> {
                ClientSession core = sessions.get(slot);
                for (int t = slot; t < topics.size(); t += PARALLEL) {
                    String topic = topics.get(t);
                    try {
                        core.createAddress(SimpleString.of(topic), RoutingType.MULTICAST, false);
                    } catch (ActiveMQAddressExistsException exists) {
                        // from an earlier run
                    }
                    for (Scenario.Group group : scenario.purposes()) {
                        if (!group.fanout()) {
                            String queue = topic + "." + group.purpose();
                            try {
                                core.createQueue(QueueConfiguration.of(queue).setAddress(topic)
                                        .setRoutingType(RoutingType.MULTICAST).setDurable(true));
                            } catch (ActiveMQQueueExistsException exists) {
                                // from an earlier run
                            }
                            synchronized (queues) {
                                queues.add(queue);
                            }
                        }
                    }
                }
            });
        }
    }

    interface Task<T> {
        void run(T item) throws Exception;
    }

    /** Runs the task for every item on {@value #PARALLEL} threads, printing progress every 5,000 items; fails with the first failure. */
    static <T> void parallel(List<T> items, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    task.run(item);
                    int n = done.incrementAndGet();
                    if (n % 5000 == 0) {
                        double s = (System.nanoTime() - start) / 1e9;
                        System.out.printf("    %,d of %,d in %.0f s (%.0f/s)%n", n, items.size(), s, n / s);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void register(String topic, Scenario.Group group) throws Exception {
        String purpose = register(client, http, topic, group, registration);
        if (twoVersions && !group.fanout()) {
            register(client, http, topic, group, registration + ",\"purposeVersion\":\"2\"");
        }
        synchronized (registered) {
            registered.add(purpose);
        }
    }

    /**
     * Registers a purpose over HTTP ({@code more}: further members of the JSON body, e.g.
     * {@code ,"push":{...}}, or ""); answers its path, for {@link #deregister}.
     */
    static String register(HttpClient client, String http, String topic, Scenario.Group group, String more) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(http + "/api/v1/topics/" + topic + "/purposes/" + group.purpose())).header("Authorization", AUTHORIZATION)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"exchange\":\"" + (group.fanout() ? "fanout" : "direct") + "\"" + more + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new IllegalStateException("registering " + topic + "/" + group.purpose() + ": " + r.statusCode() + " " + r.body());
        }
        return "/api/v1/topics/" + topic + "/purposes/" + group.purpose();
    }

    /** Deletes a purpose {@link #register} registered (with its queue). */
    static void deregister(HttpClient client, String http, String purpose) throws Exception {
        client.send(HttpRequest.newBuilder(URI.create(http + purpose)).header("Authorization", AUTHORIZATION)
                .DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    private Connection connect() throws Exception {
        Connection c = factory.createConnection(USER, PASSWORD);
        c.start();
        synchronized (connections) {
            connections.add(c);
        }
        return c;
    }

    /**
     * The naive dispatcher: its own connection with the dispatcher's client settings (no wait for
     * each send, no producer credits, a 32 MiB consumer window), one transacted session, up to
     * 1,000 events per commit, taking what the window holds without waiting.
     */
    private void forward(String from, String to) throws Exception {
        ActiveMQConnectionFactory f = new ActiveMQConnectionFactory(broker);
        forwardFactory = f;
        f.setBlockOnDurableSend(false);
        f.setProducerWindowSize(-1);
        f.setConsumerWindowSize(DISPATCHER_WINDOW);
        Connection c = f.createConnection(USER, PASSWORD);
        synchronized (connections) {
            connections.add(c);
        }
        Session s = c.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer in = s.createConsumer(s.createQueue(from));
        MessageProducer out = s.createProducer(s.createQueue(to));
        out.setDeliveryMode(DeliveryMode.PERSISTENT);
        c.start();
        background("forwarder", () -> {
            while (running) {
                Message m = in.receive(100);
                if (m == null) {
                    continue;
                }
                int batch = 0;
                do {
                    out.send(m);
                    batch++;
                } while (batch < DISPATCHER_BATCH && (m = in.receiveNoWait()) != null);
                s.commit();
            }
        });
    }

    interface Loop {
        void run() throws Exception;
    }

    /** Runs the loop on a daemon thread that close() waits for; a failure while running is printed. */
    private void background(String name, Loop loop) {
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } catch (Exception e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        consumers.add(t);
    }

    private void consume(Session session, MessageConsumer consumer, boolean counted, Meter meter) {
        background("consumer", () -> {
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
                meter.delivered(counted, sentNanos(m));
                if (++uncommitted >= ACK_EVERY) {
                    session.commit();
                    uncommitted = 0;
                }
            }
        });
    }

    @Override
    public Publisher publisher() throws Exception {
        if (overHttp) {
            return httpBatch > 1 ? httpBatchPublisher(httpBatch) : httpPublisher();
        }
        Connection c = connect();
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        Destination inbound = session.createTopic("solarwind.inbound");
        SendWindow window = new SendWindow(WINDOW);
        CompletionListener done = window.listener();
        return new Publisher() {
            private long sent;

            @Override
            public void publish(String topic, byte[] data) throws Exception {
                window.acquire();
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(data);
                if (sentAsExtension) {
                    m.setStringProperty("ce_benchsent", Long.toString(System.nanoTime()));
                } else {
                    m.setLongProperty("bench_sent", System.nanoTime());
                }
                if (solarWind) {
                    m.setStringProperty("ce_type", topic);
                    m.setStringProperty("ce_id", UUID.randomUUID().toString());
                    m.setStringProperty("ce_source", "/bench");
                    if (keys > 0) {
                        m.setStringProperty("ce_partitionkey", "k" + (sent++ % keys));
                    }
                    producer.send(inbound, m, done);
                } else {
                    producer.send(publishTo.get(topic), m, done);
                }
            }

            @Override
            public void flush() throws Exception {
                window.flush();
            }

            @Override
            public void close() throws Exception {
                session.close();
                c.close(); // a shared scenario's rig outlives its runs' publishers
            }
        };
    }

    /** CloudEvents binary mode over one keep-alive HTTP connection per publishing thread; each request waits for its 202. */
    private Publisher httpPublisher() {
        Http1Connection connection = new Http1Connection(http);
        return new Publisher() {
            @Override
            public void publish(String topic, byte[] data) throws Exception {
                int status = connection.post("/api/v1/topics/" + topic + "/events", java.util.Map.of("Authorization", AUTHORIZATION,
                        "ce-id", UUID.randomUUID().toString(), "ce-source", "/bench", "ce-benchsent", Long.toString(System.nanoTime()),
                        "Content-Type", "application/octet-stream"), data);
                if (status != 202) {
                    throw new IllegalStateException("publish answered " + status);
                }
            }

            @Override
            public void flush() {
                // every request already waited for its answer
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }

    /**
     * CloudEvents batch mode over one keep-alive HTTP connection per publishing thread: every
     * {@code size} events go in one request (structured events, the data in base64), which waits
     * for its 202; {@link Rig.Publisher#flush} sends the rest.
     */
    private Publisher httpBatchPublisher(int size) {
        Http1Connection connection = new Http1Connection(http);
        return new Publisher() {
            private final StringBuilder body = new StringBuilder();
            private int events;
            private String topic;
            private byte[] lastData;
            private String lastBase64;

            @Override
            public void publish(String topic, byte[] data) throws Exception {
                if (events > 0 && !topic.equals(this.topic)) {
                    flush();
                }
                this.topic = topic;
                if (data != lastData) {
                    lastData = data;
                    lastBase64 = java.util.Base64.getEncoder().encodeToString(data);
                }
                body.append(events == 0 ? "[" : ",").append("{\"id\":\"").append(UUID.randomUUID()).append("\",\"source\":\"/bench\",\"benchsent\":\"")
                        .append(System.nanoTime()).append("\",\"datacontenttype\":\"application/octet-stream\",\"data_base64\":\"")
                        .append(lastBase64).append("\"}");
                if (++events >= size) {
                    flush();
                }
            }

            @Override
            public void flush() throws Exception {
                if (events == 0) {
                    return;
                }
                body.append(']');
                int status = connection.post("/api/v1/topics/" + topic + "/events", java.util.Map.of("Authorization", AUTHORIZATION,
                        "Content-Type", "application/cloudevents-batch+json"), body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                body.setLength(0);
                events = 0;
                if (status != 202) {
                    throw new IllegalStateException("batch publish answered " + status);
                }
            }

            @Override
            public void close() {
                connection.close();
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
            if (!listening.isEmpty()) {
                // stop() waits for running listeners; then each session acknowledges its last events
                for (Connection c : connections) {
                    try {
                        c.stop();
                    } catch (JMSException closed) {
                        System.out.println("    a consumer connection was already closed: " + closed.getMessage());
                    }
                }
                for (Listening l : listening) {
                    try {
                        l.commitRest();
                    } catch (Exception closed) {
                        // its connection is gone; the broker gives its events back
                    }
                }
            }
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (JMSException closed) {
                    // already closed
                }
            }
        }
        // leave nothing behind that would slow the next run: purposes (with their queues) and queues
        if (keep && declared && listening.size() > 0) {
            System.out.printf("    %,d purposes left registered (the bench server's journal is emptied at its next start)%n", registered.size());
            registered.clear();
        }
        parallel(registered, purpose -> client.send(HttpRequest.newBuilder(URI.create(http + purpose)).header("Authorization", AUTHORIZATION)
                .DELETE().build(), HttpResponse.BodyHandlers.discarding()));
        if (!queues.isEmpty()) {
            try (Connection c = factory.createConnection(USER, PASSWORD)) {
                List<ClientSession> sessions = new ArrayList<>();
                for (int i = 0; i < PARALLEL; i++) {
                    sessions.add(((ActiveMQSession) c.createSession(false, Session.AUTO_ACKNOWLEDGE)).getCoreSession());
                }
                AtomicInteger next = new AtomicInteger();
                ThreadLocal<ClientSession> mine = ThreadLocal.withInitial(() -> sessions.get(next.getAndIncrement() % PARALLEL));
                parallel(queues, queue -> {
                    try {
                        mine.get().deleteQueue(queue);
                    } catch (org.apache.activemq.artemis.api.core.ActiveMQNonExistentQueueException
                             | org.apache.activemq.artemis.api.core.ActiveMQAddressDoesNotExistException gone) {
                        // auto-deleted once empty
                    }
                });
            }
        }
        if (factory != null) {
            factory.close();
        }
        if (forwardFactory != null) {
            forwardFactory.close();
        }
    }

    /** A purpose's destination as Solar Wind names it (the registration's {@code destination}). */
    static String destination(String topic, Scenario.Group group) {
        return group.fanout() ? "solarwind.fanout." + topic + "." + group.purpose()
                : "solarwind.topic." + topic + "::solarwind.direct." + topic + "." + group.purpose();
    }
}
