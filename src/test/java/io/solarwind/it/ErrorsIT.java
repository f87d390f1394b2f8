package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.API;
import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.delete;
import static io.solarwind.it.SolarWindServer.eventsUrl;
import static io.solarwind.it.SolarWindServer.get;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.json;
import static io.solarwind.it.SolarWindServer.post;
import static io.solarwind.it.SolarWindServer.purposeUrl;
import static io.solarwind.it.SolarWindServer.put;
import static io.solarwind.it.SolarWindServer.register;
import static io.solarwind.it.SolarWindServer.registration;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every error of the contract's table answers a problem document that names what was wrong, and loses nothing. */
class ErrorsIT {
    private static final String GOOD_BODY = "{\"exchange\":\"direct\"}";

    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    /** Bad topic names, as they appear in the URL (percent-encoded where a URL needs it). */
    @ParameterizedTest
    @ValueSource(strings = {"video.*", "video.%3E", "a::b", "a/b", "a%20b", "%20", ".leading-dot", "%C3%BCber"})
    void badTopicNameIs400(String topic) {
        assertProblem(put(purposeUrl(topic, "encode"), GOOD_BODY), 400, "topic");
        assertProblem(post(eventsUrl(topic), Map.of("Content-Type", "text/plain"), new byte[] {1}), 400, "topic");
    }

    @ParameterizedTest
    @ValueSource(strings = {"encode.mp4", "enc*", "enc%3E", "a::b", "a/b", "a%20b", "-dash-first"})
    void badPurposeNameIs400(String purpose) {
        assertProblem(put(purposeUrl("video.uploaded", purpose), GOOD_BODY), 400, "purpose");
    }

    /** Servlet 6 refuses an encoded '#' or '/' in a path before the API sees it; the answer is still a problem document. */
    @ParameterizedTest
    @ValueSource(strings = {"video.%23/purposes/encode", "a%2Fb/purposes/encode", "video.uploaded/purposes/enc%23", "a%2Fb/events"})
    void encodedHashOrSlashIs400(String path) {
        HttpResponse<String> response = path.endsWith("events")
                ? post(API + "/topics/" + path, Map.of("Content-Type", "text/plain"), new byte[] {1})
                : put(API + "/topics/" + path, GOOD_BODY);
        assertProblem(response, 400, "path");
    }

    @Test
    void emptyNamesAre400() {
        assertProblem(put(API + "/topics//purposes/encode", GOOD_BODY), 400, "topic");
        assertProblem(put(API + "/topics/video.uploaded/purposes/", GOOD_BODY), 400, "purpose");
    }

    @Test
    void tooLongNamesAre400() {
        assertProblem(put(purposeUrl("t".repeat(201), "encode"), GOOD_BODY), 400, "topic");
        assertProblem(put(purposeUrl("video.uploaded", "p".repeat(101)), GOOD_BODY), 400, "purpose");
        // the longest allowed names are fine
        String topic = "t".repeat(191) + UUID.randomUUID().toString().substring(0, 9);
        assertEquals(201, put(purposeUrl(topic, "p".repeat(100)), GOOD_BODY).statusCode());
    }

    @Test
    void badBodiesAre400() {
        String url = purposeUrl(uniqueTopic("it.body"), "encode");
        assertProblem(put(url, "{\"exchange\":"), 400, "body");
        assertProblem(put(url, "[\"direct\"]"), 400, "body");
        assertProblem(put(url, ""), 400, "body");
        assertProblem(put(url, "{}"), 400, "exchange");
        assertProblem(put(url, "{\"exchange\":\"topic\"}"), 400, "exchange");
        assertProblem(put(url, "{\"exchange\":\"DIRECT\"}"), 400, "exchange");
        assertProblem(put(url, "{\"exchange\":1}"), 400, "exchange");
        assertEquals(404, get(url).statusCode(), "nothing was registered by a bad request");
    }

    @Test
    void registeringAgainIs200AndAnotherExchangeIs409() {
        String topic = uniqueTopic("it.conflict");
        assertEquals(201, put(purposeUrl(topic, "encode"), GOOD_BODY).statusCode());
        HttpResponse<String> again = put(purposeUrl(topic, "encode"), GOOD_BODY);
        assertEquals(200, again.statusCode());
        assertEquals("direct", json(again.body()).asJsonObject().getString("exchange"));
        JsonObject problem = assertProblem(put(purposeUrl(topic, "encode"), "{\"exchange\":\"fanout\"}"), 409, "exchange");
        assertTrue(problem.getString("detail").contains("direct") && problem.getString("detail").contains("fanout"),
                problem.getString("detail"));
        assertEquals("direct", registration(topic, "encode").getString("exchange"), "the registration is unchanged");
    }

