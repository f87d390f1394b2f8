package io.solarwind.infrastructure.messaging.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    private static Registration direct(String purpose, String filter) {
        return new Registration(TOPIC, Purpose.of(purpose), Exchange.DIRECT, POLICY, Instant.now(), null,
                filter == null ? null : PurposeFilter.parse(filter));
    }

    @Test
    void theQueueTakesOnlyMatchingEventsAndTakesTheFilterOfEachCreation() throws Exception {
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(TestBrokers.persistent("filter-test", data.toFile(), URL));
        broker.start();
        connection = new TestBrokers.AdminConnection(URL);
        new BrokerTopology(connection).ensure();
        JmsPurposeDestinations destinations = new JmsPurposeDestinations(connection);
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

    /** Sends one event per subject (null: none) to the topic's address, as the dispatcher does. */
    private void publish(String... subjects) throws Exception {
        try (Session s = connection.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer p = s.createProducer(s.createTopic(Registration.topicAddressOf(TOPIC)))) {
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (String subject : subjects) {
                Message m = s.createMessage();
                m.setStringProperty("ce_type", TOPIC.name());
                if (subject != null) {
                    m.setStringProperty("ce_subject", subject);
                }
                p.send(m);
            }
        }
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
