package io.solarwind.bench;

import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * NATS JetStream doing the same job (bench/run.sh starts Debian's nats-server): a stream per
 * topic (file storage, the topic its one subject); a direct purpose as one durable pull consumer
 * whose instances all pull from it (each on its own connection), acknowledging every message
 * ({@code AckExplicit}: with instances sharing the consumer, an acknowledgement cannot cover
 * earlier messages); a fanout subscriber as a pull consumer of its own ({@code AckAll},
 * acknowledging every {@value #ACK_EVERY}th message, which covers those before it). Publishers wait
 * for the stream's acknowledgement ({@code publishAsync}), at most {@value #WINDOW} unacknowledged
 * per publisher.
 *
 * <p>Durability: the server's own. JetStream acknowledges a message once written to the stream's
 * file (the operating system's page cache) and syncs to disk on an interval; nats-server 2.10+
 * can sync every write ({@code sync_interval: always}), Debian's 2.9.10 cannot (no such setting).
 */
public final class NatsRig implements Rig {
    private static final int WINDOW = 1000;
    private static final int ACK_EVERY = 50;

    private final String url;
    private final List<Connection> connections = new ArrayList<>();
    private final List<MessageConsumer> consumers = new ArrayList<>();
    private final List<String> streams = new ArrayList<>();
    private final List<Acking> acking = new ArrayList<>();
    private Connection admin;

    public NatsRig(String url) {
        this.url = url;
    }

    private Connection connect() throws Exception {
        Connection c = Nats.connect(Options.builder().server(url).connectionTimeout(Duration.ofSeconds(10)).build());
        synchronized (connections) {
            connections.add(c);
        }
        return c;
    }

    private static String stream(String topic) {
        return topic.replace('.', '_');
    }

    @Override
    public void declare(Scenario scenario, String run) throws Exception {
        if (admin != null) {
            return;
        }
        if (scenario.shared()) {
            throw new UnsupportedOperationException("NATS JetStream does not run scenario 4 in this bench");
        }
        admin = connect();
        JetStreamManagement jsm = admin.jetStreamManagement();
        for (String topic : scenario.topicNames(run)) {
            jsm.addStream(StreamConfiguration.builder().name(stream(topic)).subjects(topic).storageType(StorageType.File).build());
            streams.add(stream(topic));
            for (Scenario.Group group : scenario.purposes()) {
                if (!group.fanout()) {
                    jsm.addOrUpdateConsumer(stream(topic), ConsumerConfiguration.builder().durable(group.purpose())
                            .ackPolicy(AckPolicy.Explicit).build());
                } else {
                    for (int i = 0; i < group.instances(); i++) {
                        jsm.addOrUpdateConsumer(stream(topic), ConsumerConfiguration.builder().durable(group.purpose() + "-" + i)
                                .ackPolicy(AckPolicy.All).build());
                    }
                }
            }
        }
    }

    @Override
    public void start(Scenario scenario, String run, Meter meter) throws Exception {
        declare(scenario, run);
        for (String topic : scenario.topicNames(run)) {
            for (Scenario.Group group : scenario.purposes()) {
                boolean counted = group == scenario.counted();
                for (int i = 0; i < group.instances(); i++) {
                    Connection c = connect();
                    String name = group.fanout() ? group.purpose() + "-" + i : group.purpose();
                    ConsumerContext context = c.getConsumerContext(stream(topic), name);
                    Acking a = new Acking(group.fanout());
                    acking.add(a);
                    consumers.add(context.consume(message -> {
                        meter.delivered(counted, Long.parseLong(message.getHeaders().getFirst("bench_sent")));
                        a.delivered(message);
                    }));
                }
            }
        }
    }

    /** One consumer instance: every message acknowledged, or (fanout, AckAll) every 50th and the last. */
    private static final class Acking {
        final boolean all;
        int unacked;
        volatile Message last;

        Acking(boolean all) {
            this.all = all;
        }

        void delivered(Message m) {
            if (!all) {
                m.ack();
                return;
            }
            last = m;
            if (++unacked >= ACK_EVERY) {
                m.ack();
                unacked = 0;
                last = null;
            }
        }

        void ackRest() {
            Message m = last;
            if (m != null) {
                m.ack();
            }
        }
    }

    @Override
    public Publisher publisher() throws Exception {
        Connection c = connect();
        JetStream js = c.jetStream();
        Semaphore window = new Semaphore(WINDOW);
        return new Publisher() {
            @Override
            public void publish(String topic, byte[] data) throws Exception {
                window.acquire();
                Headers headers = new Headers().put("bench_sent", Long.toString(System.nanoTime()));
                js.publishAsync(topic, headers, data).whenComplete((ack, e) -> {
                    if (e != null) {
                        e.printStackTrace();
                    }
                    window.release();
                });
            }

            @Override
            public void flush() throws Exception {
                if (!window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("publishes not acknowledged within 60 s");
                }
                window.release(WINDOW);
            }

            @Override
            public void close() throws Exception {
                c.close();
            }
        };
    }

    @Override
    public void close() throws Exception {
        for (MessageConsumer c : consumers) {
            c.stop();
        }
        for (Acking a : acking) {
            a.ackRest();
        }
        synchronized (connections) {
            for (Connection c : connections) {
                if (c != admin) {
                    c.close(); // the consumers' pulls end before their streams go (else: 409 Consumer Deleted)
                }
            }
        }
        try {
            if (admin != null) {
                JetStreamManagement jsm = admin.jetStreamManagement();
                for (String s : streams) {
                    jsm.deleteStream(s); // its consumers and files with it
                }
            }
        } finally {
            synchronized (connections) {
                for (Connection c : connections) {
                    c.close();
                }
            }
        }
    }
}
