package io.solarwind.infrastructure.messaging.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.domain.Exchange;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import io.solarwind.infrastructure.broker.TestBrokers;
import io.solarwind.infrastructure.messaging.BrokerNames;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry store against a real broker in this JVM: records spread over the registry's
 * queues by key, the newest record of a key wins, tombstones delete, everything survives a
 * broker restart, and the single registry queue of earlier versions is moved into the new
 * queues (where they have nothing newer for a key) and deleted.
 */
class JmsRegistrationStoreTest {
    private static final String URL = "vm://4712";
    private static final Redelivery POLICY = new Redelivery(5, 100, 2.0, 1000);

    @TempDir
    Path data;
    private EmbeddedActiveMQ broker;
    private TestConnection connection;

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.closeAll();
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
        registered.forEach(store::save);
        store.save(registration("orders.t7", "p1", Exchange.FANOUT)); // the same key, declared again
        store.delete(registration("orders.t8", "p2", Exchange.DIRECT));

        Set<String> expected = registered.stream().filter(r -> !r.key().equals(registration("orders.t8", "p2", Exchange.DIRECT).key()))
                .map(r -> r.key().equals(registration("orders.t7", "p1", Exchange.DIRECT).key()) ? describe(registration("orders.t7", "p1", Exchange.FANOUT)) : describe(r))
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
    void theEarlierSingleRegistryQueueIsMovedIntoTheNewQueuesAndDeleted() throws Exception {
        start();
        connection.admin("test", s -> {
            s.createQueue(QueueConfiguration.of(BrokerNames.REGISTRY).setAddress(BrokerNames.REGISTRY).setRoutingType(RoutingType.ANYCAST)
                    .setDurable(true).setLastValue(true).setLastValueKey(BrokerNames.REGISTRY_KEY));
            return null;
        });
        JmsRegistrationStore store = store();
        // written before the upgrade, into the earlier queue
        writeEarlier(registration("old.kept", "a", Exchange.DIRECT), false);
        writeEarlier(registration("old.deleted", "a", Exchange.DIRECT), true);
        writeEarlier(registration("old.redeclared", "a", Exchange.DIRECT), false);
        writeEarlier(registration("old.removed.since", "a", Exchange.FANOUT), false);
        // newer records of two of those keys, already in the new queues
        store.save(registration("old.redeclared", "a", Exchange.FANOUT));
        store.delete(registration("old.removed.since", "a", Exchange.FANOUT));

        Set<String> expected = Set.of(describe(registration("old.kept", "a", Exchange.DIRECT)),
                describe(registration("old.redeclared", "a", Exchange.FANOUT)));
        assertEquals(expected, describeAll(store.loadAll()));
        boolean queueLeft = connection.admin("test", s -> s.queueQuery(SimpleString.of(BrokerNames.REGISTRY)).isExists());
        assertFalse(queueLeft, "the earlier queue is gone");
        boolean addressLeft = connection.admin("test", s -> s.addressQuery(SimpleString.of(BrokerNames.REGISTRY)).isExists());
        assertFalse(addressLeft, "and its address");

        restart();
        assertEquals(expected, describeAll(store().loadAll()), "the moved records are in the new queues");
    }

    private void start() throws Exception {
        Configuration config = TestBrokers.persistent("registry-test", data.toFile(), URL);
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        connection = new TestConnection();
        new BrokerTopology(connection).ensure();
    }

    private void restart() throws Exception {
        connection.closeAll();
        broker.stop();
        start();
    }

    private JmsRegistrationStore store() {
        return new JmsRegistrationStore(connection);
    }

    /** A record as the earlier store wrote it: the same properties, in the single registry queue. */
    private void writeEarlier(Registration r, boolean deleted) throws JMSException {
        try (Session s = connection.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer p = s.createProducer(s.createQueue(BrokerNames.REGISTRY))) {
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            Message m = s.createMessage();
            m.setStringProperty(BrokerNames.REGISTRY_KEY, r.key());
            m.setStringProperty("solarwind_topic", r.topic().name());
            m.setStringProperty("solarwind_purpose", r.purpose().name());
            m.setStringProperty("solarwind_exchange", r.exchange().wireName());
            m.setStringProperty("solarwind_registered_at", r.registeredAt().toString());
            m.setBooleanProperty("solarwind_deleted", deleted);
            m.setIntProperty("solarwind_redelivery_max_attempts", r.redelivery().maxAttempts());
            m.setLongProperty("solarwind_redelivery_delay_millis", r.redelivery().delayMillis());
            m.setDoubleProperty("solarwind_redelivery_multiplier", r.redelivery().multiplier());
            m.setLongProperty("solarwind_redelivery_max_delay_millis", r.redelivery().maxDelayMillis());
            p.send(m);
        }
    }

    private long messages(String queue) {
        return connection.admin("test", s -> s.queueQuery(SimpleString.of(queue)).getMessageCount());
    }

    private static Registration registration(String topic, String purpose, Exchange exchange) {
        return new Registration(Topic.of(topic), Purpose.of(purpose), exchange, POLICY, Instant.parse("2026-11-30T08:00:00Z"));
    }

    private static String describe(Registration r) {
        return r.topic().name() + "/" + r.purpose().name() + "/" + r.exchange().wireName() + "/" + r.redelivery() + "/" + r.registeredAt();
    }

    private static Set<String> describeAll(List<Registration> all) {
        assertEquals(all.size(), all.stream().map(Registration::key).distinct().count(), "one registration per key: " + all);
        return all.stream().sorted(Comparator.comparing(Registration::key)).map(JmsRegistrationStoreTest::describe).collect(Collectors.toSet());
    }

    /** The server's broker connection, on the broker in this JVM: a JMS connection and a core session for administration. */
    private static final class TestConnection extends BrokerConnection {
        private final ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(URL);
        private final Connection jms;
        private final Session adminSession;
        private final ClientSession admin;

        TestConnection() throws JMSException {
            jms = factory.createConnection();
            jms.start();
            adminSession = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
            admin = ((ActiveMQSession) adminSession).getCoreSession();
        }

        @Override
        public Connection connection() {
            return jms;
        }

        @Override
        public synchronized <T> T admin(String what, AdminCall<T> call) {
            try {
                return call.apply(admin);
            } catch (ActiveMQException e) {
                throw new IllegalStateException(what + ": " + e.getMessage(), e);
            }
        }

        void closeAll() throws JMSException {
            jms.close();
            factory.close();
        }
    }
}
