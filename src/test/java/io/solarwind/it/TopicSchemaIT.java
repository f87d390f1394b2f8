package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.API;
import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.eventsUrl;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.post;
import static io.solarwind.it.SolarWindServer.register;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Enumeration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A topic's JSON Schema, checked before dispatch: HTTP 400 naming the path, JMS events to the dead letters. */
class TopicSchemaIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SCHEMA = "{\"$id\":\"https://example.com/order/v1\",\"type\":\"object\",\"required\":[\"amount\"],"
            + "\"properties\":{\"amount\":{\"type\":\"number\",\"minimum\":0}}}";

    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    private static String schemaUrl(String topic) {
        return API + "/topics/" + topic + "/schema";
    }

    private static HttpResponse<String> publish(String topic, String id, String json) {
        return post(eventsUrl(topic), Map.of("ce-id", id, "ce-source", "/it/schema", "ce-specversion", "1.0",
                "Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eventsAreCheckedAgainstTheTopicsSchemaOverHttpAndJms() throws Exception {
        String topic = uniqueTopic("it.schema");
        String destination = register(topic, "bill", "direct").getString("destination");
        assertEquals(404, SolarWindServer.get(schemaUrl(topic)).statusCode());

        HttpResponse<String> put = SolarWindServer.put(schemaUrl(topic), SCHEMA);
        assertEquals(200, put.statusCode(), put.body());
        JsonObject schemas = SolarWindServer.json(SolarWindServer.get(schemaUrl(topic)).body()).asJsonObject();
        assertEquals("https://example.com/order/v1", schemas.getString("current"));
        assertEquals(1, schemas.getJsonArray("versions").size());
        // kept on the broker: the last-value queue every server (and a restarted one) reads
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser browser = s.createBrowser(s.createQueue("solarwind.schemas"), "solarwind_schema_topic = '" + topic + "'")) {
                Enumeration<?> records = browser.getEnumeration();
                assertTrue(records.hasMoreElements(), "the schema record on solarwind.schemas");
                assertTrue(((TextMessage) records.nextElement()).getText().contains("minimum"));
            }
        }
        // a schema that is no schema
        HttpResponse<String> bad = SolarWindServer.put(schemaUrl(topic), "[1]");
        assertEquals(400, bad.statusCode(), bad.body());

        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(destination));
            c.start();

            HttpResponse<String> valid = publish(topic, topic + "-ok", "{\"amount\":3}");
            assertEquals(202, valid.statusCode(), valid.body());
            Message delivered = consumer.receive(WAIT.toMillis());
            assertNotNull(delivered, "the valid event is delivered");
            assertEquals(topic + "-ok", delivered.getStringProperty("ce_id"));

            HttpResponse<String> invalid = publish(topic, topic + "-bad", "{\"amount\":-1}");
            assertEquals(400, invalid.statusCode(), invalid.body());
            assertEquals("application/problem+json", invalid.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            JsonObject problem = SolarWindServer.json(invalid.body()).asJsonObject();
            assertEquals("urn:solarwind:problem:schema-violation", problem.getString("type"));
            assertEquals("/amount", problem.getString("path"));
            assertEquals("minimum", problem.getString("rule"));
            assertEquals("https://example.com/order/v1", problem.getString("version"));

            // over JMS: the invalid event to the dead letters with the reason, the valid one delivered
            publishOverJms(topic, topic + "-jms-bad", "{\"amount\":-5}");
            publishOverJms(topic, topic + "-jms-ok", "{\"amount\":5}");
            Message next = consumer.receive(WAIT.toMillis());
            assertNotNull(next);
            assertEquals(topic + "-jms-ok", next.getStringProperty("ce_id"), "the invalid JMS event is not dispatched, the valid one is");
            Message dead = awaitDeadLetter(s, topic + "-jms-bad");
            String reason = dead.getStringProperty("solarwind_reason");
            assertTrue(reason.contains("/amount") && reason.contains("minimum"), reason);
            assertNull(consumer.receive(500), "nothing else reached the purpose");

            // without a schema, the same data passes
            assertEquals(204, SolarWindServer.delete(schemaUrl(topic)).statusCode());
            assertEquals(404, SolarWindServer.get(schemaUrl(topic)).statusCode());
            assertEquals(202, publish(topic, topic + "-after", "{\"amount\":-1}").statusCode());
            Message after = consumer.receive(WAIT.toMillis());
            assertNotNull(after);
            assertEquals(topic + "-after", after.getStringProperty("ce_id"));
        }
    }

    @Test
    void dataschemaSelectsTheVersion() {
        String topic = uniqueTopic("it.schema.versions");
        register(topic, "bill", "direct");
        assertEquals(200, SolarWindServer.put(schemaUrl(topic) + "?version=1", SCHEMA).statusCode());
        assertEquals(200, SolarWindServer.put(schemaUrl(topic) + "?version=2", "{\"type\":\"object\",\"required\":[\"total\"]}").statusCode());
        String v1Only = "{\"amount\":1}";
        assertEquals(400, publish(topic, topic + "-current", v1Only).statusCode(), "no dataschema: the current version, 2");
        HttpResponse<String> v1 = post(eventsUrl(topic), Map.of("ce-id", topic + "-v1", "ce-source", "/it/schema", "ce-specversion", "1.0",
                "ce-dataschema", "1", "Content-Type", "application/json"), v1Only.getBytes(StandardCharsets.UTF_8));
        assertEquals(202, v1.statusCode(), v1.body());
        HttpResponse<String> v9 = post(eventsUrl(topic), Map.of("ce-id", topic + "-v9", "ce-source", "/it/schema", "ce-specversion", "1.0",
                "ce-dataschema", "9", "Content-Type", "application/json"), v1Only.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, v9.statusCode(), v9.body());
        assertEquals("dataschema", SolarWindServer.json(v9.body()).asJsonObject().getString("rule"));
        // data that is not JSON is not checked
        HttpResponse<String> text = post(eventsUrl(topic), Map.of("ce-id", topic + "-text", "ce-source", "/it/schema", "ce-specversion", "1.0",
                "Content-Type", "text/plain"), "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(202, text.statusCode(), text.body());
        assertEquals(204, SolarWindServer.delete(schemaUrl(topic) + "?version=2").statusCode());
        assertEquals(202, publish(topic, topic + "-v1-now", v1Only).statusCode(), "version 1 is current again");
        assertEquals(404, SolarWindServer.delete(schemaUrl(topic) + "?version=2").statusCode());
    }

    private static void publishOverJms(String topic, String id, String json) throws Exception {
        try (Connection c = jms()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createTopic("solarwind.inbound"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            Message m = s.createTextMessage(json);
            m.setStringProperty("ce_type", topic);
            m.setStringProperty("ce_id", id);
            m.setStringProperty("ce_source", "/it/schema");
            m.setStringProperty("ce_datacontenttype", "application/json");
            producer.send(m);
        }
    }

    private static Message awaitDeadLetter(Session s, String id) throws Exception {
        Message[] found = new Message[1];
        SolarWindServer.await(WAIT, "event " + id + " on DLA", () -> {
            try (QueueBrowser browser = s.createBrowser(s.createQueue("DLA"), "ce_id = '" + id + "'")) {
                Enumeration<?> e = browser.getEnumeration();
                if (e.hasMoreElements()) {
                    found[0] = (Message) e.nextElement();
                    return true;
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        });
        return found[0];
    }
}
