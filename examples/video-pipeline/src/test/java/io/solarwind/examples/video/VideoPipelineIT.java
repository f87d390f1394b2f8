package io.solarwind.examples.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example as its README tells it, from outside: Solar Wind and the video pipeline's
 * handlers run in one Liberty server; the test publishes uploads over HTTP and watches the
 * broker.
 */
class VideoPipelineIT {
    private static final String HTTP = System.getProperty("solarwind.it.http", "http://localhost:9080");
    private static final String BROKER = System.getProperty("solarwind.it.broker", "tcp://localhost:61616");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void handlersRegistered() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            // every handler has registered and its instances are connected (the activations follow deployment)
            if (get("/api/v1/topics/video.encoded/purposes/notify-uploader").statusCode() == 200
                    && get("/api/v1/topics/video.uploaded/purposes/encode-mp4").body().contains("\"consumers\":2")
                    && get("/api/v1/topics/video.uploaded/purposes/audit-log").body().contains("\"consumers\":2")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the example's handlers did not register and connect: " + get("/api/v1/topics").body());
    }

    @Test
    void deployingTheExampleRegisteredEveryPurposeWithItsInstances() throws Exception {
        String purposes = get("/api/v1/topics/video.uploaded/purposes").body();
        assertTrue(purposes.contains("\"purpose\":\"encode-mp4\",\"exchange\":\"direct\""), purposes);
        assertTrue(purposes.contains("\"purpose\":\"thumbnail\",\"exchange\":\"direct\""), purposes);
        assertTrue(purposes.contains("\"purpose\":\"audit-log\",\"exchange\":\"fanout\""), purposes);
        String audit = get("/api/v1/topics/video.uploaded/purposes/audit-log").body();
        assertTrue(audit.contains("\"consumers\":2"), "two audit-log instances subscribe: " + audit);
        String encode = get("/api/v1/topics/video.uploaded/purposes/encode-mp4").body();
        assertTrue(encode.contains("\"consumers\":2"), "the encoder runs two sessions: " + encode);
    }

    @Test
    void everyUploadIsEncodedAndTheEncoderFiresVideoEncoded() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // a second purpose on video.encoded, consumed by this test, sees what the encoder fires
        assertEquals(201, put("/api/v1/topics/video.encoded/purposes/it-" + run, "{\"exchange\":\"direct\"}").statusCode());
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String id = run + "-" + i;
            assertEquals(202, upload(id, "{\"video\":\"clip" + i + ".mov\",\"bytes\":" + (1000 + i) + "}").statusCode());
            expected.add("encoded-" + id);
        }
        try (Connection c = new ActiveMQConnectionFactory(BROKER).createConnection("admin", "admin-dev-only")) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer encoded = s.createConsumer(s.createQueue("solarwind.topic.video.encoded::solarwind.direct.video.encoded.it-" + run));
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                Message m = encoded.receive(30_000);
                assertNotNull(m, "video.encoded event " + i);
                assertTrue(seen.add(m.getStringProperty("ce_id")), "no duplicate " + m.getStringProperty("ce_id"));
                assertTrue(((TextMessage) m).getText().contains("\"format\":\"mp4\""));
            }
            assertEquals(expected, seen);
            assertEquals(null, encoded.receive(1000));
        }
    }

    @Test
    void anUploadTheThumbnailerCannotReadEndsOnTheDeadLetterAddressWithTheReason() throws Exception {
        String id = "empty-" + UUID.randomUUID();
        assertEquals(202, upload(id, "{\"video\":\"empty.mov\",\"bytes\":0}").statusCode());
        try (Connection c = new ActiveMQConnectionFactory(BROKER).createConnection("admin", "admin-dev-only")) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer dla = s.createConsumer(s.createQueue("DLA"), "ce_id = '" + id + "'");
            Message dead = dla.receive(60_000);
            assertNotNull(dead, "the empty upload is dead-lettered after the thumbnailer's 3 attempts");
            assertEquals("thumbnail", dead.getStringProperty("solarwind_purpose"));
            assertEquals(3, dead.getIntProperty("solarwind_attempts"));
            assertTrue(dead.getStringProperty("solarwind_reason").contains("cannot make a thumbnail of the empty video"),
                    dead.getStringProperty("solarwind_reason"));
            assertEquals("{\"video\":\"empty.mov\",\"bytes\":0}", ((TextMessage) dead).getText());
        }
    }

    /** The development admin (README, "Security"). */
    private static final String ADMIN = "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin-dev-only".getBytes());

    private static HttpResponse<String> upload(String id, String json) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(HTTP + "/api/v1/topics/video.uploaded/events")).header("Authorization", ADMIN)
                .header("ce-id", id).header("ce-source", "/it/uploader").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(HTTP + path)).header("Authorization", ADMIN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(HTTP + path)).header("Authorization", ADMIN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
