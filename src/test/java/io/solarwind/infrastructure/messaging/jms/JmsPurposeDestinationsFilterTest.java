package io.solarwind.infrastructure.messaging.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.domain.Exchange;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.PurposeFilter;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import io.solarwind.infrastructure.broker.TestBrokers;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A direct purpose's filter is its queue's filter in a real broker: the topic's address routes to
 * it only the matching events, beside an unfiltered sibling; creating the destination again with
 * another filter (or none) gives the queue the registration's filter.
 */
class JmsPurposeDestinationsFilterTest {
    private static final String URL = "vm://4716";
    private static final Redelivery POLICY = new Redelivery(5, 100, 2.0, 1000);
    private static final Topic TOPIC = Topic.of("orders.filtered");

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

    /** A persistent broker of its own with Solar Wind's fixed topology, and purpose destinations on it. */
    private JmsPurposeDestinations start(String name) throws Exception {
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(TestBrokers.persistent(name, data.toFile(), URL));
        broker.start();
        connection = new TestBrokers.AdminConnection(URL);
        new BrokerTopology(connection).ensure();
        return new JmsPurposeDestinations(connection);
    }

    private static Registration direct(String purpose, String filter) {
        return new Registration(TOPIC, Purpose.of(purpose), Exchange.DIRECT, POLICY, Instant.now(), null,
                filter == null ? null : PurposeFilter.parse(filter));
    }

    @Test
    void theQueueTakesOnlyMatchingEventsAndTakesTheFilterOfEachCreation() throws Exception {
        JmsPurposeDestinations destinations = start("filter-test");
        Registration eu = direct("eu", "{\"prefix\":{\"subject\":\"eu-\"}}");
        Registration all = direct("all", null);
        destinations.create(eu, POLICY);
        destinations.create(all, POLICY);
        destinations.create(eu, POLICY); // again, the same: nothing changes

        publish("eu-1", "us-1", null, "eu-2", "eu'-3");
        assertEquals(2, messages(eu.queue()));
        assertEquals(5, messages(all.queue()));
        assertEquals(eu.filter().selector(), filterOf(eu.queue()));

        Registration us = direct("eu", "{\"not\":{\"prefix\":{\"subject\":\"eu-\"}}}");
        destinations.create(us, POLICY);
        assertEquals(us.filter().selector(), filterOf(eu.queue()));
        publish("eu-1", "us-1", null, "eu-2", "eu'-3");
        assertEquals(2 + 3, messages(eu.queue()), "the new filter takes us-1, the event without subject and eu'-3");

        destinations.create(direct("eu", null), POLICY);
        assertEquals(null, filterOf(eu.queue()));
        publish("eu-1", "us-1", null, "eu-2", "eu'-3");
        assertEquals(5 + 5, messages(eu.queue()), "without a filter the queue takes every event");
        assertEquals(15, messages(all.queue()));
    }

    /**
     * A purpose's versions in a real broker: each version's queue takes only the events marked with its
     * version (the base version's also the unmarked ones), beside the purpose's own filter; a purpose whose
     * only version is 2 still has settings on version 1's name, which the broker plugin checks when a
     * handler dead-letters one of its events.
     */
    @Test
    void eachVersionsQueueTakesTheEventsMarkedWithItsVersion() throws Exception {
        JmsPurposeDestinations destinations = start("versions-test");
        Instant now = Instant.now();
        Registration one = new Registration(TOPIC, Purpose.of("bill-eu"), Exchange.DIRECT, POLICY, now, null,
                PurposeFilter.parse("{\"prefix\":{\"subject\":\"eu-\"}}"));
        destinations.create(one, POLICY);
        Registration two = one.withVersions(one.versions().with("2", now));
        destinations.create(two, POLICY);
        assertEquals(two.queueSelector("1"), filterOf(two.versionQueue("1")), "the base version's queue got its mark");

        publishMarked(two.versionProperty(), null, "eu-1", "us-1");   // before the dispatcher knew of version 2
        publishMarked(two.versionProperty(), "1", "eu-2", "us-2");
        publishMarked(two.versionProperty(), "2", "eu-3", "eu-4", "us-3");
        assertEquals(2, messages(two.versionQueue("1")), "eu-1 unmarked and eu-2 marked 1");
        assertEquals(2, messages(two.versionQueue("2")), "eu-3 and eu-4 marked 2, us-3 filtered out");
        assertEquals(List.of("1", "2").size(), destinations.versionStatus(two).size());
        assertEquals(4, destinations.status(two).pending(), "the purpose's pending sums its versions'");

        Registration onlyTwo = new Registration(TOPIC, Purpose.of("later"), Exchange.DIRECT, POLICY, now, null, null,
                io.solarwind.domain.PurposeVersions.first("2", now));
        destinations.create(onlyTwo, POLICY);
        assertEquals(List.of("solarwind.direct.orders.filtered.later~2"), onlyTwo.queues());
        for (String version : new String[] {"1", "2"}) {
            String roles = connection.admin("test", s -> String.valueOf(BrokerManagement.call(s, ResourceNames.BROKER, "getRolesAsJSON",
                    10_000, onlyTwo.versionDestination(version))));
            assertTrue(roles.contains(io.solarwind.infrastructure.messaging.BrokerRoles.handlerOf(onlyTwo)), version + ": " + roles);
        }
        destinations.remove(two);
        assertEquals(false, connection.admin("test", s -> s.queueQuery(SimpleString.of(two.versionQueue("2"))).isExists()),
                "every version's queue goes with the purpose");
    }

    /** Sends one event per subject (null: none) to the topic's address, with the version mark {@code property} = {@code version} (null: unmarked). */
    private void publishMarked(String property, String version, String... subjects) throws Exception {
        try (Session s = connection.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer p = s.createProducer(s.createTopic(Registration.topicAddressOf(TOPIC)))) {
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (String subject : subjects) {
                Message m = s.createMessage();
                m.setStringProperty("ce_type", TOPIC.name());
                if (subject != null) {
                    m.setStringProperty("ce_subject", subject);
                }
                if (version != null) {
                    m.setStringProperty(property, version);
                }
                p.send(m);
            }
        }
    }

    /** Sends one event per subject (null: none) to the topic's address, as the dispatcher does. */
    private void publish(String... subjects) throws Exception {
        publishMarked(null, null, subjects);
    }

    private long messages(String queue) {
        return connection.admin("test", s -> s.queueQuery(SimpleString.of(queue)).getMessageCount());
    }

    /** The queue's filter now, from its control (a queue query reports the one it was created with). */
    private String filterOf(String queue) {
        return connection.admin("test", s -> {
            Object filter = BrokerManagement.call(s, ResourceNames.QUEUE + queue, "getFilter", 10_000);
            return filter == null || String.valueOf(filter).isEmpty() ? null : String.valueOf(filter);
        });
    }
}
