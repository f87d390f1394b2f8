package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.eventsUrl;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.json;
import static io.solarwind.it.SolarWindServer.post;
import static io.solarwind.it.SolarWindServer.publish;
import static io.solarwind.it.SolarWindServer.register;
import static io.solarwind.it.SolarWindServer.send;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CloudEvents batch mode ({@code application/cloudevents-batch+json}): all events of a batch
 * stored or none, the first bad one named by its index, the limits, duplicates inside a batch and
 * across batches. "None stored" is checked with a marker event published after the refused batch:
 * once the marker and everything before it is dispatched and the queue drained, the consumer must
 * hold the marker alone.
 */
class BatchPublishingIT {
    private static final String BATCH = "application/cloudevents-batch+json";
    /** The server under test's solarwind.http.batch.max-bytes (src/pom.xml). */
    private static final int BATCH_MAX_BYTES = Integer.getInteger("solarwind.it.batch.max-bytes", 2097152);

    private String topic;
    private String queue;
    private Connection connection;
    private Received received;

    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    @BeforeEach
    void purpose() throws Exception {
        topic = uniqueTopic("it.batch");
        queue = register(topic, "handler", "direct").getString("destination");
        connection = jms();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
        received = Received.by(consumer);
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    private static String event(String id, String source, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + source + "\",\"datacontenttype\":\"text/plain\",\"data\":\""
                + data + "\"}";
    }

    private HttpResponse<String> batch(List<String> events) {
        return post(eventsUrl(topic), Map.of("Content-Type", BATCH), ("[" + String.join(",", events) + "]").getBytes(StandardCharsets.UTF_8));
    }

    private List<String> texts() {
        return received.messages().stream().map(m -> {
            try {
                return assertInstanceOf(TextMessage.class, m).getText();
            } catch (jakarta.jms.JMSException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** Publishes a marker after everything before it, waits until it and all else is dispatched and consumed. */
    private void markAndDrain() {
        publish(topic, topic + "-marker", "{\"marker\":true}");
        received.awaitAtLeast(1, Duration.ofSeconds(60));
        SolarWindServer.await(Duration.ofSeconds(60), "the marker", () -> received.ids().contains(topic + "-marker"));
        Received.awaitDrained(connection, queue);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field, Integer index) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                response.headers().toString());
        JsonObject problem = json(response.body()).asJsonObject();
        assertEquals(field, problem.getString("field"), response.body());
        if (index == null) {
            assertTrue(!problem.containsKey("index"), response.body());
        } else {
            assertEquals(index.intValue(), problem.getInt("index"), response.body());
        }
    }

    @Test
    void everyEventOfABatchIsStoredAndDispatchedInItsOrder() {
        List<String> events = IntStream.range(0, 100).mapToObj(i -> event(topic + "-" + i, "/batch", "event " + i)).toList();
        HttpResponse<String> response = batch(events);
        assertEquals(202, response.statusCode(), response.body());
        List<String> ids = json(response.body()).asJsonObject().getJsonArray("ids").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList();
        List<String> expected = IntStream.range(0, 100).mapToObj(i -> topic + "-" + i).toList();
        assertEquals(expected, ids);

        markAndDrain();
        List<String> all = new ArrayList<>(expected);
        all.add(topic + "-marker");
        assertEquals(all, received.ids(), "each event once, in the batch's order, then the marker");
        assertEquals("event 0", texts().get(0));
        assertEquals("event 99", texts().get(99));
    }

    @Test
    void aBadEventInTheMiddleIsNamedAndNoneIsStored() {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(event(topic + "-" + i, "/batch", "event " + i));
        }
        events.set(5, "{\"id\":\"" + topic + "-5\",\"type\":\"another.topic\"}");
        assertProblem(batch(events), 400, "[5].type", 5);

        events.set(5, "{\"id\":\"" + topic + "-5\",\"datacontenttype\":\"text/plain\",\"data_base64\":\"/w==\"}"); // not UTF-8
        assertProblem(batch(events), 400, "[5].data", 5);

        events.set(5, "[\"not\",\"an\",\"event\"]");
        assertProblem(batch(events), 400, "[5]", 5);

        HttpResponse<String> broken = post(eventsUrl(topic), Map.of("Content-Type", BATCH),
                ("[" + event(topic + "-0", "/batch", "x") + ",{\"id\":").getBytes(StandardCharsets.UTF_8));
        assertProblem(broken, 400, "body", null);

        markAndDrain();
        assertEquals(List.of(topic + "-marker"), received.ids(), "nothing of the refused batches");
    }

    @Test
    void aBatchOverItsLimitsIsRefusedWhole() {
        // more events than solarwind.http.batch.max-events (1000)
        List<String> many = IntStream.range(0, 1001).mapToObj(i -> "{\"id\":\"" + topic + "-n" + i + "\"}").toList();
        HttpResponse<String> count = batch(many);
        assertProblem(count, 413, "body", null);
        assertTrue(count.body().contains("solarwind.http.batch.max-events"), count.body());

        // more bytes than solarwind.http.batch.max-bytes, each event under solarwind.events.max-bytes
        String data = "x".repeat(BATCH_MAX_BYTES / 3 + 1000);
        List<String> big = List.of(event(topic + "-b0", "/batch", data), event(topic + "-b1", "/batch", data),
                event(topic + "-b2", "/batch", data));
        HttpResponse<String> bytes = batch(big);
        assertProblem(bytes, 413, "body", null);
        assertTrue(bytes.body().contains("solarwind.http.batch.max-bytes"), bytes.body());

        // the same without Content-Length (chunked): refused once the bytes read pass the limit
        byte[] body = ("[" + String.join(",", big) + "]").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = send(HttpRequest.newBuilder(URI.create(eventsUrl(topic))).header("Content-Type", BATCH)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertProblem(chunked, 413, "body", null);

        // one event's data over solarwind.events.max-bytes (1 MiB) in a batch under its byte limit
        String tooBig = "y".repeat(1024 * 1024 + 1);
        HttpResponse<String> one = batch(List.of(event(topic + "-s0", "/batch", "small"), event(topic + "-s1", "/batch", tooBig)));
        assertProblem(one, 413, "[1].data", 1);

        markAndDrain();
        assertEquals(List.of(topic + "-marker"), received.ids(), "nothing of the refused batches");
    }

    @Test
    void theSameEventTwiceInABatchIsStoredOnce() {
        HttpResponse<String> response = batch(List.of(event(topic + "-a", "/batch", "a first"), event(topic + "-b", "/batch", "b"),
                event(topic + "-a", "/batch", "a again"), event(topic + "-a", "/elsewhere", "a from elsewhere"),
                event(topic + "-b", "/batch", "b again")));
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(5, json(response.body()).asJsonObject().getJsonArray("ids").size(), "every event of the batch answered");

        markAndDrain();
        assertEquals(List.of("a first", "b", "a from elsewhere", "{\"marker\":true}"), texts(),
                "the first of each source + id, once; the same id from another source is another event");
    }

    @Test
    void eventsAlreadyStoredAreDroppedFromALaterBatchAndTheRestStored() {
        // one event published alone, then batches holding it and others
        publish(topic, topic + "-single", "{\"single\":true}");
        List<String> first = List.of(event(topic + "-1", "/batch", "one"), event(topic + "-2", "/batch", "two"));
        assertEquals(202, batch(first).statusCode());
        // sent again whole: accepted, nothing stored twice
        assertEquals(202, batch(first).statusCode());
        // overlapping the first batch and the single event, with new events among them
        HttpResponse<String> overlapping = batch(List.of(event(topic + "-2", "/batch", "two again"), event(topic + "-3", "/batch", "three"),
                "{\"id\":\"" + topic + "-single\",\"source\":\"/it\",\"data\":{\"single\":\"again\"}}", event(topic + "-4", "/batch", "four")));
        assertEquals(202, overlapping.statusCode(), overlapping.body());

        markAndDrain();
        assertEquals(List.of(topic + "-single", topic + "-1", topic + "-2", topic + "-3", topic + "-4", topic + "-marker"),
                received.ids(), "each event once, in publish order");
        assertEquals(List.of("{\"single\":true}", "one", "two", "three", "four", "{\"marker\":true}"), texts());
    }

    @Test
    void aBatchSendsEveryAttributeAndTheDefaults() {
        HttpResponse<String> response = batch(List.of(
                "{\"specversion\":\"1.0\",\"id\":\"" + topic + "-x\",\"source\":\"/cams\",\"type\":\"" + topic + "\",\"subject\":\"s\","
                        + "\"time\":\"2026-12-02T10:00:00Z\",\"traceparent\":\"00-1-2-01\",\"data\":{\"n\":1}}",
                "{\"data\":\"plain\",\"datacontenttype\":\"text/plain\"}"));
        assertEquals(202, response.statusCode(), response.body());
        String generated = json(response.body()).asJsonObject().getJsonArray("ids").getString(1);

        markAndDrain();
        assertEquals(3, received.size(), received.ids().toString());
        try {
            TextMessage m = assertInstanceOf(TextMessage.class, received.messages().get(0));
            assertEquals(json("{\"n\":1}"), json(m.getText()));
            assertEquals("/cams", m.getStringProperty("ce_source"));
            assertEquals("s", m.getStringProperty("ce_subject"));
            assertEquals("2026-12-02T10:00:00Z", m.getStringProperty("ce_time"));
            assertEquals("00-1-2-01", m.getStringProperty("ce_traceparent"));
            assertEquals("application/json", m.getStringProperty("ce_datacontenttype"));
            TextMessage d = assertInstanceOf(TextMessage.class, received.messages().get(1));
            assertEquals(generated, d.getStringProperty("ce_id"));
            assertEquals("/solarwind/http", d.getStringProperty("ce_source"));
            assertEquals(topic, d.getStringProperty("ce_type"));
            assertEquals("plain", d.getText());
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
