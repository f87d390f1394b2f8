package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.API;
import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.eventsUrl;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.json;
import static io.solarwind.it.SolarWindServer.post;
import static io.solarwind.it.SolarWindServer.purposeUrl;
import static io.solarwind.it.SolarWindServer.put;
import static io.solarwind.it.SolarWindServer.register;
import static io.solarwind.it.SolarWindServer.registration;
import static io.solarwind.it.SolarWindServer.send;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A purpose registered with a filter gets exactly its topic's events the filter matches, beside
 * an unfiltered purpose of the same topic that gets them all; the broker applies a direct
 * purpose's filter at its queue and the dispatcher a fanout purpose's; replay copies only
 * matching events; the rule for registering again, and a bad filter's 400.
 */
class PurposeFilterIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Events whose subject begins with "eu-" or whose region extension is "eu". */
    private static final String EU = "{\"any\":[{\"prefix\":{\"subject\":\"eu-\"}},{\"exact\":{\"region\":\"eu\"}}]}";
    /** Events neither from /legacy nor of region us: an event without a region matches (not of an absent attribute). */
    private static final String NOT_LEGACY = "{\"all\":[{\"not\":{\"exact\":{\"source\":\"/legacy\"}}},{\"not\":{\"exact\":{\"region\":\"us\"}}}]}";

    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    /** One event's attributes beyond id, specversion and type. */
    private record Sent(String id, Map<String, String> attributes) {
    }

    /** Publishes {@code count} events with subjects, regions and sources that vary, some of them absent. */
    private static List<Sent> publishVaried(String topic, int count) {
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, String> attributes = new HashMap<>();
            attributes.put("source", i % 4 == 0 ? "/legacy" : "/it");
            switch (i % 4) {
                case 0 -> attributes.put("subject", "eu-" + i);
                case 1 -> attributes.put("subject", "us-" + i);
                case 2 -> attributes.put("subject", "eu-' OR '1'='1"); // matches as a prefix, quote and all
                default -> { } // no subject
            }
            if (i % 5 == 0) {
                attributes.put("region", "eu");
            } else if (i % 5 == 1) {
                attributes.put("region", "us");
            } else if (i % 5 == 2) {
                attributes.put("region", "e%"); // a LIKE wildcard in an event is no wildcard either
            }
            String id = topic + "-" + i;
            Map<String, String> headers = new HashMap<>();
            headers.put("ce-id", id);
            headers.put("ce-specversion", "1.0");
            headers.put("Content-Type", "application/json");
            // the HTTP binding percent-encodes %, space and double quote in ce-* headers
            attributes.forEach((name, value) -> headers.put("ce-" + name,
                    value.replace("%", "%25").replace(" ", "%20").replace("\"", "%22")));
            HttpResponse<String> response = post(eventsUrl(topic), headers, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            assertEquals(202, response.statusCode(), response.body());
            sent.add(new Sent(id, attributes));
        }
        return sent;
    }

    private static List<String> ids(List<Sent> sent, Predicate<Map<String, String>> filter) {
        return sent.stream().filter(s -> filter.test(s.attributes())).map(Sent::id).toList();
    }

    private static boolean eu(Map<String, String> a) {
        return a.getOrDefault("subject", "").startsWith("eu-") || "eu".equals(a.get("region"));
    }

    private static boolean notLegacy(Map<String, String> a) {
        return !"/legacy".equals(a.get("source")) && !"us".equals(a.get("region"));
    }

    private static HttpResponse<String> registerWith(String topic, String purpose, String exchange, String filter) {
        return put(purposeUrl(topic, purpose), "{\"exchange\":\"" + exchange + "\"" + (filter == null ? "" : ",\"filter\":" + filter) + "}");
    }

    @Test
    void eachPurposeGetsExactlyTheEventsItsFilterMatches() throws Exception {
        String topic = uniqueTopic("it.filter");
        HttpResponse<String> created = registerWith(topic, "eu", "direct", EU);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(json(EU), json(created.body()).asJsonObject().get("filter"), "the answer shows the filter");
        JsonObject all = register(topic, "all", "direct");
        assertFalse(all.containsKey("filter"), "an unfiltered purpose shows none");
        HttpResponse<String> audit = registerWith(topic, "audit", "fanout", NOT_LEGACY);
        assertEquals(201, audit.statusCode(), audit.body());
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            String euQueue = json(created.body()).asJsonObject().getString("destination");
            String auditTopic = json(audit.body()).asJsonObject().getString("destination");
            Received euGot = Received.by(s.createConsumer(s.createQueue(euQueue)));
            Received allGot = Received.by(s.createConsumer(s.createQueue(all.getString("destination"))));
            Received auditGot = Received.by(s.createConsumer(s.createTopic(auditTopic)));

            List<Sent> sent = publishVaried(topic, 60);
            List<String> expectedEu = ids(sent, PurposeFilterIT::eu);
            List<String> expectedAudit = ids(sent, PurposeFilterIT::notLegacy);
            assertTrue(expectedEu.size() > 10 && expectedEu.size() < 50, "the filter takes some, not all: " + expectedEu.size());
            assertTrue(expectedAudit.size() > 10 && expectedAudit.size() < 50, "the filter takes some, not all: " + expectedAudit.size());

            allGot.awaitAtLeast(60, WAIT);
            euGot.awaitAtLeast(expectedEu.size(), WAIT);
            auditGot.awaitAtLeast(expectedAudit.size(), WAIT);
            Received.awaitDrained(c, euQueue, all.getString("destination"), auditTopic);
            assertEquals(sent.stream().map(Sent::id).toList(), allGot.ids(), "the unfiltered purpose gets every event, in order");
            assertEquals(expectedEu, euGot.ids(), "the direct purpose gets exactly the " + expectedEu.size() + " matching events");
            assertEquals(expectedAudit, auditGot.ids(), "the fanout purpose gets exactly the " + expectedAudit.size() + " matching events");
        }
        JsonObject read = registration(topic, "eu");
        assertEquals(json(EU), read.get("filter"), "GET shows the filter");
        assertEquals(0, read.getInt("pending"));
    }

    @Test
    void theSameFilterAgainKeepsThePurposeAnotherIsAConflictAndABadOneIsRefused() {
        String topic = uniqueTopic("it.filter.rule");
        assertEquals(201, registerWith(topic, "eu", "direct", EU).statusCode());
        String reordered = "{\"any\":[{\"prefix\":{\"subject\":\"eu-\"}},{\"exact\":{\"region\":\"eu\"}}]}";
        HttpResponse<String> again = registerWith(topic, "eu", "direct", reordered);
        assertEquals(200, again.statusCode(), again.body());
        HttpResponse<String> without = registerWith(topic, "eu", "direct", null);
        assertEquals(200, without.statusCode(), without.body());
        assertEquals(json(EU), json(without.body()).asJsonObject().get("filter"), "no filter given keeps the purpose's");

        HttpResponse<String> other = registerWith(topic, "eu", "direct", "{\"prefix\":{\"subject\":\"us-\"}}");
        assertEquals(409, other.statusCode(), other.body());
        assertEquals("application/problem+json", other.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonObject problem = json(other.body()).asJsonObject();
        assertEquals("urn:solarwind:problem:filter-conflict", problem.getString("type"));
        assertEquals("filter", problem.getString("field"));
        assertEquals(json(EU), registration(topic, "eu").get("filter"), "the purpose keeps its filter");
        register(topic, "plain", "direct");
        assertEquals(409, registerWith(topic, "plain", "direct", EU).statusCode(), "an unfiltered purpose gets no filter in place");

        for (Map.Entry<String, String> bad : Map.of(
                "{\"any\":[{\"exact\":{\"region\":\"eu\"}},{\"exact\":{\"region\":5}}]}", "filter.any[1].exact.region",
                "{\"any\":[{\"exact\":{\"region\":\"eu\"}},{\"exact\":[]}]}", "filter.any[1].exact",
                "{\"regex\":{\"subject\":\".*\"}}", "filter.regex",
                "{\"exact\":{\"Subject\":\"x\"}}", "filter.exact",
                "{\"all\":[]}", "filter.all",
                "\"ce_subject = 'x'\"", "filter").entrySet()) {
            HttpResponse<String> refused = registerWith(topic, "bad", "direct", bad.getKey());
            assertEquals(400, refused.statusCode(), bad.getKey() + ": " + refused.body());
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            assertEquals(bad.getValue(), json(refused.body()).asJsonObject().getString("field"), refused.body());
        }
        assertEquals(404, SolarWindServer.get(purposeUrl(topic, "bad")).statusCode(), "a refused registration leaves nothing");
    }

    @Test
    void replayCopiesOnlyTheMatchingRetainedEvents() throws Exception {
        String topic = uniqueTopic("it.filter.replay");
        register(topic, "early", "direct");
        Instant before = Instant.now().minusSeconds(1);
        List<Sent> sent = publishVaried(topic, 40);
        SolarWindServer.await(WAIT, "40 dispatched", () -> registration(topic, "early").getInt("pending") == 40);
        Instant after = Instant.now().plusSeconds(1);

        HttpResponse<String> late = registerWith(topic, "late", "direct", EU);
        assertEquals(201, late.statusCode(), late.body());
        HttpResponse<String> replayed = send(HttpRequest.newBuilder(URI.create(API + "/topics/" + topic + "/purposes/late/replay"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"" + before + "\",\"to\":\"" + after + "\"}")));
        assertEquals(202, replayed.statusCode(), replayed.body());
        List<String> expected = ids(sent, PurposeFilterIT::eu);
        assertEquals(expected.size(), json(replayed.body()).asJsonObject().getInt("replayed"), "the count is of matching events");
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(json(late.body()).asJsonObject().getString("destination")));
            List<String> received = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                Message m = consumer.receive(10_000);
                assertNotNull(m, "replayed event " + i);
                received.add(Received.id(m));
            }
            assertNull(consumer.receive(1000), "nothing but the matching events");
            assertEquals(expected, received, "exactly the matching events of the window, in publish order");
        }
    }
}
