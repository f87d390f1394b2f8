package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.await;
import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.get;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.json;
import static io.solarwind.it.SolarWindServer.post;
import static io.solarwind.it.SolarWindServer.publish;
import static io.solarwind.it.SolarWindServer.purposeUrl;
import static io.solarwind.it.SolarWindServer.put;
import static io.solarwind.it.SolarWindServer.registration;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Versioned purposes: a rolling upgrade of a direct purpose's instances under load (version 1 handling,
 * version 2 deployed, the cut-over, version 1 removed) and a rollback, with every event handled once and
 * by one version; the cut-over's exact point in the event stream; replay and dead-letter retries into the
 * active version; the refusals. Instances are JMS consumers of their version's destination, as a handler's
 * resource adapter consumes it.
 */
class VersionedPurposesIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    /** An instance of one version: takes its version's events one by one, each in a transaction of its own. */
    private static final class Instance {
        final String version;
        final Connection connection;
        final Thread thread;
        final AtomicBoolean stop = new AtomicBoolean();

        Instance(String version, String destination, Map<String, List<String>> handled, List<String> failures) throws JMSException {
            this.version = version;
            connection = jms();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(destination));
            connection.start();
            thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        Message m = consumer.receive(100);
                        if (m != null) {
                            handled.computeIfAbsent(m.getStringProperty("ce_id"), k -> new CopyOnWriteArrayList<>()).add(version);
                            session.commit();
                        }
                    }
                    connection.close();
                } catch (JMSException e) {
                    failures.add("instance of version " + version + ": " + e);
                }
            }, "version-" + version + "-instance");
            thread.start();
        }

        /** The instance goes away (undeployed): it stops taking events and closes its connection. */
        void remove() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }
    }

    /**
     * Version 1 (two instances) handles a steady stream; version 2 is registered and its two instances start,
     * getting nothing before the cut-over; after it they get every new event while version 1 finishes what its
     * queue holds, then goes; the rollback (a cut-over back to 1, with version 1's instances again) sends the
     * next events to version 1 while version 2 finishes. Every published event is handled once, by one
     * version, and version 2's events are one unbroken run of the stream: the cut-overs held at exact points.
     */
    @Test
    void aRollingUpgradeUnderLoadAndARollbackHandleEachEventOnceByOneVersion() throws Exception {
        String topic = uniqueTopic("it.versions");
        JsonObject v1 = SolarWindServer.register(topic, "bill", "direct");
        assertEquals("1", v1.getString("activeVersion"));
        assertEquals(1, v1.getJsonArray("purposeVersions").size());
        String destination1 = v1.getJsonArray("purposeVersions").getJsonObject(0).getString("destination");
        assertEquals(v1.getString("destination"), destination1, "version 1 consumes the purpose's destination, as ever");

        Map<String, List<String>> handled = new ConcurrentHashMap<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Instance> version1 = new ArrayList<>(List.of(new Instance("1", destination1, handled, failures),
                new Instance("1", destination1, handled, failures)));
        List<Instance> version2 = new ArrayList<>();
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger published = new AtomicInteger();
        Thread publisher = new Thread(() -> publishUntilStopped(topic, publishing, published, failures), "versions-publisher");
        publisher.start();
        try {
            await(WAIT, "version 1 handling", () -> handled.size() >= 300);

            // version 2 deployed: its queue exists and its instances consume it, but no event goes there before the cut-over
            HttpResponse<String> registered = put(purposeUrl(topic, "bill"), "{\"exchange\":\"direct\",\"purposeVersion\":\"2\"}");
            assertEquals(200, registered.statusCode(), registered.body());
            JsonObject both = json(registered.body()).asJsonObject();
            assertEquals("1", both.getString("activeVersion"), "a new version is not active before the cut-over");
            String destination2 = both.getJsonArray("purposeVersions").getJsonObject(1).getString("destination");
            assertEquals(destination1 + "~2", destination2);
            version2.add(new Instance("2", destination2, handled, failures));
            version2.add(new Instance("2", destination2, handled, failures));
            await(WAIT, "version 2's instances consuming", () -> version(registration(topic, "bill"), "2").getInt("consumers") == 2);
            int before = handled.size();
            await(WAIT, "more events handled by version 1 while version 2 waits", () -> handled.size() >= before + 200);
            assertFalse(handled.values().stream().anyMatch(v -> v.contains("2")), "no event reaches version 2 before the cut-over");

            // the cut-over: new events to version 2; version 1 finishes its queue, then is removed
            JsonObject cut = cutOver(topic, "bill", "2");
            assertEquals("2", cut.getString("activeVersion"));
            assertEquals(destination2, cut.getString("destination"), "the purpose's destination is the active version's");
            await(WAIT, "version 2 handling", () -> count(handled, "2") >= 300);
            await(WAIT, "version 1's queue finished", () -> version(registration(topic, "bill"), "1").getInt("pending") == 0);
            for (Instance i : version1) {
                i.remove();
            }
            version1.clear();
            JsonObject upgraded = registration(topic, "bill");
            assertEquals(0, version(upgraded, "1").getInt("consumers"), "version 1 has no instances left");
            assertEquals(2, version(upgraded, "2").getInt("consumers"));
            int afterRemoval = count(handled, "2");
            await(WAIT, "version 2 alone handling", () -> count(handled, "2") >= afterRemoval + 300);

            // the rollback: version 1's instances again, a cut-over back to 1; version 2 finishes its queue and goes
            version1.add(new Instance("1", destination1, handled, failures));
            version1.add(new Instance("1", destination1, handled, failures));
            int version1Before = count(handled, "1");
            JsonObject back = cutOver(topic, "bill", "1");
            assertEquals("1", back.getString("activeVersion"));
            await(WAIT, "version 1 handling again", () -> count(handled, "1") >= version1Before + 300);
            await(WAIT, "version 2's queue finished", () -> version(registration(topic, "bill"), "2").getInt("pending") == 0);
            for (Instance i : version2) {
                i.remove();
            }
            version2.clear();
        } finally {
            publishing.set(false);
            publisher.join(30_000);
        }
        try {
            await(WAIT, published.get() + " events handled (have " + handled.size() + ")", () -> handled.size() >= published.get());
            try (Connection c = jms()) {
                Received.awaitDrained(c, destination1);
            }
        } finally {
            for (Instance i : version1) {
                i.remove();
            }
        }

        assertTrue(failures.isEmpty(), failures.toString());
        int total = published.get();
        int twice = 0;
        int lost = 0;
        TreeMap<Integer, String> versionBySeq = new TreeMap<>();
        for (int seq = 0; seq < total; seq++) {
            List<String> versions = handled.get(topic + "-" + seq);
            if (versions == null) {
                lost++;
                continue;
            }
            twice += versions.size() - 1;
            versionBySeq.put(seq, versions.get(0));
        }
        int byVersion2 = count(handled, "2");
        System.out.printf("[versions] events %d, lost %d, handled twice %d, by version 1 %d, by version 2 %d%n",
                total, lost, twice, count(handled, "1"), byVersion2);
        assertEquals(0, lost, "events lost");
        assertEquals(0, twice, "events handled twice (by one version or both)");
        assertEquals(total, handled.size(), "no event handled that was not published");
        // the dispatcher marks events in stream order: version 2's events are one run, version 1's before and after it
        int first2 = versionBySeq.entrySet().stream().filter(e -> e.getValue().equals("2")).findFirst().orElseThrow().getKey();
        int last2 = versionBySeq.descendingMap().entrySet().stream().filter(e -> e.getValue().equals("2")).findFirst().orElseThrow().getKey();
        assertEquals(last2 - first2 + 1, byVersion2, "version 2 handled events " + first2 + " to " + last2 + " and nothing between them went to version 1");
        assertTrue(first2 > 0 && last2 < total - 1, "version 1 handled events before the cut-over and after the rollback");

        JsonObject done = registration(topic, "bill");
        JsonArray cutovers = done.getJsonArray("cutovers");
        assertEquals(2, cutovers.size(), done.toString());
        assertEquals("1", cutovers.getJsonObject(0).getString("from"));
        assertEquals("2", cutovers.getJsonObject(0).getString("to"));
        assertEquals("1", cutovers.getJsonObject(1).getString("to"));
    }

    /** Replay and a dead letter's retry go to the active version's queue (marked with its version, or its queue's filter would drop them). */
    @Test
    void replayAndRetriesGoToTheActiveVersion() throws Exception {
        String topic = uniqueTopic("it.versions.replay");
        Instant start = Instant.now().minusSeconds(1);
        for (int i = 0; i < 20; i++) {
            publish(topic, topic + "-early-" + i, "{\"n\":" + i + "}"); // retained, dispatched to no one yet
        }
        HttpResponse<String> v1 = put(purposeUrl(topic, "late"),
                "{\"exchange\":\"direct\",\"redelivery\":{\"maxAttempts\":1,\"delayMillis\":0,\"maxDelayMillis\":0}}");
        assertEquals(201, v1.statusCode(), v1.body());
        String destination1 = json(v1.body()).asJsonObject().getString("destination");

        // a dead letter of version 1: its one attempt fails
        publish(topic, topic + "-failing", "{}");
        try (Connection c = jms()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(s.createQueue(destination1));
            c.start();
            Message m = consumer.receive(WAIT.toMillis());
            assertNotNull(m, "the failing event reached version 1");
            s.rollback();
        }
        await(WAIT, "the dead letter listed", () -> get(purposeUrl(topic, "late") + "/dead-letters").body().contains(topic + "-failing"));

        assertEquals(200, put(purposeUrl(topic, "late"), "{\"exchange\":\"direct\",\"purposeVersion\":\"2\"}").statusCode());
        cutOver(topic, "late", "2");
        HttpResponse<String> replayed = post(purposeUrl(topic, "late") + "/replay", Map.of("Content-Type", "application/json"),
                ("{\"from\":\"" + start + "\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals(202, replayed.statusCode(), replayed.body());
        long copied = json(replayed.body()).asJsonObject().getJsonNumber("replayed").longValue();
        assertTrue(copied >= 20, replayed.body());
        HttpResponse<String> retried = post(purposeUrl(topic, "late") + "/dead-letters/" + topic + "-failing/retry", Map.of(), new byte[0]);
        assertEquals(202, retried.statusCode(), retried.body());

        JsonObject now = registration(topic, "late");
        assertEquals(0, version(now, "1").getInt("pending"), "nothing for the version cut over from");
        assertEquals(copied + 1, version(now, "2").getJsonNumber("pending").longValue(), "the replayed events and the retried one: " + now);
        assertEquals(copied + 1, now.getJsonNumber("pending").longValue(), "the purpose's pending sums its versions'");
    }

    @Test
    void versionChangesThatCannotBeAreRefusedWithAProblem() {
        String topic = uniqueTopic("it.versions.bad");
        SolarWindServer.register(topic, "work", "direct");
        SolarWindServer.register(topic, "watch", "fanout");

        HttpResponse<String> unknown = post(purposeUrl(topic, "work") + "/cutover", Map.of("Content-Type", "application/json"),
                "{\"version\":\"3\"}".getBytes(StandardCharsets.UTF_8));
        assertProblem(unknown, 409, "version-conflict");
        assertTrue(unknown.body().contains("no version 3"), unknown.body());

        assertEquals(200, put(purposeUrl(topic, "watch"), "{\"exchange\":\"fanout\",\"purposeVersion\":\"2\"}").statusCode(),
                "a fanout purpose's versions are recorded");
        assertEquals(2, registration(topic, "watch").getJsonArray("purposeVersions").size());
        assertProblem(post(purposeUrl(topic, "watch") + "/cutover", Map.of("Content-Type", "application/json"),
                "{\"version\":\"2\"}".getBytes(StandardCharsets.UTF_8)), 409, "version-conflict");

        assertProblem(put(purposeUrl(topic, "work"), "{\"exchange\":\"direct\",\"purposeVersion\":\"2 beta\"}"), 400, "invalid-input");
        assertProblem(put(purposeUrl(topic, "work"), "{\"exchange\":\"direct\",\"purposeVersion\":2}"), 400, "invalid-input");
        assertProblem(post(purposeUrl(topic, "work") + "/cutover", Map.of("Content-Type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8)), 400, "invalid-input");
        assertProblem(post(purposeUrl(topic, "nobody") + "/cutover", Map.of("Content-Type", "application/json"),
                "{\"version\":\"1\"}".getBytes(StandardCharsets.UTF_8)), 404, null);
        assertEquals(List.of("1"), registration(topic, "work").getJsonArray("purposeVersions").stream()
                .map(v -> v.asJsonObject().getString("version")).toList(), "nothing changed by the refused calls");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), response.headers().toString());
        if (type != null) {
            assertEquals("urn:solarwind:problem:" + type, json(response.body()).asJsonObject().getString("type"), response.body());
        }
    }

    private static JsonObject cutOver(String topic, String purpose, String version) {
        HttpResponse<String> response = post(purposeUrl(topic, purpose) + "/cutover",
                Map.of("Content-Type", "application/json"), ("{\"version\":\"" + version + "\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body()).asJsonObject();
    }

    private static JsonObject version(JsonObject registration, String version) {
        return registration.getJsonArray("purposeVersions").stream().map(v -> v.asJsonObject())
                .filter(v -> v.getString("version").equals(version)).findFirst()
                .orElseThrow(() -> new AssertionError("no version " + version + " in " + registration));
    }

    private static int count(Map<String, List<String>> handled, String version) {
        return (int) handled.values().stream().flatMap(List::stream).filter(version::equals).count();
    }

    /** Publishes events 0, 1, 2, ... in order over JMS (transactions of 10, about 400 a second) until told to stop. */
    private static void publishUntilStopped(String topic, AtomicBoolean publishing, AtomicInteger published, List<String> failures) {
        try (Connection c = jms()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = s.createProducer(s.createTopic("solarwind.inbound"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            int seq = 0;
            while (publishing.get()) {
                for (int i = 0; i < 10; i++, seq++) {
                    Message m = s.createTextMessage("{\"n\":" + seq + "}");
                    m.setStringProperty("ce_type", topic);
                    m.setStringProperty("ce_id", topic + "-" + seq);
                    m.setStringProperty("ce_source", "/it/versions");
                    m.setStringProperty("ce_datacontenttype", "application/json");
                    producer.send(m);
                }
                s.commit();
                published.set(seq);
                SolarWindServer.sleep(25);
            }
        } catch (JMSException e) {
            failures.add("publisher: " + e);
        }
    }
}
