package io.solarwind.infrastructure.messaging.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.application.ConcurrentRegistryChangeException;
import io.solarwind.application.RegistryChange;
import io.solarwind.domain.Exchange;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import io.solarwind.infrastructure.broker.TestBrokers;
import io.solarwind.infrastructure.messaging.BrokerNames;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry store against a real broker in this JVM: records spread over the registry's
 * queues by key, the newest record of a key wins, tombstones delete, everything survives a
 * broker restart; the broker refuses a second write of a key's version; every change is
 * announced to listeners and put into the dispatch stream in order with the events.
 */
class JmsRegistrationStoreTest {
    private static final String URL = "vm://4712";
    private static final Redelivery POLICY = new Redelivery(5, 100, 2.0, 1000);

    @TempDir
    Path data;
    private EmbeddedActiveMQ broker;
    private TestBrokers.AdminConnection connection;

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void theNewestRecordOfAKeyWinsAcrossTheQueuesAndARestart() throws Exception {
        start();
        JmsRegistrationStore store = store();
        List<Registration> registered = IntStream.range(0, 200).mapToObj(i -> registration("orders.t" + i, "p" + (i % 3), Exchange.DIRECT)).toList();
        registered.forEach(r -> store.write(RegistryChange.saved(r, 1)));
        Registration redeclared = registration("orders.t7", "p1", Exchange.FANOUT);
        store.write(RegistryChange.saved(redeclared, 2)); // the same key, declared again
        Registration deleted = registration("orders.t8", "p2", Exchange.DIRECT);
        store.write(RegistryChange.deleted(deleted.topic(), deleted.purpose(), 2));

        Set<String> expected = registered.stream().map(r -> r.key().equals(redeclared.key()) ? describe(redeclared, 2)
                        : r.key().equals(deleted.key()) ? deleted.key() + "@2 deleted" : describe(r, 1))
                .collect(Collectors.toSet());
        assertEquals(expected, describeAll(store.loadAll()));
        long used = IntStream.range(0, BrokerNames.REGISTRY_SHARDS).filter(n -> messages(BrokerNames.registryShard(n)) > 0).count();
        assertTrue(used > BrokerNames.REGISTRY_SHARDS / 2, "200 keys spread over the registry's queues: " + used + " used");
        assertEquals(200, IntStream.range(0, BrokerNames.REGISTRY_SHARDS).mapToLong(n -> messages(BrokerNames.registryShard(n))).sum(),
                "one record per key (the tombstone included), older ones replaced");

        restart();
        assertEquals(expected, describeAll(store().loadAll()), "the records are durable");
    }

    @Test
    void ofTwoWritesOfTheSameVersionTheBrokerTakesOnlyTheFirst() throws Exception {
        start();
        JmsRegistrationStore store = store();
        Registration direct = registration("orders.placed", "ship", Exchange.DIRECT);
        store.write(RegistryChange.saved(direct, 1));
        ConcurrentRegistryChangeException e = assertThrows(ConcurrentRegistryChangeException.class,
                () -> store().write(RegistryChange.saved(registration("orders.placed", "ship", Exchange.FANOUT), 1)),
                "another server writing version 1 too");
        assertTrue(e.getMessage().contains("orders.placed/ship"), e.getMessage());
        assertEquals(Set.of(describe(direct, 1)), describeAll(store.loadAll()), "the first write stands");
        assertEquals(1, messages(BrokerNames.DISPATCH_QUEUE), "nothing of the refused write reached the dispatch stream");

        store.write(RegistryChange.saved(registration("orders.placed", "ship", Exchange.FANOUT), 2));
        restart();
        assertThrows(ConcurrentRegistryChangeException.class,
                () -> store().write(RegistryChange.deleted(Topic.of("orders.placed"), Purpose.of("ship"), 2)),
                "the broker remembers the versions written across a restart");
    }

    @Test
    void aPushPurposeKeepsItsUrlConcurrencyAndSecretAcrossARestart() throws Exception {
        start();
        Registration push = new Registration(Topic.of("orders.paid"), Purpose.of("hook"), Exchange.DIRECT, POLICY,
                Instant.parse("2026-12-02T10:00:00Z"),
                new io.solarwind.domain.Push(java.net.URI.create("https://hooks.example.com/in?a=1"), 3, "a-secret-of-sixteen"));
        Registration plain = registration("orders.paid", "ledger", Exchange.DIRECT);
        store().write(RegistryChange.saved(push, 1));
        store().write(RegistryChange.saved(plain, 1));
        restart();
        List<Registration> read = store().loadAll().stream().map(RegistryChange::registration).toList();
        assertEquals(Set.of(push, plain), Set.copyOf(read), "the push delivery, its secret included, is part of the record");
    }

