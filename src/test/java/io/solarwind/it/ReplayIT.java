package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.API;
import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.json;
import static io.solarwind.it.SolarWindServer.publishMany;
import static io.solarwind.it.SolarWindServer.register;
import static io.solarwind.it.SolarWindServer.registration;
import static io.solarwind.it.SolarWindServer.send;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events are retained, so a direct purpose registered later can have them replayed. */
class ReplayIT {
    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    @Test
    void aDirectPurposeRegisteredLaterReceivesTheRetainedEventsOfItsWindow() throws Exception {
        String topic = uniqueTopic("it.replay");
        register(topic, "early", "direct");
        Instant before = Instant.now().minusSeconds(1);
        List<String> sent = publishMany(topic, 500);
        SolarWindServer.await(Duration.ofSeconds(60), "500 dispatched", () -> registration(topic, "early").getInt("pending") == 500);
        Instant after = Instant.now().plusSeconds(1);

        String queue = register(topic, "late", "direct").getString("destination");
        assertEquals(0, registration(topic, "late").getInt("pending"), "registering does not replay by itself");

        String window = "{\"from\":\"" + before + "\",\"to\":\"" + after + "\"}";
        HttpResponse<String> replayed = replay(topic, "late", window);
        assertEquals(202, replayed.statusCode(), replayed.body());
        assertEquals(500, json(replayed.body()).asJsonObject().getInt("replayed"));
        assertEquals(500, registration(topic, "late").getInt("pending"), "the answer comes once the copies are in the queue");
        assertEquals(sent, receiveAll(queue, 500), "exactly the window's events, each once, in publish order");

        // every event of the window is copied again, also those the purpose already had
        HttpResponse<String> again = replay(topic, "late", window);
        assertEquals(202, again.statusCode(), again.body());
        assertEquals(500, json(again.body()).asJsonObject().getInt("replayed"));
        assertEquals(sent, receiveAll(queue, 500), "a second replay of the window delivers it again, in order");

        HttpResponse<String> empty = replay(topic, "late", "{\"from\":\"" + after.plusSeconds(60) + "\",\"to\":\"" + after.plusSeconds(120) + "\"}");
        assertEquals(202, empty.statusCode(), empty.body());
        assertEquals(0, json(empty.body()).asJsonObject().getInt("replayed"), "a window after the events holds none");
    }

    @Test
    void replayIsRefusedForFanoutAndForBadWindows() {
        String topic = uniqueTopic("it.replay.bad");
        register(topic, "watchers", "fanout");
        register(topic, "worker", "direct");
        HttpResponse<String> fanout = replay(topic, "watchers", "{\"from\":\"2026-01-01T00:00:00Z\"}");
        assertEquals(409, fanout.statusCode(), fanout.body());
        assertTrue(fanout.body().contains("fanout"));
        assertEquals(400, replay(topic, "worker", "{}").statusCode());
        assertEquals(400, replay(topic, "worker", "{\"from\":\"yesterday\"}").statusCode());
        assertEquals(400, replay(topic, "worker", "{\"from\":\"2026-01-02T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}").statusCode());
        assertEquals(400, replay(topic, "worker", "not json").statusCode());
        assertEquals(404, replay(topic, "nobody", "{\"from\":\"2026-01-01T00:00:00Z\"}").statusCode());
    }

    /** Consumes the queue: the ids of the first {@code count} messages, then checks nothing else is there. */
    private static List<String> receiveAll(String queue, int count) throws Exception {
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            List<String> received = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Message m = consumer.receive(10_000);
                assertNotNull(m, "replayed event " + i + " (received so far: " + received.size() + ")");
                received.add(Received.id(m));
            }
            assertNull(consumer.receive(1000), "nothing but the window's events");
            return received;
        }
    }

    private static HttpResponse<String> replay(String topic, String purpose, String body) {
        return send(HttpRequest.newBuilder(URI.create(API + "/topics/" + topic + "/purposes/" + purpose + "/replay"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