    @Test
    void unknownPurposeIs404() {
        String topic = uniqueTopic("it.unknown");
        assertProblem(get(purposeUrl(topic, "nobody")), 404, "purpose");
        assertProblem(delete(purposeUrl(topic, "nobody")), 404, "purpose");
        HttpResponse<String> list = get(API + "/topics/" + topic + "/purposes");
        assertEquals(200, list.statusCode());
        assertEquals("[]", list.body());
    }

    @Test
    void deleteRemovesTheRegistration() {
        String topic = uniqueTopic("it.delete");
        register(topic, "gone", "direct");
        assertEquals(204, delete(purposeUrl(topic, "gone")).statusCode());
        assertEquals(404, get(purposeUrl(topic, "gone")).statusCode());
        assertEquals(201, put(purposeUrl(topic, "gone"), "{\"exchange\":\"fanout\"}").statusCode(),
                "a deleted purpose can come back with another exchange");
    }

    @Test
    void eventOverTheSizeLimitIs413() {
        String topic = uniqueTopic("it.size");
        register(topic, "big", "direct");
        byte[] tooBig = new byte[1024 * 1024 + 1];
        assertProblem(post(eventsUrl(topic), Map.of("Content-Type", "application/octet-stream"), tooBig), 413, "body");
        byte[] justRight = new byte[1024 * 1024];
        assertEquals(202, post(eventsUrl(topic), Map.of("Content-Type", "application/octet-stream"), justRight).statusCode());
    }

    @Test
    void badCloudEventsAre400() {
        String topic = uniqueTopic("it.ce");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertProblem(post(eventsUrl(topic), Map.of("ce-type", "other.topic", "Content-Type", "application/json"), body), 400, "ce-type");
        assertProblem(post(eventsUrl(topic), Map.of("ce-specversion", "0.3", "Content-Type", "application/json"), body), 400, "ce-specversion");
        assertProblem(post(eventsUrl(topic), Map.of("ce-time", "yesterday", "Content-Type", "application/json"), body), 400, "ce-time");
        assertProblem(post(eventsUrl(topic), Map.of("Content-Type", "application/cloudevents+json"), "{not json".getBytes(StandardCharsets.UTF_8)), 400, "body");
        assertProblem(post(eventsUrl(topic), Map.of("Content-Type", "application/cloudevents+json"),
                ("{\"type\":\"wrong\",\"data\":1}").getBytes(StandardCharsets.UTF_8)), 400, "type");
        assertProblem(post(eventsUrl(topic), Map.of("Content-Type", "text/plain; charset=utf-8"),
                new byte[] {(byte) 0xC3, 0x28}), 400, "data");
    }

    @Test
    void jmsMessageWithoutTypeGoesToTheDeadLetterAddressWithAReason() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage noType = s.createTextMessage("no topic");
            noType.setStringProperty("it_marker", marker);
            s.createProducer(s.createTopic("solarwind.inbound")).send(noType);
            TextMessage badType = s.createTextMessage("bad topic");
            badType.setStringProperty("it_marker", marker);
            badType.setStringProperty("ce_type", "video.#");
            s.createProducer(s.createTopic("solarwind.inbound")).send(badType);

            MessageConsumer dla = s.createConsumer(s.createQueue("DLA"), "it_marker = '" + marker + "'");
            Message first = dla.receive(15_000);
            assertNotNull(first, "the message without ce_type is on the dead-letter address");
            assertEquals("no topic", ((TextMessage) first).getText());
            assertTrue(first.getStringProperty("solarwind_reason").contains("missing ce_type"));
            Message second = dla.receive(15_000);
            assertNotNull(second, "the message with an invalid ce_type is on the dead-letter address");
            assertTrue(second.getStringProperty("solarwind_reason").contains("video.#"));
        }
    }

    private static JsonObject assertProblem(HttpResponse<String> response, int status, String field) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                response.headers().toString());
        JsonObject problem = json(response.body()).asJsonObject();
        assertEquals(status, problem.getInt("status"));
        assertTrue(problem.getString("type").startsWith("urn:solarwind:problem:"));
        assertTrue(!problem.getString("title").isBlank() && !problem.getString("detail").isBlank());
        assertEquals(field, problem.getString("field"), problem.toString());
        return problem;
    }
}
