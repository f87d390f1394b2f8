package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.json;
import static io.solarwind.it.SolarWindServer.publish;
import static io.solarwind.it.SolarWindServer.purposeUrl;
import static io.solarwind.it.SolarWindServer.put;
import static io.solarwind.it.SolarWindServer.registration;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A purpose's redelivery policy, set at registration, is what the broker does with a failed event. */
class RedeliveryIT {
    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    @Test
    void aPlainJmsConsumerThatRollsBackGetsThePolicysDelaysThenTheEventGoesToTheDeadLetterAddress() throws Exception {
        String topic = uniqueTopic("it.redelivery");
        HttpResponse<String> created = put(purposeUrl(topic, "picky"),
                "{\"exchange\":\"direct\",\"redelivery\":{\"maxAttempts\":3,\"delayMillis\":300,\"multiplier\":2.0}}");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject policy = json(created.body()).asJsonObject().getJsonObject("redelivery");
        assertEquals(3, policy.getInt("maxAttempts"));
        assertEquals(300, policy.getJsonNumber("delayMillis").longValue());
        assertEquals(2.0, policy.getJsonNumber("multiplier").doubleValue());
        assertEquals(60_000, policy.getJsonNumber("maxDelayMillis").longValue(), "the default cap");

        String id = publish(topic, topic + "-bad", "{}");
        String queue = registration(topic, "picky").getString("destination");
        List<Long> deliveredAt = new ArrayList<>();
        try (Connection c = jms()) {
            Session session = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            for (int attempt = 1; attempt <= 3; attempt++) {
                Message m = consumer.receive(10_000);
                assertNotNull(m, "delivery " + attempt);
                deliveredAt.add(System.nanoTime());
                assertEquals(attempt, m.getIntProperty("JMSXDeliveryCount"));
                session.rollback();
            }
            assertNull(consumer.receive(1500), "no fourth delivery");
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message dead = plain.createConsumer(plain.createQueue("DLA"), "ce_id = '" + id + "'").receive(10_000);
            assertNotNull(dead, "on the dead-letter address after three attempts");
            assertEquals(queue, dead.getStringProperty("_AMQ_ORIG_ADDRESS") + "::" + dead.getStringProperty("_AMQ_ORIG_QUEUE"),
                    "from the purpose's queue on its topic's address");
        }
        assertTrue(deliveredAt.get(1) - deliveredAt.get(0) >= 250_000_000L, "first redelivery after about 300 ms");
        assertTrue(deliveredAt.get(2) - deliveredAt.get(1) >= 550_000_000L, "second after about 600 ms");
    }

    @Test
    void registeringAgainWithAPolicyReplacesItAndWithoutOneKeepsIt() {
        String topic = uniqueTopic("it.redelivery");
        assertEquals(5, SolarWindServer.register(topic, "p", "direct").getJsonObject("redelivery").getInt("maxAttempts"),
                "solarwind.redelivery.max-attempts");
        HttpResponse<String> changed = put(purposeUrl(topic, "p"), "{\"exchange\":\"direct\",\"redelivery\":{\"maxAttempts\":9}}");
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals(9, json(changed.body()).asJsonObject().getJsonObject("redelivery").getInt("maxAttempts"));
        assertEquals(9, SolarWindServer.register(topic, "p", "direct").getJsonObject("redelivery").getInt("maxAttempts"));
    }

    @Test
    void aBadPolicyIsA400NamingTheField() {
        String topic = uniqueTopic("it.redelivery");
        String[][] cases = {
                {"{\"exchange\":\"direct\",\"redelivery\":{\"maxAttempts\":0}}", "redelivery.maxAttempts"},
                {"{\"exchange\":\"direct\",\"redelivery\":{\"maxAttempts\":1.5}}", "redelivery.maxAttempts"},
                {"{\"exchange\":\"direct\",\"redelivery\":{\"delayMillis\":-1}}", "redelivery.delayMillis"},
                {"{\"exchange\":\"direct\",\"redelivery\":{\"multiplier\":0.5}}", "redelivery.multiplier"},
                {"{\"exchange\":\"direct\",\"redelivery\":{\"multiplier\":\"x\"}}", "redelivery.multiplier"},
                {"{\"exchange\":\"direct\",\"redelivery\":{\"delayMillis\":5000,\"maxDelayMillis\":10}}", "redelivery.maxDelayMillis"},
                {"{\"exchange\":\"direct\",\"redelivery\":{\"retries\":3}}", "redelivery.retries"},
                {"{\"exchange\":\"direct\",\"redelivery\":[]}", "redelivery"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = put(purposeUrl(topic, "p"), c[0]);
            assertEquals(400, r.statusCode(), c[0] + " -> " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            assertEquals(c[1], json(r.body()).asJsonObject().getString("field"), c[0]);
        }
        assertEquals(404, SolarWindServer.get(purposeUrl(topic, "p")).statusCode(), "nothing registered");
    }

    @Test
    void aTopicsDirectPurposesShareTheirDelaysAndOtherDelaysAreA409() {
        String topic = uniqueTopic("it.redelivery");
        HttpResponse<String> first = put(purposeUrl(topic, "a"), "{\"exchange\":\"direct\",\"redelivery\":{\"maxAttempts\":4,\"delayMillis\":200}}");
        assertEquals(201, first.statusCode(), first.body());
        JsonObject inherited = SolarWindServer.register(topic, "b", "direct").getJsonObject("redelivery");
        assertEquals(4, inherited.getInt("maxAttempts"), "a direct purpose registered without a policy takes its topic's");
        assertEquals(200, inherited.getInt("delayMillis"));
        HttpResponse<String> moreAttempts = put(purposeUrl(topic, "c"), "{\"exchange\":\"direct\",\"redelivery\":{\"maxAttempts\":7,\"delayMillis\":200}}");
        assertEquals(201, moreAttempts.statusCode(), "attempts may differ: " + moreAttempts.body());
        HttpResponse<String> otherDelay = put(purposeUrl(topic, "d"), "{\"exchange\":\"direct\",\"redelivery\":{\"delayMillis\":300}}");
        assertEquals(409, otherDelay.statusCode(), otherDelay.body());
        assertEquals("application/problem+json", otherDelay.headers().firstValue("Content-Type").orElse(""));
        JsonObject problem = json(otherDelay.body()).asJsonObject();
        assertEquals("redelivery", problem.getString("field"));
        assertTrue(problem.getString("detail").contains("delayMillis 200") && problem.getString("detail").contains("delayMillis 300"),
                problem.getString("detail"));
        assertEquals(404, SolarWindServer.get(purposeUrl(topic, "d")).statusCode(), "nothing registered");
        HttpResponse<String> fanout = put(purposeUrl(topic, "e"), "{\"exchange\":\"fanout\",\"redelivery\":{\"delayMillis\":300}}");
        assertEquals(201, fanout.statusCode(), "a fanout purpose has a policy of its own: " + fanout.body());
    }
}
