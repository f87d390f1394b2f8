package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.publishMany;
import static io.solarwind.it.SolarWindServer.register;
import static io.solarwind.it.SolarWindServer.registration;
import static io.solarwind.it.SolarWindServer.serverCommand;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Registrations and pending direct events survive a restart of the Solar Wind server (and its embedded broker). */
class RestartIT {
    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    @Test
    void registrationsAndPendingEventsSurviveARestart() throws Exception {
        String topic = uniqueTopic("it.restart");
        JsonObject direct = register(topic, "survivor", "direct");
        register(topic, "watchers", "fanout");
        String filter = "{\"exact\":{\"subject\":\"eu\"}}";
        assertEquals(201, SolarWindServer.put(SolarWindServer.purposeUrl(topic, "eu"),
                "{\"exchange\":\"direct\",\"filter\":" + filter + "}").statusCode());
        assertEquals(201, SolarWindServer.put(SolarWindServer.purposeUrl(topic, "eu-watchers"),
                "{\"exchange\":\"fanout\",\"filter\":" + filter + "}").statusCode());
        List<String> sent = publishMany(topic, 30);
        SolarWindServer.await(Duration.ofSeconds(60), "30 pending", () -> registration(topic, "survivor").getInt("pending") == 30);
        String schemaUrl = SolarWindServer.API + "/topics/" + topic + "/schema";
        assertEquals(200, SolarWindServer.put(schemaUrl, "{\"type\":\"object\",\"required\":[\"n\"]}").statusCode());

        serverCommand("stop");
        serverCommand("start");
        awaitReady(Duration.ofMinutes(3));

        JsonObject after = registration(topic, "survivor");
        assertEquals("direct", after.getString("exchange"));
        assertEquals(direct.getString("destination"), after.getString("destination"), "same destination after restart");
        assertEquals(direct.getString("registeredAt"), after.getString("registeredAt"));
        assertEquals(30, after.getInt("pending"));
        assertEquals("fanout", registration(topic, "watchers").getString("exchange"));
        JsonObject eu = registration(topic, "eu");
        assertEquals(SolarWindServer.json(filter), eu.get("filter"), "the filter survives the restart");
        assertEquals(0, eu.getInt("pending"), "none of the 30 events has the subject");
        assertEquals(SolarWindServer.json(filter), registration(topic, "eu-watchers").get("filter"));
        // the topic's schema too: kept on the broker, read again at start, and checked
        assertEquals(200, SolarWindServer.get(schemaUrl).statusCode());
        java.net.http.HttpResponse<String> violating = SolarWindServer.post(SolarWindServer.eventsUrl(topic), java.util.Map.of(
                "ce-id", topic + "-no-n", "ce-source", "/it", "ce-specversion", "1.0", "Content-Type", "application/json"),
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(400, violating.statusCode(), violating.body());
        assertEquals(204, SolarWindServer.delete(schemaUrl).statusCode()); // the events below have no "n"

        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(after.getString("destination")));
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Message m = consumer.receive(10_000);
                assertNotNull(m, "pending event " + i + " after restart");
                received.add(Received.id(m));
            }
            assertEquals(sent, received);
            assertNull(consumer.receive(500));
        }
        // dispatch goes on after the restart, and the duplicate window survived it too
        SolarWindServer.publish(topic, topic + "-0", "{}");
        SolarWindServer.publish(topic, topic + "-new", "{}");
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(after.getString("destination")));
            Message m = consumer.receive(30_000);
            assertNotNull(m, "an event published after the restart is dispatched");
            assertEquals(topic + "-new", Received.id(m), "the replayed duplicate " + topic + "-0 is suppressed");
            assertNull(consumer.receive(1000));
        }
        // the filtered purpose's queue still takes only the matching events
        for (String subject : List.of("us", "eu")) {
            assertEquals(202, SolarWindServer.post(SolarWindServer.eventsUrl(topic), java.util.Map.of("ce-id", topic + "-" + subject,
                    "ce-source", "/it", "ce-specversion", "1.0", "ce-subject", subject, "Content-Type", "application/json"),
                    "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).statusCode());
        }
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(eu.getString("destination")));
            Message m = consumer.receive(30_000);
            assertNotNull(m, "the matching event published after the restart");
            assertEquals(topic + "-eu", Received.id(m));
            assertNull(consumer.receive(1000), "only the matching event");
        }
    }
}
