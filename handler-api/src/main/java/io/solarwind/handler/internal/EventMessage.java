package io.solarwind.handler.internal;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.TextMessage;

/** An event as a message to Solar Wind's inbound topic: a JSON text with the {@code ce_*} properties. */
public final class EventMessage {
    /** The inbound JMS topic of Solar Wind. */
    public static final String INBOUND = "solarwind.inbound";

    private EventMessage() {
    }

    public static void send(JMSContext context, JMSProducer producer, String topic, String id, String source, String time, String json) {
        try {
            TextMessage message = context.createTextMessage(json);
            message.setStringProperty("ce_specversion", "1.0");
            message.setStringProperty("ce_type", topic);
            message.setStringProperty("ce_id", id);
            message.setStringProperty("ce_source", source);
            message.setStringProperty("ce_time", time);
            message.setStringProperty("ce_datacontenttype", "application/json");
            producer.setDeliveryMode(DeliveryMode.PERSISTENT).send(context.createTopic(INBOUND), message);
        } catch (JMSException e) {
            throw new IllegalStateException("Firing " + topic + " event " + id + " failed: " + e.getMessage(), e);
        }
    }
}
