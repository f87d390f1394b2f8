package io.solarwind.infrastructure.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.protocol.amqp.broker.AMQPStandardMessage;
import org.apache.activemq.artemis.protocol.amqp.converter.AMQPMessageSupport;
import org.apache.activemq.artemis.protocol.amqp.converter.CoreAmqpConverter;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.codec.ReadableBuffer;
import org.junit.jupiter.api.Test;

/**
 * The broker plugin on real Artemis messages of both protocols, without a broker: an AMQP
 * publisher's CloudEvents (the AMQP binding's form) become events as JMS publishers' are, in the
 * message's encoding (what the journal stores and consumers get), and a JMS event reaches an AMQP
 * consumer in the binding's form, through Artemis's own converter.
 */
class InboundEventPluginAmqpTest {
    private final InboundEventPlugin plugin = new InboundEventPlugin();

    @Test
    void anAmqpCloudEventBecomesAnEventInItsEncoding() throws Exception {
        byte[] json = "{\"order\":7}".getBytes(StandardCharsets.UTF_8);
        AMQPStandardMessage sent = amqp(Map.of("cloudEvents:type", "orders.placed", "cloudEvents:id", "7",
                "cloudEvents:source", "/shop", "solarwind_reason", "forged"), "application/json", json);

        plugin.beforeSend(null, null, sent, false, false);

        AMQPStandardMessage stored = reread(sent);
        assertEquals("orders.placed", stored.getStringProperty("ce_type"));
        assertEquals("7", stored.getStringProperty("ce_id"));
        assertEquals("/shop", stored.getStringProperty("ce_source"));
        assertEquals("1.0", stored.getStringProperty("ce_specversion"));
        assertEquals("application/json", stored.getStringProperty(CloudEventProperties.DATACONTENTTYPE));
        assertEquals(CloudEventProperties.deduplicationKey("/shop", "7"), stored.getDuplicateProperty().toString());
        assertEquals("orders.placed", stored.getStringProperty("cloudEvents_type"));
        assertEquals("7", stored.getStringProperty("cloudEvents_id"));
        assertEquals(stored.getStringProperty("ce_time"), stored.getStringProperty("cloudEvents_time"));
        assertFalse(stored.containsProperty("cloudEvents:type"), "one separator per message");
        assertFalse(stored.containsProperty("solarwind_reason"), "no dead-letter property from a publisher");
        assertArrayEquals(json, ((Data) stored.getBody()).getValue().getArray(), "the data as sent");

        ICoreMessage jms = stored.toCore();
        assertEquals(Message.TEXT_TYPE, jms.getType(), "JSON in a Data section is a TextMessage for JMS instances");
        assertEquals("orders.placed", jms.getStringProperty("ce_type"));
    }

    @Test
    void bytesKeepTheirContentTypeAndAnAmqpValueStringIsText() throws Exception {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        AMQPStandardMessage sent = amqp(Map.of("cloudEvents_type", "images.raw"), "application/octet-stream", bytes);
        plugin.beforeSend(null, null, sent, false, false);
        ICoreMessage jms = reread(sent).toCore();
        assertEquals(Message.BYTES_TYPE, jms.getType());
        assertEquals("application/octet-stream", jms.getStringProperty(CloudEventProperties.DATACONTENTTYPE));
        assertEquals(CloudEventProperties.DEFAULT_JMS_SOURCE, jms.getStringProperty("ce_source"));

        AMQPStandardMessage value = AMQPStandardMessage.createMessage(1, 0, null, null, properties(null), null, null,
                Map.of("cloudEvents_type", "notes.added"), null, new AmqpValue("hello"));
        plugin.beforeSend(null, null, value, false, false);
        ICoreMessage text = reread(value).toCore();
        assertEquals(Message.TEXT_TYPE, text.getType());
        assertNull(text.getStringProperty(CloudEventProperties.DATACONTENTTYPE), "no content-type given, none made up");
    }

    @Test
    void aJmsEventReachesAnAmqpConsumerInTheBindingsForm() throws Exception {
        CoreMessage jms = new CoreMessage(1, 512);
        jms.setType(Message.TEXT_TYPE);
        jms.getBodyBuffer().writeNullableSimpleString(org.apache.activemq.artemis.api.core.SimpleString.of("{\"a\":1}"));
        jms.setAddress(BrokerNames.INBOUND);
        jms.putStringProperty("ce_type", "orders.placed");
        jms.putStringProperty("ce_datacontenttype", "application/json");

        plugin.beforeSend(null, null, jms, false, false);

        AMQPStandardMessage amqp = (AMQPStandardMessage) CoreAmqpConverter.fromCore(jms, null);
        assertEquals("orders.placed", amqp.getApplicationProperties().getValue().get("cloudEvents_type"));
        assertEquals(CloudEventProperties.DEFAULT_JMS_SOURCE, amqp.getApplicationProperties().getValue().get("cloudEvents_source"));
        assertEquals(Symbol.valueOf("application/json"), amqp.getProperties().getContentType());
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), ((Data) amqp.getBody()).getValue().getArray(),
                "JSON text as its bytes in a Data section, as the binding has it");
        assertFalse(amqp.getApplicationProperties().getValue().containsKey(AMQPMessageSupport.JMS_AMQP_CONTENT_TYPE));
    }

    private static AMQPStandardMessage amqp(Map<String, Object> applicationProperties, String contentType, byte[] data) {
        return AMQPStandardMessage.createMessage(1, 0, null, null, properties(contentType), null, null,
                applicationProperties, null, new Data(new Binary(data)));
    }

    private static Properties properties(String contentType) {
        Properties properties = new Properties();
        properties.setTo(BrokerNames.INBOUND);
        if (contentType != null) {
            properties.setContentType(Symbol.valueOf(contentType));
        }
        return properties;
    }

    /** The message as its encoding has it: what the journal stores and a consumer gets. */
    private static AMQPStandardMessage reread(AMQPStandardMessage message) {
        ReadableBuffer buffer = message.getSendBuffer(1, null);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new AMQPStandardMessage(0, bytes, null);
    }
}
