package io.solarwind.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka 4 doing the same job (bench/run.sh starts one KRaft broker-and-controller process): a
 * topic per Solar Wind topic, with as many partitions as the most instances of a direct purpose
 * (at least one); a direct purpose as a share group (KIP-932) whose instances share the topic,
 * acknowledging each record explicitly, the acknowledgements going to the broker with the next
 * poll (the client's way; a poll returns up to 500 records; committing them every 50 as well measured
 * no better, 4,600-8,800 events/s against 6,900-11,900 in scenario 1 on a busy machine) (or, when the broker's {@code share.version} feature is 0, a consumer
 * group, one partition per instance); a fanout subscriber as a consumer group of its own,
 * committing its offsets every {@value #ACK_EVERY} records. Producers with the client's defaults
 * ({@code acks=all}, idempotence, {@code linger.ms=5}), at most {@value #WINDOW} records
 * unacknowledged per publisher.
 *
 * <p>Durability: {@code fsync} true adds the topic setting {@code flush.messages=1}, so the broker
 * flushes the log to disk at every append, before the produce response; without it Kafka leaves
 * flushing to the operating system (its default: a record is acknowledged once in the page cache).
 */
public final class KafkaRig implements Rig {
    private static final int WINDOW = 1000;
    private static final int ACK_EVERY = 50;

    private final String bootstrap;
    private final boolean fsync;
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> topics = new ArrayList<>();
    private final List<String> shareGroups = new ArrayList<>();
    private final List<String> consumerGroups = new ArrayList<>();
    private final List<AutoCloseable> wakers = new ArrayList<>();
    private Admin admin;
    private volatile boolean running;
    private boolean share;
    private String mode = "";

    public KafkaRig(String bootstrap, boolean fsync) {
        this.bootstrap = bootstrap;
        this.fsync = fsync;
    }

    @Override
    public void declare(Scenario scenario, String run) throws Exception {
        if (admin != null) {
            return;
        }
        if (scenario.shared()) {
            throw new UnsupportedOperationException("Kafka does not run scenario 4 in this bench");
        }
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        FinalizedVersionRange version = admin.describeFeatures().featureMetadata().get(10, TimeUnit.SECONDS)
                .finalizedFeatures().get("share.version");
        share = version != null && version.maxVersionLevel() >= 1;
        mode = share ? "share groups (share.version " + version.maxVersionLevel() + ")" : "consumer groups (share.version 0)";
        int partitions = Math.max(1, scenario.purposes().stream().filter(g -> !g.fanout()).mapToInt(Scenario.Group::instances).max().orElse(1));
        List<NewTopic> create = new ArrayList<>();
        for (String topic : scenario.topicNames(run)) {
            NewTopic t = new NewTopic(topic, partitions, (short) 1);
            if (fsync) {
                t.configs(Map.of("flush.messages", "1"));
            }
            create.add(t);
            topics.add(topic);
        }
        admin.createTopics(create).all().get(30, TimeUnit.SECONDS);
    }

    @Override
    public String declared() {
        return mode;
    }

    @Override
    public void start(Scenario scenario, String run, Meter meter) throws Exception {
        declare(scenario, run);
        running = true;
        List<CountDownLatch> ready = new ArrayList<>();
        for (String topic : scenario.topicNames(run)) {
            for (Scenario.Group group : scenario.purposes()) {
                boolean counted = group == scenario.counted();
                String groupId = topic + "." + group.purpose();
                if (!group.fanout() && share) {
                    // a new share group starts at the latest offset: from the start, as the topic is the run's own
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, groupId);
                    admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                            new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
                    shareGroups.add(groupId);
                }
                for (int i = 0; i < group.instances(); i++) {
                    CountDownLatch assigned = new CountDownLatch(1);
                    ready.add(assigned);
                    if (!group.fanout() && share) {
                        shareConsumer(topic, groupId, counted, meter, assigned);
                    } else {
                        String id = group.fanout() ? groupId + "." + i : groupId;
                        if (i == 0 || group.fanout()) {
                            consumerGroups.add(id);
                        }
                        consumer(topic, id, counted, meter, assigned);
                    }
                }
            }
        }
        for (CountDownLatch latch : ready) {
            latch.await(30, TimeUnit.SECONDS); // consumers joined (a slow group leaves the warm-up to the rest)
        }
        // a share consumer has no assignment of its own to wait for: the group's members as the
        // coordinator describes them (the first share group of a cluster creates the share state topic)
        for (Scenario.Group group : scenario.purposes()) {
            for (String topic : scenario.topicNames(run)) {
                String groupId = topic + "." + group.purpose();
                if (shareGroups.contains(groupId)) {
                    awaitShareGroup(groupId, group.instances());
                }
            }
        }
    }

    private void awaitShareGroup(String groupId, int members) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                var d = admin.describeShareGroups(List.of(groupId)).describedGroups().get(groupId).get(10, TimeUnit.SECONDS);
                if (d.members().size() >= members && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // GroupIdNotFoundException until the first member joined
            }
            Thread.sleep(100);
        }
        System.out.println("    (Kafka: share group " + groupId + " without " + members + " assigned members after 60 s)");
    }

    private void shareConsumer(String topic, String groupId, boolean counted, Meter meter, CountDownLatch assigned) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        KafkaShareConsumer<byte[], byte[]> c = new KafkaShareConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        synchronized (wakers) {
            wakers.add(c::wakeup);
        }
        start(() -> {
            try {
                c.subscribe(List.of(topic));
                while (running) {
                    var records = c.poll(Duration.ofMillis(100));
                    assigned.countDown(); // a share consumer needs no assignment to be fetched for
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        meter.delivered(counted, sent(r.headers().lastHeader("bench_sent")));
                        c.acknowledge(r); // sent with the next poll
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                try {
                    c.commitSync(Duration.ofSeconds(5));
                } catch (Exception e) {
                    // closing anyway
                }
                c.close(Duration.ofSeconds(5));
            }
        });
    }

    private void consumer(String topic, String groupId, boolean counted, Meter meter, CountDownLatch assigned) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // the topic is the run's own
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        synchronized (wakers) {
            wakers.add(c::wakeup);
        }
        start(() -> {
            int uncommitted = 0;
            try {
                c.subscribe(List.of(topic));
                while (running) {
                    var records = c.poll(Duration.ofMillis(100));
                    if (!c.assignment().isEmpty()) {
                        assigned.countDown();
                    }
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        meter.delivered(counted, sent(r.headers().lastHeader("bench_sent")));
                        if (++uncommitted >= ACK_EVERY) {
                            c.commitAsync(); // the offsets of everything polled so far
                            uncommitted = 0;
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                try {
                    c.commitSync(Duration.ofSeconds(5));
                } catch (Exception e) {
                    // closing anyway
                }
                c.close(Duration.ofSeconds(5));
            }
        });
    }

    private void start(Runnable loop) {
        Thread t = new Thread(loop, "kafka-consumer");
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    private static long sent(Header header) {
        return ByteBuffer.wrap(header.value()).getLong();
    }

    @Override
    public Publisher publisher() throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all"); // the default, written out
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Semaphore window = new Semaphore(WINDOW);
        return new Publisher() {
            @Override
            public void publish(String topic, byte[] data) throws Exception {
                window.acquire();
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, data);
                r.headers().add("bench_sent", ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
                producer.send(r, (metadata, e) -> {
                    if (e != null) {
                        e.printStackTrace();
                    }
                    window.release();
                });
            }

            @Override
            public void flush() throws Exception {
                producer.flush();
                if (!window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("publishes not acknowledged within 60 s");
                }
                window.release(WINDOW);
            }

            @Override
            public void close() throws Exception {
                producer.close(Duration.ofSeconds(10));
            }
        };
    }

    @Override
    public void close() throws Exception {
        running = false;
        synchronized (wakers) {
            for (AutoCloseable w : wakers) {
                w.close();
            }
        }
        for (Thread t : threads) {
            t.join(15_000);
        }
        if (admin == null) {
            return;
        }
        try {
            deleteQuietly(shareGroups, g -> admin.deleteShareGroups(g).all().get(30, TimeUnit.SECONDS));
            deleteQuietly(consumerGroups, g -> admin.deleteConsumerGroups(g).all().get(30, TimeUnit.SECONDS));
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS); // the data goes with them
        } finally {
            admin.close(Duration.ofSeconds(10));
        }
    }

    private interface Deletion {
        void delete(Collection<String> names) throws Exception;
    }

    private static void deleteQuietly(List<String> names, Deletion deletion) {
        if (names.isEmpty()) {
            return;
        }
        try {
            deletion.delete(names);
        } catch (Exception e) {
            System.out.println("    (Kafka: deleting groups " + names + ": " + e.getMessage() + ")");
        }
    }
}
