package io.solarwind.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * RabbitMQ doing the same job: a topic exchange, one durable queue per direct purpose bound to
 * the topic, one exclusive queue per fanout subscriber, persistent messages, publisher
 * confirms, manual acknowledgements.
 *
 * <p>A shared scenario (4) declares its durable queues and bindings once, through
 * {@value JmsRig#PARALLEL} channels in parallel, and consumes every purpose through
 * {@value JmsRig#SHARED_SESSIONS} channels on {@value JmsRig#SHARED_CONNECTIONS} connections,
 * thousands of consumers per channel (prefetch 300 each), each channel acknowledging every
 * {@value #ACK_EVERY} deliveries at once ({@code basicAck(multiple)}), as the JMS rigs commit
 * every 50 per session.
 */
public final class RabbitRig implements Rig {
    private static final int WINDOW = 1000;
    private static final int ACK_EVERY = 50;

    private final ConnectionFactory factory = new ConnectionFactory();
    private final List<Connection> connections = new ArrayList<>();
    private final List<String> durableQueues = new ArrayList<>();
    private final List<Acking> acking = new ArrayList<>();
    private String exchange;
    private boolean declared;

    public RabbitRig(String host, int port) {
        factory.setHost(host);
        factory.setPort(port);
    }

    @Override
    public void declare(Scenario scenario, String run) throws Exception {
        if (declared) {
            return;
        }
        declared = true;
        exchange = "bench." + run;
        if (!scenario.shared()) {
            return; // declared as the consumers start, as they always were
        }
        Connection admin = connect();
        try (Channel channel = admin.createChannel()) {
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        }
        List<String> topics = scenario.topicNames(run);
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < JmsRig.PARALLEL; i++) {
            slots.add(i);
        }
        JmsRig.parallel(slots, slot -> {
            try (Channel channel = admin.createChannel()) {
                for (int t = slot; t < topics.size(); t += JmsRig.PARALLEL) {
                    for (Scenario.Group group : scenario.purposes()) {
                        if (!group.fanout()) {
                            String durable = exchange + "." + topics.get(t) + "." + group.purpose();
                            channel.queueDeclare(durable, true, false, false, null);
                            channel.queueBind(durable, exchange, topics.get(t));
                            synchronized (durableQueues) {
                                durableQueues.add(durable);
                            }
                        }
                    }
                }
            }
        });
    }

    @Override
    public void start(Scenario scenario, String run, Meter meter) throws Exception {
        declare(scenario, run);
        if (scenario.shared()) {
            consumeShared(scenario, scenario.topicNames(run), meter);
            return;
        }
        Connection admin = connect();
        try (Channel channel = admin.createChannel()) {
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            for (String topic : scenario.topicNames(run)) {
                for (Scenario.Group group : scenario.purposes()) {
                    String durable = exchange + "." + topic + "." + group.purpose();
                    if (!group.fanout()) {
                        channel.queueDeclare(durable, true, false, false, null);
                        channel.queueBind(durable, exchange, topic);
                        durableQueues.add(durable);
                    }
                    for (int i = 0; i < group.instances(); i++) {
                        Channel c = connect().createChannel();
                        c.basicQos(300);
                        String queue = durable;
                        if (group.fanout()) {
                            queue = c.queueDeclare("", false, true, true, null).getQueue();
                            c.queueBind(queue, exchange, topic);
                        }
                        boolean counted = group == scenario.counted();
                        c.basicConsume(queue, false, new DefaultConsumer(c) {
                            private int unacked;

                            @Override
                            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                                    throws java.io.IOException {
                                meter.delivered(counted, (Long) properties.getHeaders().get("bench_sent"));
                                if (++unacked >= ACK_EVERY) {
                                    getChannel().basicAck(envelope.getDeliveryTag(), true);
                                    unacked = 0;
                                }
                            }
                        });
                    }
                }
            }
        }
    }

    /** Every purpose of every topic consumed, through a few channels with thousands of consumers each. */
    private void consumeShared(Scenario scenario, List<String> topics, Meter meter) throws Exception {
        List<Connection> own = new ArrayList<>();
        for (int i = 0; i < JmsRig.SHARED_CONNECTIONS; i++) {
            own.add(connect());
        }
        for (int i = 0; i < JmsRig.SHARED_SESSIONS; i++) {
            Channel c = own.get(i % own.size()).createChannel();
            c.basicQos(300);
            acking.add(new Acking(c, meter));
        }
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < JmsRig.SHARED_SESSIONS; i++) {
            slots.add(i);
        }
        JmsRig.parallel(slots, slot -> {
            Acking a = acking.get(slot);
            for (int t = slot; t < topics.size(); t += JmsRig.SHARED_SESSIONS) {
                String topic = topics.get(t);
                for (Scenario.Group group : scenario.purposes()) {
                    boolean counted = group == scenario.counted();
                    for (int i = 0; i < group.instances(); i++) {
                        String queue = exchange + "." + topic + "." + group.purpose();
                        if (group.fanout()) {
                            queue = a.channel.queueDeclare("", false, true, true, null).getQueue();
                            a.channel.queueBind(queue, exchange, topic);
                        }
                        a.channel.basicConsume(queue, false, new DefaultConsumer(a.channel) {
                            @Override
                            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                                    throws java.io.IOException {
                                a.delivered(counted, (Long) properties.getHeaders().get("bench_sent"), envelope.getDeliveryTag());
                            }
                        });
                    }
                }
            }
        });
    }

    /** One channel's consumers: the client calls them one at a time; every 50 deliveries the channel acknowledges all it has. */
    private static final class Acking {
        final Channel channel;
        final Meter meter;
        volatile int unacked;
        volatile long last;

        Acking(Channel channel, Meter meter) {
            this.channel = channel;
            this.meter = meter;
        }

        void delivered(boolean counted, long sentNanos, long tag) throws java.io.IOException {
            meter.delivered(counted, sentNanos);
            last = tag;
            if (++unacked >= ACK_EVERY) {
                channel.basicAck(tag, true);
                unacked = 0;
            }
        }

        /** After the deliveries stopped: acknowledges the last ones. */
        void ackRest() throws java.io.IOException {
            if (unacked > 0) {
                channel.basicAck(last, true);
                unacked = 0;
            }
        }
    }

    private Connection connect() throws Exception {
        Connection c = factory.newConnection();
        synchronized (connections) {
            connections.add(c);
        }
        return c;
    }

    @Override
    public Publisher publisher() throws Exception {
        Channel channel = connect().createChannel();
        channel.confirmSelect();
        Semaphore window = new Semaphore(WINDOW);
        java.util.concurrent.ConcurrentSkipListSet<Long> outstanding = new java.util.concurrent.ConcurrentSkipListSet<>();
        channel.addConfirmListener((seq, multiple) -> release(outstanding, window, seq, multiple),
                (seq, multiple) -> release(outstanding, window, seq, multiple));
        return new Publisher() {
            @Override
            public void publish(String topic, byte[] data) throws Exception {
                window.acquire();
                outstanding.add(channel.getNextPublishSeqNo());
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2)
                        .headers(Map.of("bench_sent", System.nanoTime())).build();
                channel.basicPublish(exchange, topic, props, data);
            }

            @Override
            public void flush() throws Exception {
                if (!window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("publishes not confirmed within 60 s");
                }
                window.release(WINDOW);
            }

            @Override
            public void close() throws Exception {
                channel.getConnection().close(); // a shared scenario's rig outlives its runs' publishers
            }
        };
    }

    private static void release(java.util.concurrent.ConcurrentSkipListSet<Long> outstanding, Semaphore window, long seq, boolean multiple) {
        if (multiple) {
            var head = outstanding.headSet(seq, true);
            int n = head.size();
            head.clear();
            window.release(n);
        } else if (outstanding.remove(seq)) {
            window.release();
        }
    }

    @Override
    public void close() throws Exception {
        for (Acking a : acking) {
            a.ackRest();
        }
        Connection admin = connections.get(0);
        List<List<String>> slices = new ArrayList<>();
        for (int i = 0; i < JmsRig.PARALLEL; i++) {
            slices.add(new ArrayList<>());
        }
        for (int i = 0; i < durableQueues.size(); i++) {
            slices.get(i % JmsRig.PARALLEL).add(durableQueues.get(i));
        }
        JmsRig.parallel(slices, slice -> {
            try (Channel channel = admin.createChannel()) {
                for (String q : slice) {
                    channel.queueDelete(q);
                }
            }
        });
        try (Channel channel = admin.createChannel()) {
            channel.exchangeDelete(exchange);
        }
        synchronized (connections) {
            for (Connection c : connections) {
                if (c.isOpen()) {
                    c.close();
                }
            }
        }
    }
}
