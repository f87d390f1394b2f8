package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.eventsUrl;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.json;
import static io.solarwind.it.SolarWindServer.post;
import static io.solarwind.it.SolarWindServer.register;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Publishing over HTTP (both CloudEvents modes) and JMS, and what a handler receives. */
class PublishingIT {
    private String topic;
    private Connection connection;
    private MessageConsumer consumer;

    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    @BeforeEach
    void purpose() throws Exception {
        topic = uniqueTopic("it.publish");
        String queue = register(topic, "handler", "direct").getString("destination");
        connection = jms();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        consumer = session.createConsumer(session.createQueue(queue));
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    @Test
    void binaryModeCarriesAttributesAndNonUtf8BytesUnchanged() throws Exception {
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (255 - i); // 0xFF 0xFE ...: not UTF-8
        }
        HttpResponse<String> response = post(eventsUrl(topic), Map.of(
                "ce-specversion", "1.0", "ce-id", topic + "-bin-1", "ce-source", "/cameras/7", "ce-type", topic,
                "ce-subject", "frame-42", "ce-time", "2026-11-28T10:00:00Z", "ce-traceparent", "00-abc-def-01",
                "Content-Type", "application/octet-stream"), data);
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(topic + "-bin-1", json(response.body()).asJsonObject().getString("id"));

        Message m = consumer.receive(10_000);
        BytesMessage bytes = assertInstanceOf(BytesMessage.class, m);
        byte[] received = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(received);
        assertArrayEquals(data, received, "data byte for byte");
        assertEquals("1.0", m.getStringProperty("ce_specversion"));
        assertEquals(topic + "-bin-1", m.getStringProperty("ce_id"));
        assertEquals("/cameras/7", m.getStringProperty("ce_source"));
        assertEquals(topic, m.getStringProperty("ce_type"));
        assertEquals("frame-42", m.getStringProperty("ce_subject"));
        assertEquals("2026-11-28T10:00:00Z", m.getStringProperty("ce_time"));
        assertEquals("application/octet-stream", m.getStringProperty("ce_datacontenttype"));
        assertEquals("00-abc-def-01", m.getStringProperty("ce_traceparent"), "extension attribute");
    }

    @Test
    void binaryModeFillsInIdSourceAndTimeAndSendsJsonAsText() throws Exception {
        HttpResponse<String> response = post(eventsUrl(topic), Map.of("Content-Type", "application/json"),
                "{\"size\":\"ü 1080p\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(202, response.statusCode(), response.body());
        String id = json(response.body()).asJsonObject().getString("id");
        assertFalse(id.isBlank());

        TextMessage m = assertInstanceOf(TextMessage.class, consumer.receive(10_000));
        assertEquals("{\"size\":\"ü 1080p\"}", m.getText());
        assertEquals(id, m.getStringProperty("ce_id"));
        assertEquals("/solarwind/http", m.getStringProperty("ce_source"));
        assertEquals(topic, m.getStringProperty("ce_type"));
        assertEquals("1.0", m.getStringProperty("ce_specversion"));
        assertNotNull(OffsetDateTime.parse(m.getStringProperty("ce_time")));
    }

    @Test
    void structuredModeWithJsonData() throws Exception {
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + topic + "-s-1\",\"source\":\"/uploader\",\"type\":\"" + topic + "\","
                + "\"subject\":\"cat.mp4\",\"datacontenttype\":\"application/json\",\"data\":{\"bytes\":1024,\"tags\":[\"a\"]}}";
        HttpResponse<String> response = post(eventsUrl(topic), Map.of("Content-Type", "application/cloudevents+json"),
                event.getBytes(StandardCharsets.UTF_8));
        assertEquals(202, response.statusCode(), response.body());

        TextMessage m = assertInstanceOf(TextMessage.class, consumer.receive(10_000));
        assertEquals(json("{\"bytes\":1024,\"tags\":[\"a\"]}"), json(m.getText()));
        assertEquals(topic + "-s-1", m.getStringProperty("ce_id"));
        assertEquals("/uploader", m.getStringProperty("ce_source"));
        assertEquals("cat.mp4", m.getStringProperty("ce_subject"));
        assertEquals("application/json", m.getStringProperty("ce_datacontenttype"));
    }

    @Test
    void structuredModeWithBase64Data() throws Exception {
        byte[] data = {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF, 0x7F};
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + topic + "-s-2\",\"source\":\"/uploader\",\"type\":\"" + topic + "\","
                + "\"datacontenttype\":\"image/png\",\"data_base64\":\"" + Base64.getEncoder().encodeToString(data) + "\"}";
        HttpResponse<String> response = post(eventsUrl(topic), Map.of("Content-Type", "application/cloudevents+json; charset=utf-8"),
                event.getBytes(StandardCharsets.UTF_8));
        assertEquals(202, response.statusCode(), response.body());

        BytesMessage m = assertInstanceOf(BytesMessage.class, consumer.receive(10_000));
        byte[] received = new byte[(int) m.getBodyLength()];
        m.readBytes(received);
        assertArrayEquals(data, received);
        assertEquals("image/png", m.getStringProperty("ce_datacontenttype"));
    }

    @Test
    void jmsPublishToInboundTopicIsDispatchedWithDefaults() throws Exception {
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer producer = s.createProducer(s.createTopic("solarwind.inbound"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            BytesMessage out = s.createBytesMessage();
            out.writeBytes(new byte[] {1, 2, (byte) 0xFE});
            out.setStringProperty("ce_type", topic);
            producer.send(out);
        }
        BytesMessage m = assertInstanceOf(BytesMessage.class, consumer.receive(10_000));
        byte[] received = new byte[(int) m.getBodyLength()];
        m.readBytes(received);
        assertArrayEquals(new byte[] {1, 2, (byte) 0xFE}, received);
        assertEquals(topic, m.getStringProperty("ce_type"));
        assertFalse(m.getStringProperty("ce_id").isBlank(), "an id is generated");
        assertEquals("/solarwind/jms", m.getStringProperty("ce_source"));
        assertEquals("1.0", m.getStringProperty("ce_specversion"));
        assertNotNull(OffsetDateTime.parse(m.getStringProperty("ce_time")));
    }

    @Test
    void sameIdAndSourcePublishedTwiceIsDeliveredOnce() throws Exception {
        Map<String, String> headers = Map.of("ce-id", topic + "-dup-1", "ce-source", "/twice", "Content-Type", "text/plain");
        assertEquals(202, post(eventsUrl(topic), headers, "first".getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals(202, post(eventsUrl(topic), headers, "second".getBytes(StandardCharsets.UTF_8)).statusCode());
        // the same id from another source is another event
        assertEquals(202, post(eventsUrl(topic), Map.of("ce-id", topic + "-dup-1", "ce-source", "/elsewhere",
                "Content-Type", "text/plain"), "other".getBytes(StandardCharsets.UTF_8)).statusCode());
        // and over JMS, the same id + source again
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            Message again = s.createTextMessage("third");
            again.setStringProperty("ce_type", topic);
            again.setStringProperty("ce_id", topic + "-dup-1");
            again.setStringProperty("ce_source", "/twice");
            s.createProducer(s.createTopic("solarwind.inbound")).send(again);
        }
        TextMessage first = assertInstanceOf(TextMessage.class, consumer.receive(10_000));
        assertEquals("first", first.getText());
        TextMessage other = assertInstanceOf(TextMessage.class, consumer.receive(10_000));
        assertEquals("other", other.getText());
        assertEquals("/elsewhere", other.getStringProperty("ce_source"));
        assertNull(consumer.receive(2000), "no second delivery of dup-1 from /twice");
    }
}
