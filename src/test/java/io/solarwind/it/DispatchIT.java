package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.publish;
import static io.solarwind.it.SolarWindServer.publishMany;
import static io.solarwind.it.SolarWindServer.register;
import static io.solarwind.it.SolarWindServer.registration;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed's dispatch semantics, against the real server and broker. */
class DispatchIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    @Test
    void directPurposeSharesEveryEventBetweenTwoConsumersExactlyOnce() throws Exception {
        String topic = uniqueTopic("it.direct");
        JsonObject reg = register(topic, "encode", "direct");
        assertEquals("queue", reg.getString("destinationType"));
        int events = 1000;
        try (Connection a = jms(); Connection b = jms()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Received first = Received.by(sa.createConsumer(sa.createQueue(reg.getString("destination"))));
            Received second = Received.by(sb.createConsumer(sb.createQueue(reg.getString("destination"))));

            Set<String> sent = new HashSet<>(publishOverJms(topic, events));

            SolarWindServer.await(WAIT, events + " events in all", () -> first.size() + second.size() >= events);
            Received.awaitDrained(a, reg.getString("destination"));
            List<String> all = new ArrayList<>(first.ids());
            all.addAll(second.ids());
            assertEquals(events, all.size(), "deliveries (a duplicate would make more)");
            assertEquals(sent, new HashSet<>(all), "every event delivered");
            assertTrue(first.size() > 0 && second.size() > 0,
                    "both instances get some: " + first.size() + " / " + second.size());
        }
    }

    @Test
    void fanoutPurposeGivesEverySubscriberEveryEvent() throws Exception {
        String topic = uniqueTopic("it.fanout");
        JsonObject reg = register(topic, "audit", "fanout");
        assertEquals("topic", reg.getString("destinationType"));
        try (Connection a = jms(); Connection b = jms()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Received first = Received.by(sa.createConsumer(sa.createTopic(reg.getString("destination"))));
            Received second = Received.by(sb.createConsumer(sb.createTopic(reg.getString("destination"))));
            assertEquals(2, registration(topic, "audit").getInt("consumers"));

            List<String> sent = publishMany(topic, 50);

            first.awaitAtLeast(50, WAIT);
            second.awaitAtLeast(50, WAIT);
            Received.awaitDrained(a, reg.getString("destination"));
            assertEquals(sent, first.ids());
            assertEquals(sent, second.ids());
        }
    }

    @Test
    void threePurposesOnOneTopicEachGetTheirOwnCopy() throws Exception {
        String topic = uniqueTopic("it.three");
        JsonObject encode = register(topic, "encode-mp4", "direct");
        JsonObject thumbnail = register(topic, "thumbnail", "direct");
        JsonObject audit = register(topic, "audit-log", "fanout");
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Received encoder = Received.by(s.createConsumer(s.createQueue(encode.getString("destination"))));
            Received thumbnailer = Received.by(s.createConsumer(s.createQueue(thumbnail.getString("destination"))));
            Received auditor = Received.by(s.createConsumer(s.createTopic(audit.getString("destination"))));

            List<String> sent = publishMany(topic, 20);

            for (Received r : List.of(encoder, thumbnailer, auditor)) {
                r.awaitAtLeast(20, WAIT);
            }
            Received.awaitDrained(c, encode.getString("destination"), thumbnail.getString("destination"), audit.getString("destination"));
            assertEquals(sent, encoder.ids());
            assertEquals(sent, thumbnailer.ids());
            assertEquals(sent, auditor.ids());
            assertEquals(20L, ((Number) BrokerQueues.attribute(c, "address.solarwind.topic." + topic, "routedMessageCount")).longValue(),
                    "the broker got each event once for the topic's two direct purposes (their queues share its address)");
        }
    }

    @Test
    void directPurposeWithoutConsumerKeepsEventsPendingAndDeliversThemInOrder() throws Exception {
        String topic = uniqueTopic("it.pending");
        JsonObject reg = register(topic, "later", "direct");
        List<String> sent = publishMany(topic, 25);
        SolarWindServer.await(WAIT, "25 pending", () -> registration(topic, "later").getInt("pending") == 25);
        assertEquals(0, registration(topic, "later").getInt("consumers"));

        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(reg.getString("destination")));
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                Message m = consumer.receive(10_000);
                assertTrue(m != null, "event " + i + " arrives");
                received.add(Received.id(m));
            }
            assertEquals(sent, received, "delivered in publish order");
            assertEquals(null, consumer.receive(500));
        }
        assertEquals(0, registration(topic, "later").getInt("pending"));
    }

    @Test
    void theBrokerWritesNoLogLinePerEvent() throws Exception {
        // Artemis's audit loggers reach Liberty's log at INFO unless Solar Wind turns them off
        // (solarwind.broker.audit-log): a line for each send, delivery and acknowledgement
        String topic = uniqueTopic("it.quietlog");
        JsonObject reg = register(topic, "quiet", "direct");
        List<String> sent = publishMany(topic, 10);
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(reg.getString("destination")));
            for (int i = 0; i < sent.size(); i++) {
                assertTrue(consumer.receive(10_000) != null, "event " + i + " arrives");
            }
        }
        java.nio.file.Path log = SolarWindServer.wlp().resolve("usr/servers/" + SolarWindServer.serverName() + "/logs/messages.log");
        List<String> lines = java.nio.file.Files.readAllLines(log);
        List<String> naming = lines.stream().filter(l -> l.contains(topic) || l.contains("org.apache.activemq.audit")).toList();
        assertTrue(naming.isEmpty(), naming.size() + " lines of " + log + " name the test's events or come from the broker's audit log, first: "
                + naming.stream().limit(3).toList());
    }

    @Test
    void fanoutPurposeWithoutSubscriberDropsItsCopies() throws Exception {
        String topic = uniqueTopic("it.drop");
        JsonObject reg = register(topic, "watch", "fanout");
        JsonObject witness = register(topic, "witness", "direct");
        publishMany(topic, 10);
        // the direct witness proves the ten were dispatched before anyone subscribed to the fanout
        SolarWindServer.await(WAIT, "10 dispatched", () -> registration(topic, "witness").getInt("pending") == 10);
        assertEquals(0, registration(topic, "watch").getInt("pending"));
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Received watcher = Received.by(s.createConsumer(s.createTopic(reg.getString("destination"))));
            String marker = publish(topic, topic + "-after", "{}");
            watcher.awaitAtLeast(1, WAIT);
            Received.awaitDrained(c, reg.getString("destination"));
            assertEquals(List.of(marker), watcher.ids(), "only the event published while subscribed");
        }
        assertEquals(11, registration(topic, "witness").getInt("pending"));
        assertEquals("solarwind.topic." + topic + "::solarwind.direct." + topic + ".witness", witness.getString("destination"));
    }

    @Test
    void topicWithoutPurposeAcceptsEventsAndDispatchesThemNowhere() throws Exception {
        String topic = uniqueTopic("it.nobody");
        String id = publish(topic, topic + "-lonely", "{}");
        assertEquals(topic + "-lonely", id);
        // Once a later event on the same topic reaches a new purpose, the first one was dispatched (nowhere).
        register(topic, "late", "direct");
        String second = publish(topic, topic + "-second", "{}");
        JsonObject reg = registration(topic, "late");
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(reg.getString("destination")));
            Message m = consumer.receive(10_000);
            assertEquals(second, Received.id(m));
            assertEquals(null, consumer.receive(1000), "the event published before any purpose went nowhere");
        }
        assertEquals(200, SolarWindServer.get(SolarWindServer.API + "/topics/" + topic + "/purposes").statusCode());
    }

    @Test
    void theAdminApiTellsWhichBrokerAndJournalTheServerRunsOn() {
        var response = SolarWindServer.get(SolarWindServer.API + "/broker");
        assertEquals(200, response.statusCode(), response.body());
        JsonObject broker = SolarWindServer.json(response.body()).asJsonObject();
        assertTrue(broker.getBoolean("embedded") && broker.getBoolean("connected") && broker.getBoolean("dispatching"), broker.toString());
        assertTrue(List.of("ASYNCIO", "NIO").contains(broker.getString("journal")), broker.toString());
    }

    /** Publishes over JMS to solarwind.inbound in transacted batches; returns the ids. */
    static List<String> publishOverJms(String topic, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = jms()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = s.createProducer(s.createTopic("solarwind.inbound"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < count; i++) {
                Message m = s.createTextMessage("{\"n\":" + i + "}");
                String id = topic + "-jms-" + i;
                m.setStringProperty("ce_type", topic);
                m.setStringProperty("ce_id", id);
                m.setStringProperty("ce_source", "/it/jms");
                m.setStringProperty("ce_datacontenttype", "application/json");
                producer.send(m);
                ids.add(id);
                if (i % 100 == 99) {
                    s.commit();
                }
            }
            s.commit();
        }
        return ids;
    }
}
