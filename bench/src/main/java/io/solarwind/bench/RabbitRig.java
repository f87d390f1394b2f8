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
 */
public final class RabbitRig implements Rig {
    private static final int WINDOW = 1000;
    private static final int ACK_EVERY = 50;

    private final ConnectionFactory factory = new ConnectionFactory();
    private final List<Connection> connections = new ArrayList<>();
    private final List<String> durableQueues = new ArrayList<>();
    private String exchange;

    public RabbitRig(String host, int port) {
        factory.setHost(host);
        factory.setPort(port);
    }

    @Override
    public void start(Scenario scenario, String run, Meter meter) throws Exception {
        exchange = "bench." + run;
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
                channel.close();
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
        try (Channel channel = connections.get(0).createChannel()) {
            for (String q : durableQueues) {
                channel.queueDelete(q);
            }
            channel.exchangeDelete(exchange);
        }
        synchronized (connections) {
            for (Connection c : connections) {
                c.close();
            }
        }
    }
}
