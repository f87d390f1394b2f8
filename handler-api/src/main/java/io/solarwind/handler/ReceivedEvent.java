package io.solarwind.handler;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A CloudEvent as a handler receives it: its context attributes (from the {@code ce_*}
 * message properties) and its data, as bytes, text or a typed JSON value.
 */
public final class ReceivedEvent {
    private static final String PREFIX = "ce_";
    private final Message message;
    private final Map<String, String> attributes;

    private ReceivedEvent(Message message, Map<String, String> attributes) {
        this.message = message;
        this.attributes = attributes;
    }

    /** Reads the CloudEvents attributes of a message that Solar Wind delivered. */
    public static ReceivedEvent of(Message message) {
        try {
            Map<String, String> attributes = new LinkedHashMap<>();
            Enumeration<?> names = message.getPropertyNames();
            while (names.hasMoreElements()) {
                String name = (String) names.nextElement();
                if (name.startsWith(PREFIX)) {
                    attributes.put(name.substring(PREFIX.length()), message.getStringProperty(name));
                }
            }
            return new ReceivedEvent(message, Map.copyOf(attributes));
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot read the event's attributes: " + e.getMessage(), e);
        }
    }

    /** The event's {@code id}: with {@link #source()}, what makes it unique. */
    public String id() {
        return attributes.get("id");
    }

    public String source() {
        return attributes.get("source");
    }

    /** The event's {@code type}, which is its topic. */
    public String type() {
        return attributes.get("type");
    }

    public Optional<String> subject() {
        return Optional.ofNullable(attributes.get("subject"));
    }

    public Optional<OffsetDateTime> time() {
        return Optional.ofNullable(attributes.get("time")).map(OffsetDateTime::parse);
    }

    public Optional<String> dataContentType() {
        return Optional.ofNullable(attributes.get("datacontenttype"));
    }

    /** Any context attribute, extensions included, by its CloudEvents name. */
    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    /** Every context attribute by its CloudEvents name. */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** How many times this event has been delivered to this purpose, 1 the first time. */
    public int deliveryCount() {
        try {
            return message.propertyExists("JMSXDeliveryCount") ? message.getIntProperty("JMSXDeliveryCount") : 1;
        } catch (JMSException e) {
            return 1;
        }
    }

    /** The data exactly as published. */
    public byte[] data() {
        try {
            if (message instanceof BytesMessage bytes) {
                bytes.reset();
                byte[] data = new byte[(int) bytes.getBodyLength()];
                bytes.readBytes(data);
                return data;
            }
            if (message instanceof TextMessage text) {
                String body = text.getText();
                return body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            }
            return new byte[0];
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot read the data of event " + id() + ": " + e.getMessage(), e);
        }
    }

    /** The data as text (UTF-8 where it came as bytes). */
    public String text() {
        try {
            if (message instanceof TextMessage text) {
                return text.getText();
            }
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot read the data of event " + id() + ": " + e.getMessage(), e);
        }
        return new String(data(), StandardCharsets.UTF_8);
    }

    /** The JSON data bound to a type with JSON Binding. */
    public <T> T json(Class<T> type) {
        try (Jsonb jsonb = JsonbBuilder.create()) {
            return jsonb.fromJson(text(), type);
        } catch (Exception e) {
            throw new IllegalArgumentException("Event " + id() + " does not hold JSON for " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The underlying JMS message. */
    public Message message() {
        return message;
    }

    @Override
    public String toString() {
        return "event " + id() + " from " + source() + " on " + type();
    }
}
