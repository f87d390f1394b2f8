package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.API;
import static io.solarwind.it.SolarWindServer.HTTP;
import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.eventsUrl;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.purposeUrl;
import static io.solarwind.it.SolarWindServer.register;
import static io.solarwind.it.SolarWindServer.send;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Security on by default: who may call which part of the HTTP API, and who may send and
 * consume where on the broker (the development users of liberty/security-dev.xml and
 * liberty/dev-broker-*.properties).
 */
class SecurityIT {
    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    private static HttpResponse<String> as(String user, String password, String method, String url, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(request, user, password);
    }

    private static void assertProblem(int status, HttpResponse<String> response, String what) {
        assertEquals(status, response.statusCode(), what + ": " + response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                what + " answers a problem document: " + response.headers().map());
    }

    @Test
    void anonymousCallsAndWrongPasswordsAreRefusedWith401() {
        String topic = uniqueTopic("it.security");
        HttpResponse<String> anonymous = as(null, null, "GET", API + "/topics", null);
        assertProblem(401, anonymous, "anonymous GET");
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), anonymous.headers().map().toString());
        assertProblem(401, as(null, null, "PUT", purposeUrl(topic, "p"), "{\"exchange\":\"direct\"}"), "anonymous PUT");
        assertProblem(401, as(null, null, "POST", eventsUrl(topic), "{}"), "anonymous publish");
        assertProblem(401, as("admin", "wrong", "GET", API + "/topics", null), "wrong password");
        assertProblem(401, as("nobody", "x", "GET", API + "/broker", null), "unknown user");
        assertEquals(404, SolarWindServer.get(purposeUrl(topic, "p")).statusCode(), "nothing was registered");
        assertEquals(200, as(null, null, "GET", HTTP + "/health/ready", null).statusCode(), "health stays open for probes");
    }

    @Test
    void authenticatedCallsGetNoSingleSignOnCookie() {
        // the API is stateless: a cookie would be an ambient credential, and creating one cost every publish
        String topic = uniqueTopic("it.security");
        register(topic, "worker", "direct");
        HttpResponse<String> read = as("viewer", "viewer-dev-only", "GET", API + "/topics", null);
        assertEquals(200, read.statusCode(), read.body());
        assertTrue(read.headers().allValues("Set-Cookie").isEmpty(), "GET set " + read.headers().allValues("Set-Cookie"));
        HttpResponse<String> publish = as("publisher", "publisher-dev-only", "POST", eventsUrl(topic), "{}");
        assertTrue(publish.headers().allValues("Set-Cookie").isEmpty(), "publish set " + publish.headers().allValues("Set-Cookie"));
    }

    @Test
    void eachRoleMayDoItsPartOnly() {
        String topic = uniqueTopic("it.security");
        register(topic, "worker", "direct");
        String purpose = purposeUrl(topic, "worker");

        // viewer: reads, nothing else
        assertEquals(200, as("viewer", "viewer-dev-only", "GET", purpose, null).statusCode());
        assertEquals(200, as("viewer", "viewer-dev-only", "GET", API + "/topics", null).statusCode());
        assertEquals(200, as("viewer", "viewer-dev-only", "GET", API + "/broker", null).statusCode());
        assertProblem(403, as("viewer", "viewer-dev-only", "PUT", purposeUrl(topic, "mine"), "{\"exchange\":\"direct\"}"), "viewer registers");
        assertProblem(403, as("viewer", "viewer-dev-only", "DELETE", purpose, null), "viewer deletes");
        assertProblem(403, as("viewer", "viewer-dev-only", "POST", eventsUrl(topic), "{}"), "viewer publishes");
        assertProblem(403, as("viewer", "viewer-dev-only", "POST", purpose + "/replay", "{\"from\":\"2026-01-01T00:00:00Z\"}"), "viewer replays");
        assertEquals(200, as("viewer", "viewer-dev-only", "GET", purpose + "/dead-letters", null).statusCode(), "viewer lists dead letters");
        assertProblem(403, as("viewer", "viewer-dev-only", "POST", purpose + "/dead-letters/x/retry", null), "viewer retries");
        assertProblem(403, as("viewer", "viewer-dev-only", "DELETE", purpose + "/dead-letters/x", null), "viewer discards");
        HttpResponse<String> me = as("viewer", "viewer-dev-only", "GET", API + "/me", null);
        assertEquals(200, me.statusCode(), me.body());
        assertEquals("{\"user\":\"viewer\",\"roles\":[\"solarwind-viewer\"]}", me.body());

        // publisher: publishes, nothing else
        HttpResponse<String> published = as("publisher", "publisher-dev-only", "POST", eventsUrl(topic), "{}");
        assertEquals(202, published.statusCode(), published.body());
        assertProblem(403, as("publisher", "publisher-dev-only", "GET", purpose, null), "publisher reads");
        assertProblem(403, as("publisher", "publisher-dev-only", "PUT", purposeUrl(topic, "mine"), "{\"exchange\":\"direct\"}"), "publisher registers");
        assertProblem(403, as("publisher", "publisher-dev-only", "DELETE", purpose, null), "publisher deletes");
        assertProblem(403, as("publisher", "publisher-dev-only", "GET", purpose + "/dead-letters", null), "publisher lists dead letters");
        assertEquals("{\"user\":\"publisher\",\"roles\":[\"solarwind-publisher\"]}",
                as("publisher", "publisher-dev-only", "GET", API + "/me", null).body());

        assertEquals(404, SolarWindServer.get(purposeUrl(topic, "mine")).statusCode(), "no refused call registered anything");
        assertEquals(200, SolarWindServer.get(purpose).statusCode(), "no refused call deleted anything");
        SolarWindServer.await(Duration.ofSeconds(30), "the publisher's event dispatched",
                () -> SolarWindServer.registration(topic, "worker").getInt("pending") == 1);
    }

    @Test
    void theBrokerRefusesAnonymousAndWrongPasswords() {
        assertThrows(JMSSecurityException.class, () -> jms(null, null).close(), "anonymous");
        assertThrows(JMSSecurityException.class, () -> jms("admin", "wrong").close(), "wrong password");
    }

    @Test
    void aPublisherMaySendToTheInboundTopicOnlyAndNotConsume() throws Exception {
        String topic = uniqueTopic("it.security");
        String queue = register(topic, "worker", "direct").getString("destination");
        try (Connection c = jms("publisher", "publisher-dev-only")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer inbound = s.createProducer(s.createTopic("solarwind.inbound"));
            inbound.setDeliveryMode(DeliveryMode.PERSISTENT);
            Message ok = s.createTextMessage("{}");
            ok.setStringProperty("ce_type", topic);
            inbound.send(ok);

            // a direct purpose's queue is multicast, on its topic's address: a send to it goes as to a JMS topic
            assertThrows(InvalidDestinationException.class, () -> s.createProducer(s.createQueue(queue)),
                    "an anycast send to a purpose queue is refused, not dropped");
            MessageProducer direct = s.createProducer(s.createTopic(queue));
            direct.setDeliveryMode(DeliveryMode.PERSISTENT);
            Message sneaky = s.createTextMessage("{}");
            sneaky.setStringProperty("ce_type", topic);
            sneaky.setStringProperty("ce_id", "sneaked-in");
            assertThrows(JMSSecurityException.class, () -> direct.send(sneaky), "a publisher cannot send to a purpose queue");
            assertThrows(JMSSecurityException.class, () -> s.createConsumer(s.createQueue(queue)), "nor consume it");
            assertThrows(JMSSecurityException.class, () -> s.createConsumer(s.createQueue("DLA")), "nor read dead letters");
        }
        SolarWindServer.await(Duration.ofSeconds(30), "only the dispatched event in the queue",
                () -> SolarWindServer.registration(topic, "worker").getInt("pending") == 1);
    }

    @Test
    void aHandlerCredentialConsumesItsOwnPurposeAndNoOther() throws Exception {
        String topic = uniqueTopic("it.security");
        String own = register(topic, "own", "direct").getString("destination");
        String other = register(topic, "other", "direct").getString("destination");
        String fanout = register(topic, "watch", "fanout").getString("destination");
        // an operator gives a new handler service a user and the role of its one purpose
        String user = "handler-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = SolarWindServer.wlp().resolve("usr/servers/" + SolarWindServer.serverName());
        Files.writeString(config.resolve("dev-broker-users.properties"), "\n" + user + " = " + user + "-secret\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.writeString(config.resolve("dev-broker-roles.properties"), "\nsolarwind-handler." + topic + ".own = " + user + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        SolarWindServer.publish(topic, topic + "-1", "{}");

        Connection c = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (c == null) { // the broker re-reads its users files when they change
            try {
                c = jms(user, user + "-secret");
            } catch (JMSSecurityException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                SolarWindServer.sleep(500);
            }
        }
        try (Connection handler = c) {
            Session s = handler.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue(own)).receive(30_000);
            assertNotNull(m, "its own purpose's event");
            assertEquals(topic + "-1", Received.id(m));
            assertThrows(JMSSecurityException.class, () -> s.createConsumer(s.createQueue(other)), "another purpose's queue");
            assertThrows(JMSSecurityException.class, () -> s.createConsumer(s.createTopic(fanout)), "another purpose's topic");
            assertThrows(JMSSecurityException.class, () -> s.createConsumer(s.createQueue("solarwind.registry.00")), "the registry");
            MessageProducer toOther = s.createProducer(s.createTopic(other));
            assertThrows(JMSSecurityException.class, () -> toOther.send(s.createTextMessage("{}")), "sending to a purpose queue");
        }
        assertEquals(1, SolarWindServer.registration(topic, "other").getInt("pending"), "the other purpose's event is untouched");
    }

    @Test
    void theDevelopmentHandlerConsumesEveryPurposeDirectAndFanout() throws Exception {
        String topic = uniqueTopic("it.security");
        String queue = register(topic, "any", "direct").getString("destination");
        String fanout = register(topic, "all", "fanout").getString("destination");
        try (Connection c = jms("handler", "handler-dev-only")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var direct = s.createConsumer(s.createQueue(queue));
            var subscriber = s.createConsumer(s.createTopic(fanout));
            SolarWindServer.await(Duration.ofSeconds(10), "the subscriber counted",
                    () -> SolarWindServer.registration(topic, "all").getInt("consumers") == 1);
            SolarWindServer.publish(topic, topic + "-1", "{}");
            assertNotNull(direct.receive(30_000), "direct");
            assertNotNull(subscriber.receive(30_000), "fanout");
        }
    }

}
