package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.eventsUrl;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.post;
import static io.solarwind.it.SolarWindServer.publish;
import static io.solarwind.it.SolarWindServer.register;
import static io.solarwind.it.SolarWindServer.registration;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Python and Node example instances (examples/python-instance, examples/node-instance) against
 * the real server and its broker, over AMQP 1.0: a direct purpose's events shared with a JMS
 * consumer of the same queue (none lost, none twice), a fanout purpose's copies, the events it fires,
 * the attributes as the CloudEvents AMQP binding has them (cloudEvents_*) and the data byte for byte,
 * and CloudEvents published over AMQP dispatched, deduplicated and dead-lettered like JMS ones. The
 * instances run as processes (Debian's /usr/bin/python3 with python3-qpid-proton, installed by
 * .ci/install-test-packages when missing; node with the example's npm packages, `npm ci`).
 */
class AmqpInstancesIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void ready() throws Exception {
        awaitReady(Duration.ofMinutes(3));
        if (!pythonHasProton()) {
            ChildCommands.run(List.of("bash", new File("../.ci/install-test-packages").getAbsolutePath()), new File("."), 15);
        }
        assertTrue(pythonHasProton(), AmqpInstance.PYTHON + " cannot import proton: apt-get install python3-qpid-proton"
                + " (.ci/install-test-packages does it as root or with sudo)");
        File node = new File(AmqpInstance.EXAMPLES, "node-instance");
        if (node.isDirectory() && !new File(node, "node_modules/rhea").isDirectory()) {
            ChildCommands.run(List.of("npm", "ci", "--no-audit", "--no-fund"), node, 10);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "node"})
    void aDirectInstanceCompetesWithAJmsOneAndAFanoutInstanceGetsEveryCopy(String language) throws Exception {
        String topic = uniqueTopic("it.amqp." + language);
        String done = topic + ".done";
        JsonObject work = register(topic, "work", "direct");
        JsonObject watch = register(topic, "watch", "fanout");
        JsonObject log = register(done, "log", "direct");
        int half = 100;
        try (Connection c = jms(); AmqpInstance instance = AmqpInstance.start(language,
                "--direct", topic + "/work", "--fanout", topic + "/watch", "--fire", done)) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Received jmsWork = Received.by(s.createConsumer(s.createQueue(work.getString("destination"))));
            Received jmsWatch = Received.by(s.createConsumer(s.createTopic(watch.getString("destination"))));
            Received fired = Received.by(s.createConsumer(s.createQueue(log.getString("destination"))));
            instance.awaitLine("ready", WAIT, l -> l.containsKey("ready"));
            SolarWindServer.await(WAIT, "two consumers on each purpose", () ->
                    registration(topic, "work").getInt("consumers") == 2 && registration(topic, "watch").getInt("consumers") == 2);

            List<String> sent = new ArrayList<>();
            for (int i = 0; i < half; i++) {
                sent.add(publish(topic, topic + "-http-" + i, "{\"n\":" + i + "}"));
            }
            sent.addAll(DispatchIT.publishOverJms(topic, half));

            SolarWindServer.await(WAIT, sent.size() + " direct events between both instances", () ->
                    jmsWork.size() + instance.events("direct").size() >= sent.size());
            instance.awaitCount("every fanout copy", WAIT, sent.size(), () -> instance.events("fanout"));
            jmsWatch.awaitAtLeast(sent.size(), WAIT);
            Received.awaitDrained(c, work.getString("destination"), watch.getString("destination"));

            List<String> amqpIds = ids(instance.events("direct"));
            List<String> all = new ArrayList<>(jmsWork.ids());
            all.addAll(amqpIds);
            assertEquals(sent.size(), all.size(), "deliveries (a duplicate would make more): AMQP " + amqpIds.size()
                    + ", JMS " + jmsWork.size());
            assertEquals(new HashSet<>(sent), new HashSet<>(all), "every event delivered once");
            assertTrue(!amqpIds.isEmpty() && jmsWork.size() > 0, "both instances got some: AMQP " + amqpIds.size() + ", JMS " + jmsWork.size());
            assertEquals(sent, ids(instance.events("fanout")), "the fanout instance got every event, in order");
            assertEquals(sent, jmsWatch.ids(), "so did the JMS subscriber");

            // each direct event the AMQP instance handled fired one event, stored before the handled one was accepted
            instance.awaitCount("every fired event", WAIT, amqpIds.size(), () -> instance.linesWith("fired"));
            fired.awaitAtLeast(amqpIds.size(), WAIT);
            Received.awaitDrained(c, log.getString("destination"));
            assertEquals(amqpIds.stream().map(id -> "fired-" + id).toList(), fired.ids());
            Message first = fired.messages().get(0);
            assertEquals(done, first.getStringProperty("ce_type"), "a fired event's cloudEvents_type is its ce_type for JMS");
            assertEquals("/examples/" + language + "-instance", first.getStringProperty("ce_source"));
            assertEquals("application/json", first.getStringProperty("ce_datacontenttype"));
            assertTrue(((TextMessage) first).getText().contains("\"handled\""), ((TextMessage) first).getText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "node"})
    void anAmqpInstanceReadsTheAttributesInTheBindingsFormAndTheDataAsSent(String language) throws Exception {
        String topic = uniqueTopic("it.amqp-attrs." + language);
        byte[] json = "{\"name\":\"Zoë\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        // the instance declares its purpose itself, through the admin API, as a Java handler service does
        try (AmqpInstance instance = AmqpInstance.start(language, "--direct", topic + "/read", "--register", "--api", SolarWindServer.API)) {
            instance.awaitLine("ready", WAIT, l -> l.containsKey("ready"));
            assertEquals("direct", registration(topic, "read").getString("exchange"));
            SolarWindServer.await(WAIT, "the instance's consumer", () -> registration(topic, "read").getInt("consumers") == 1);
            HttpResponse<String> a = post(eventsUrl(topic), Map.of("ce-id", topic + "-json", "ce-source", "/it/http",
                    "ce-specversion", "1.0", "ce-tenant", "acme", "Content-Type", "application/json"), json);
            assertEquals(202, a.statusCode(), a.body());
            HttpResponse<String> b = post(eventsUrl(topic), Map.of("ce-id", topic + "-bytes", "ce-source", "/it/http",
                    "ce-specversion", "1.0", "Content-Type", "application/octet-stream"), bytes);
            assertEquals(202, b.statusCode(), b.body());
            String jmsBytes = topic + "-jms-bytes";
            String jmsText = topic + "-jms-text";
            try (Connection c = jms()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer inbound = s.createProducer(s.createTopic("solarwind.inbound"));
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(bytes);
                m.setStringProperty("ce_type", topic);
                m.setStringProperty("ce_id", jmsBytes);
                inbound.send(m);
                TextMessage text = s.createTextMessage("plain text, no content type");
                text.setStringProperty("ce_type", topic);
                text.setStringProperty("ce_id", jmsText);
                inbound.send(text);
            }
            instance.awaitCount("four events", WAIT, 4, () -> instance.events("direct"));

            List<JsonObject> events = instance.events("direct");
            JsonObject first = events.get(0);
            JsonObject attributes = first.getJsonObject("attributes");
            assertEquals(topic, attributes.getString("cloudEvents_type"), first.toString());
            assertEquals(topic + "-json", attributes.getString("cloudEvents_id"));
            assertEquals("/it/http", attributes.getString("cloudEvents_source"));
            assertEquals("1.0", attributes.getString("cloudEvents_specversion"));
            assertEquals("acme", attributes.getString("cloudEvents_tenant"), "an extension attribute too");
            assertNotNull(Instant.parse(attributes.getString("cloudEvents_time")));
            assertFalse(attributes.containsKey("cloudEvents_datacontenttype"), "the binding carries it as the AMQP content-type");
            assertEquals("application/json", first.getString("contentType"));
            assertEquals("data", first.getString("section"), "the binding's binary mode: a Data section");
            assertArrayEquals(json, data(first), "the JSON text's bytes, as published");

            JsonObject second = events.get(1);
            assertEquals(topic + "-bytes", second.getJsonObject("attributes").getString("cloudEvents_id"));
            assertEquals("application/octet-stream", second.getString("contentType"));
            assertEquals("data", second.getString("section"));
            assertArrayEquals(bytes, data(second), "bytes as the same bytes");

            JsonObject third = events.get(2);
            assertEquals(jmsBytes, third.getJsonObject("attributes").getString("cloudEvents_id"));
            assertEquals("/solarwind/jms", third.getJsonObject("attributes").getString("cloudEvents_source"),
                    "the defaults a JMS publisher's event gets, in the binding's form too");
            assertArrayEquals(bytes, data(third), "a JMS BytesMessage's bytes");

            JsonObject fourth = events.get(3);
            assertEquals(jmsText, fourth.getJsonObject("attributes").getString("cloudEvents_id"));
            assertEquals("value", fourth.getString("section"), "text without a datacontenttype: an AmqpValue string");
            assertTrue(!fourth.containsKey("contentType") || fourth.isNull("contentType"), fourth.toString());
            assertArrayEquals("plain text, no content type".getBytes(StandardCharsets.UTF_8), data(fourth));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "node"})
    void amqpCloudEventsAreDispatchedDeduplicatedAndDeadLettered(String language) throws Exception {
        String topic = uniqueTopic("it.amqp-publish." + language);
        JsonObject reg = register(topic, "log", "direct");
        register(topic, "watch", "fanout");
        String id = topic + "-";
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (255 - i);
        }
        String json = "{\"order\":7,\"note\":\"ünïcödé\"}";
        // over Artemis's large-message size (100 KiB) for AMQP and core alike: stored and sent in pieces
        byte[] large = new byte[300 * 1024];
        new java.util.Random(7).nextBytes(large);
        Path events = Files.createTempFile(Path.of("target"), "amqp-events-", ".jsonl");
        Files.write(events, List.of(
                event(topic, id + "1", "_", "application/json", json, null),
                event(topic, id + "2", ":", "application/octet-stream", null, bytes),
                event(topic, id + "1", "_", "application/json", "{\"again\":true}", null), // the same event again: dropped
                event("not a topic!", id + "bad", "_", "application/json", "{}", null),
                event(null, id + "none", ":", "application/json", "{}", null),
                event(topic, id + "large", "_", "application/octet-stream", null, large),
                event(topic, id + "last", "_", "text/plain", "last", null)), StandardCharsets.UTF_8);
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer logConsumer = s.createConsumer(s.createQueue(reg.getString("destination")));
            // a large message's body is read while the listener has it, as a JMS instance would
            Map<String, byte[]> bodies = new java.util.concurrent.ConcurrentHashMap<>();
            Received log = Received.by(logConsumer);
            jakarta.jms.MessageListener collect = logConsumer.getMessageListener();
            logConsumer.setMessageListener(m -> {
                try {
                    if (m instanceof BytesMessage b) {
                        byte[] body = new byte[(int) b.getBodyLength()];
                        b.readBytes(body);
                        b.reset();
                        bodies.put(m.getStringProperty("ce_id"), body);
                    }
                } catch (jakarta.jms.JMSException e) {
                    throw new IllegalStateException(e);
                }
                collect.onMessage(m);
            });
            // the publisher is also an instance of the fanout purpose: it publishes once its subscription is there,
            // and stops after the four events dispatched
            try (AmqpInstance publisher = AmqpInstance.start(language, "--publish", events.toString(),
                    "--fanout", topic + "/watch", "--count", "4")) {
                publisher.awaitExit(WAIT);
                assertEquals(7, publisher.linesWith("published").size(), publisher.describe());
                for (JsonObject line : publisher.linesWith("published")) {
                    assertEquals("accepted", line.getString("outcome"), line.toString());
                }
                List<JsonObject> copies = publisher.events("fanout");
                assertEquals(List.of(id + "1", id + "2", id + "large", id + "last"), ids(copies), "AMQP to AMQP; "
                        + publisher.describe().replaceAll("\"data_base64\":\"[^\"]*\"", "\"data_base64\":\"..\""));
                assertEquals("application/json", copies.get(0).getString("contentType"));
                assertEquals("data", copies.get(0).getString("section"));
                assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), data(copies.get(0)), "the JSON as sent");
                assertEquals("application/octet-stream", copies.get(1).getString("contentType"));
                assertArrayEquals(bytes, data(copies.get(1)), "the bytes as sent");
                JsonObject attributes = copies.get(1).getJsonObject("attributes");
                assertEquals(topic, attributes.getString("cloudEvents_type"), "published as cloudEvents:type, read as cloudEvents_type");
                assertFalse(attributes.keySet().stream().anyMatch(k -> k.startsWith("cloudEvents:")),
                        "one separator per message: " + attributes);
                assertArrayEquals(large, data(copies.get(2)), "a large event's bytes");
                assertEquals("text/plain", copies.get(3).getString("contentType"));
                assertArrayEquals("last".getBytes(StandardCharsets.UTF_8), data(copies.get(3)));
            }
            log.awaitAtLeast(4, WAIT);
            Received.awaitDrained(c, reg.getString("destination"));
            assertEquals(List.of(id + "1", id + "2", id + "large", id + "last"), log.ids(), "dispatched in order, the duplicate dropped");

            Message first = log.messages().get(0);
            assertEquals(topic, first.getStringProperty("ce_type"));
            assertEquals("/examples/" + language + "-instance", first.getStringProperty("ce_source"));
            assertEquals("1.0", first.getStringProperty("ce_specversion"));
            assertEquals("application/json", first.getStringProperty("ce_datacontenttype"));
            assertNotNull(first.getStringProperty("ce_time"), "the time of receipt, as for JMS");
            assertEquals(json, ((TextMessage) first).getText(), "JSON data is a TextMessage for JMS instances");
            Message second = log.messages().get(1);
            assertEquals(topic, second.getStringProperty("ce_type"), "the cloudEvents: form is read too");
            assertNull(second.getStringProperty("cloudEvents:type"), "and not passed on beside cloudEvents_type");
            assertEquals("application/octet-stream", second.getStringProperty("ce_datacontenttype"));
            assertTrue(second instanceof BytesMessage, second.toString());
            assertArrayEquals(bytes, bodies.get(id + "2"), "bytes as the same bytes");
            Message largeReceived = log.messages().get(2);
            assertArrayEquals(large, bodies.get(id + "large"), "a large AMQP event's bytes");
            assertEquals(topic, largeReceived.getStringProperty("ce_type"), "a large AMQP event's attributes, taken as ce_*");

            MessageConsumer dla = s.createConsumer(s.createQueue("DLA"),
                    "ce_id IN ('" + id + "bad', '" + id + "none')");
            Message bad = dla.receive(WAIT.toMillis());
            Message none = dla.receive(WAIT.toMillis());
            assertNotNull(bad, "the event with a bad type is dead-lettered");
            assertNotNull(none, "the event without a type is dead-lettered");
            Map<String, String> reasons = Map.of(bad.getStringProperty("ce_id"), bad.getStringProperty("solarwind_reason"),
                    none.getStringProperty("ce_id"), none.getStringProperty("solarwind_reason"));
            assertTrue(reasons.get(id + "bad").contains("invalid ce_type"), reasons.toString());
            assertTrue(reasons.get(id + "none").contains("missing ce_type"), reasons.toString());
        } finally {
            Files.deleteIfExists(events);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "node"})
    void overTlsAndOnlyWithTheBrokersUsersAndRoles(String language) throws Exception {
        String topic = uniqueTopic("it.amqp-tls." + language);
        register(topic, "secure", "direct");
        String tls = System.getProperty("solarwind.it.broker.tls", "tcp://localhost:61617").replaceFirst("^tcp:", "amqps:");
        Path pem = brokerCertificate();
        try (AmqpInstance instance = AmqpInstance.start(language, "--url", tls, "--ca", pem.toString(),
                "--direct", topic + "/secure", "--count", "1")) {
            instance.awaitLine("ready", WAIT, l -> l.containsKey("ready"));
            publish(topic, topic + "-tls", "{\"over\":\"tls\"}");
            instance.awaitExit(WAIT);
            assertEquals(List.of(topic + "-tls"), ids(instance.events("direct")), "the event over the broker's TLS acceptor");
        }
        try (AmqpInstance wrongPassword = AmqpInstance.start(language, "--password", "wrong", "--direct", topic + "/secure")) {
            assertEquals(1, wrongPassword.awaitEnd(WAIT), "a wrong password is refused; " + wrongPassword.describe());
            assertFalse(wrongPassword.lines().stream().anyMatch(l -> l.containsKey("ready")), wrongPassword.describe());
            assertRefused(wrongPassword);
        }
        // the development publisher may send to solarwind.inbound and nothing else: no purpose's queue
        try (AmqpInstance publisher = AmqpInstance.start(language, "--user", "publisher", "--password", "publisher-dev-only",
                "--direct", topic + "/secure")) {
            assertEquals(1, publisher.awaitEnd(WAIT), "a user without the purpose's role cannot consume it; " + publisher.describe());
            assertFalse(publisher.lines().stream().anyMatch(l -> l.containsKey("event")), publisher.describe());
            assertRefused(publisher);
        }
    }

    /** The instance reported the broker's refusal (SASL's or the security check's), not some other failure. */
    private static void assertRefused(AmqpInstance instance) {
        assertTrue(instance.linesWith("error").stream().anyMatch(l -> l.getString("error").toLowerCase(java.util.Locale.ROOT)
                .matches("(?s).*(unauthori|permission|authenticat|sasl).*")), "a refusal reported; " + instance.describe());
    }

    /** The broker's TLS certificate (the build's self-signed key store) as PEM, for the instances' --ca. */
    private static Path brokerCertificate() throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(Path.of(System.getProperty("solarwind.it.tls.keystore", "target/it-tls/broker.p12")))) {
            store.load(in, "it-tls-only".toCharArray());
        }
        java.security.cert.Certificate certificate = store.getCertificate(store.aliases().nextElement());
        Path pem = Path.of("target/it-tls/broker.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        return pem;
    }

    private static String event(String type, String id, String separator, String contentType, String data, byte[] bytes) {
        var event = Json.createObjectBuilder().add("id", id).add("prefix", "cloudEvents" + separator).add("contentType", contentType);
        if (type != null) {
            event.add("type", type);
        }
        if (bytes != null) {
            event.add("data_base64", Base64.getEncoder().encodeToString(bytes));
        } else {
            event.add("data", data);
        }
        return event.build().toString();
    }

    private static List<String> ids(List<JsonObject> events) {
        return events.stream().map(e -> e.getJsonObject("attributes").getString("cloudEvents_id")).toList();
    }

    private static byte[] data(JsonObject event) {
        return Base64.getDecoder().decode(event.getString("data_base64"));
    }

    private static boolean pythonHasProton() {
        try {
            return ChildCommands.run(List.of(AmqpInstance.PYTHON, "-c", "import proton"), new File("."), 1) == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
