package io.solarwind.interfaces.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.application.RegistryChange;
import io.solarwind.dispatch.Dispatcher;
import io.solarwind.domain.Exchange;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import io.solarwind.infrastructure.broker.EmbeddedBroker;
import io.solarwind.infrastructure.broker.TestBrokers;
import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.jms.BrokerTopology;
import io.solarwind.infrastructure.messaging.jms.JmsRegistrationStore;
import io.solarwind.interfaces.rest.BrokerResource;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message on a registry queue that is no registration record (only a broker administrator can
 * put one there): the server does not read the registry, so it does not dispatch (the events wait),
 * and says why where an operator looks: readiness DOWN naming the record, GET /api/v1/broker
 * listing it, one SEVERE log line per record. Removing the record as docs/high-availability.md
 * says (consuming it by its JMSMessageID) lets the registry be read again.
 */
class UnreadableRegistryRecordTest {
    private static final String URL = "vm://4713";

    @TempDir
    Path data;
    private EmbeddedActiveMQ broker;
    private TestBrokers.AdminConnection connection;

    @AfterEach
    void stop() throws Exception {
        HealthCheckResponse.setResponseProvider(null);
        if (connection != null) {
            connection.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void anUnreadableRecordIsNamedByReadinessTheBrokerViewAndOneSevereLogUntilItIsRemoved() throws Exception {
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(TestBrokers.persistent("unreadable-test", data.toFile(), URL));
        broker.start();
        connection = new TestBrokers.AdminConnection(URL);
        new BrokerTopology(connection).ensure();
        JmsRegistrationStore store = new JmsRegistrationStore(connection);
        Registration ship = new Registration(Topic.of("orders.placed"), Purpose.of("ship"), Exchange.DIRECT,
                new Redelivery(5, 100, 2.0, 1000), Instant.parse("2026-12-02T08:00:00Z"));
        store.write(RegistryChange.saved(ship, 1));

        String queue = BrokerNames.registryShard(7);
        String garbageId;
        try (Session s = connection.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer p = s.createProducer(BrokerTopology.existingQueue(queue))) {
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            Message garbage = s.createTextMessage("not a registration");
            garbage.setStringProperty(BrokerNames.REGISTRY_KEY, "garbage"); // a key of its own: the last-value queue keeps it beside the others
            p.send(garbage);
            garbageId = garbage.getJMSMessageID();
        }
        assertNotNull(garbageId);

        List<LogRecord> severe = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel() == Level.SEVERE) {
                    severe.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(JmsRegistrationStore.class.getName());
        log.addHandler(capture);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, store::loadAll);
            assertTrue(e.getMessage().contains(queue) && e.getMessage().contains(garbageId), e.getMessage());
            assertThrows(IllegalStateException.class, store::loadAll, "the starter retries every 2 s: still unreadable");
        } finally {
            log.removeHandler(capture);
        }
        assertEquals(1, severe.size(), "one SEVERE line per record, not one per retry: " + severe.size());
        String logged = severe.get(0).getMessage();
        assertTrue(logged.contains(queue) && logged.contains(garbageId) && logged.contains("JMSMessageID='" + garbageId + "'"), logged);

        assertEquals(1, store.unreadable().size());
        HealthCheckResponse ready = health(store).ready().call();
        assertEquals(HealthCheckResponse.Status.DOWN, ready.getStatus());
        String named = String.valueOf(ready.getData().orElseThrow().get("unreadableRegistryRecords"));
        assertTrue(named.contains(queue) && named.contains(garbageId), named);

        JsonObject view = BrokerResource.registryStatus(store.unreadable());
        assertFalse(view.getBoolean("readable"));
        assertEquals(queue, view.getJsonArray("unreadable").getJsonObject(0).getString("queue"));
        assertEquals(garbageId, view.getJsonArray("unreadable").getJsonObject(0).getString("messageId"));

        // what the operator does (docs/high-availability.md): consume that one record by its id
        try (Session s = connection.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageConsumer c = s.createConsumer(BrokerTopology.existingQueue(queue), "JMSMessageID='" + garbageId + "'")) {
            assertNotNull(c.receive(5000), "the record removed by its id");
        }
        List<RegistryChange> all = store.loadAll();
        assertEquals(List.of(RegistryChange.saved(ship, 1)), all, "the registry is read again, the good record kept");
        assertEquals(List.of(), store.unreadable());
        assertFalse(health(store).ready().call().getData().orElseThrow().containsKey("unreadableRegistryRecords"));
        assertTrue(BrokerResource.registryStatus(store.unreadable()).getBoolean("readable"));
    }

    private DispatchHealth health(JmsRegistrationStore store) {
        HealthCheckResponse.setResponseProvider(TestResponse::new);
        DispatchHealth health = new DispatchHealth();
        health.broker = connection;
        health.embeddedBroker = new EmbeddedBroker() {
            @Override
            public boolean enabled() {
                return false;
            }
        };
        health.dispatcher = new Dispatcher();
        health.registry = store;
        return health;
    }

    /** MicroProfile Health's builder, which Liberty provides in the server. */
    private static final class TestResponse extends HealthCheckResponseBuilder {
        private String name;
        private boolean up;
        private final Map<String, Object> data = new HashMap<>();

        @Override
        public HealthCheckResponseBuilder name(String name) {
            this.name = name;
            return this;
        }

        @Override
        public HealthCheckResponseBuilder withData(String key, String value) {
            data.put(key, value);
            return this;
        }

        @Override
        public HealthCheckResponseBuilder withData(String key, long value) {
            data.put(key, value);
            return this;
        }

        @Override
        public HealthCheckResponseBuilder withData(String key, boolean value) {
            data.put(key, value);
            return this;
        }

        @Override
        public HealthCheckResponseBuilder up() {
            return status(true);
        }

        @Override
        public HealthCheckResponseBuilder down() {
            return status(false);
        }

        @Override
        public HealthCheckResponseBuilder status(boolean up) {
            this.up = up;
            return this;
        }

        @Override
        public HealthCheckResponse build() {
            return new HealthCheckResponse(name, up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN, Optional.of(data));
        }
    }
}