    @Test
    void aFilteredPurposeKeepsItsFilterAcrossARestart() throws Exception {
        start();
        io.solarwind.domain.PurposeFilter filter = io.solarwind.domain.PurposeFilter.parse(
                "{\"any\":[{\"prefix\":{\"subject\":\"eu-\"}},{\"not\":{\"exact\":{\"source\":\"it's/legacy\"}}}]}");
        Registration filtered = new Registration(Topic.of("orders.paid"), Purpose.of("eu"), Exchange.FANOUT, POLICY,
                Instant.parse("2026-12-02T10:00:00Z"), null, filter);
        store().write(RegistryChange.saved(filtered, 1));
        restart();
        List<Registration> read = store().loadAll().stream().map(RegistryChange::registration).toList();
        assertEquals(List.of(filtered), read, "the filter is part of the record");
        assertEquals(filter.selector(), read.get(0).filter().selector());
    }

    @Test
    void everyChangeIsAnnouncedAndPutIntoTheDispatchStreamInOrderWithEvents() throws Exception {
        start();
        List<RegistryChange> heard = new CopyOnWriteArrayList<>();
        JmsRegistrationStore listening = store();
        listening.listen(heard::add);
        JmsRegistrationStore writing = store();
        Registration direct = registration("orders.placed", "ship", Exchange.DIRECT);
        publishEvent("before");
        writing.write(RegistryChange.saved(direct, 1));
        publishEvent("after");
        writing.write(RegistryChange.deleted(direct.topic(), direct.purpose(), 2));

        assertTrue(await(() -> heard.size() == 2), "both changes heard: " + heard);
        assertEquals(List.of(RegistryChange.saved(direct, 1), RegistryChange.deleted(direct.topic(), direct.purpose(), 2)), heard);

        List<String> stream = new ArrayList<>();
        try (Session s = connection.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageConsumer c = s.createConsumer(s.createQueue(BrokerNames.DISPATCH_FQQN))) {
            for (Message m = c.receive(2000); m != null; m = c.receive(500)) {
                stream.add(RegistryRecords.isControl(m) ? RegistryRecords.fromMessage(m).toString() : "event " + m.getStringProperty("ce_id"));
            }
        }
        assertEquals(List.of("event before", RegistryChange.saved(direct, 1).toString(), "event after",
                RegistryChange.deleted(direct.topic(), direct.purpose(), 2).toString()), stream);
    }

    private void start() throws Exception {
        Configuration config = TestBrokers.persistent("registry-test", data.toFile(), URL);
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        connection = new TestBrokers.AdminConnection(URL);
        new BrokerTopology(connection).ensure();
    }

    private void restart() throws Exception {
        connection.close();
        broker.stop();
        start();
    }

    private JmsRegistrationStore store() {
        return new JmsRegistrationStore(connection);
    }

    private void publishEvent(String id) throws JMSException {
        try (Session s = connection.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer p = s.createProducer(s.createTopic(BrokerNames.INBOUND))) {
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            Message m = s.createMessage();
            m.setStringProperty("ce_id", id);
            m.setStringProperty("ce_type", "orders.placed");
            p.send(m);
        }
    }

    private static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    private long messages(String queue) {
        return connection.admin("test", s -> s.queueQuery(SimpleString.of(queue)).getMessageCount());
    }

    private static Registration registration(String topic, String purpose, Exchange exchange) {
        return new Registration(Topic.of(topic), Purpose.of(purpose), exchange, POLICY, Instant.parse("2026-11-30T08:00:00Z"));
    }

    private static String describe(Registration r, long version) {
        return r.key() + "@" + version + " " + r.exchange().wireName() + "/" + r.redelivery() + "/" + r.registeredAt();
    }

    private static Set<String> describeAll(List<RegistryChange> all) {
        assertEquals(all.size(), all.stream().map(RegistryChange::key).distinct().count(), "one change per key: " + all);
        return all.stream().map(c -> c.isDeletion() ? c.key() + "@" + c.version() + " deleted" : describe(c.registration(), c.version()))
                .collect(Collectors.toSet());
    }
}
