package io.solarwind.infrastructure.messaging;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * CloudEvents attributes as JMS string properties named {@code ce_<attribute>},
 * and the defaults every inbound event gets, wherever it came from; and the CloudEvents AMQP
 * binding's form of the same attributes ({@code cloudEvents_<attribute>}, also read as
 * {@code cloudEvents:<attribute>}), which every event carries too, for AMQP instances (docs/amqp.md).
 */
public final class CloudEventProperties {
    private CloudEventProperties() {
    }

    public static final String PREFIX = "ce_";
    public static final String SPECVERSION = PREFIX + "specversion";
    public static final String ID = PREFIX + "id";
    public static final String SOURCE = PREFIX + "source";
    public static final String TYPE = PREFIX + "type";
    public static final String TIME = PREFIX + "time";
    public static final String DATACONTENTTYPE = PREFIX + "datacontenttype";
    public static final String DATASCHEMA = PREFIX + "dataschema";
    /** The CloudEvents Partitioning extension: events with one key are handled in order, one at a time (an ordering key). */
    public static final String PARTITIONKEY = PREFIX + "partitionkey";

    /** Source of events published over HTTP without one. */
    public static final String DEFAULT_HTTP_SOURCE = "/solarwind/http";
    /** Source of events published over JMS without one. */
    public static final String DEFAULT_JMS_SOURCE = "/solarwind/jms";

    /** The CloudEvents AMQP binding's prefix of an attribute's application property, the one it prefers. */
    public static final String AMQP_PREFIX = "cloudEvents_";
    /** The binding's other prefix (the only one of its version 1.0.2 and of the Java SDK). */
    public static final String AMQP_COLON_PREFIX = "cloudEvents:";

    public static String property(String attribute) {
        return PREFIX + attribute;
    }

    /**
     * Fills in what a JMS publisher may leave out ({@code ce_specversion}, {@code ce_id},
     * {@code ce_source}, {@code ce_time}) and sets the duplicate detection key from
     * {@code ce_source} + {@code ce_id} unless one is set. Works on any message model
     * through its property getter and setter.
     */
    public static void applyInboundDefaults(Function<String, String> get, BiConsumer<String, String> put) {
        if (isBlank(get.apply(SPECVERSION))) {
            put.accept(SPECVERSION, "1.0");
        }
        String id = get.apply(ID);
        if (isBlank(id)) {
            id = UUID.randomUUID().toString();
            put.accept(ID, id);
        }
        String source = get.apply(SOURCE);
        if (isBlank(source)) {
            source = DEFAULT_JMS_SOURCE;
            put.accept(SOURCE, source);
        }
        if (isBlank(get.apply(TIME))) {
            put.accept(TIME, now());
        }
        if (get.apply(BrokerNames.DUPLICATE_ID_PROPERTY) == null) {
            put.accept(BrokerNames.DUPLICATE_ID_PROPERTY, deduplicationKey(source, id));
        }
    }

    /**
     * Takes the attributes an AMQP publisher gave in the CloudEvents AMQP binding's form: each
     * {@code cloudEvents_<a>} or {@code cloudEvents:<a>} application property becomes {@code ce_<a>}
     * unless the event has that already (a {@code ce_} property wins), and a {@code cloudEvents:<a>}
     * is removed ({@link #toAmqpBinding} writes the {@code _} form, and the binding allows one
     * separator per message). {@code contentType}, the AMQP message's {@code content-type} (null for
     * none, or for a message of another protocol), is the binding's {@code datacontenttype}. A value
     * of another AMQP type becomes text: a timestamp RFC 3339, binary Base64, anything else its
     * {@code toString}. Returns whether it changed anything.
     *
     * @param names the message's property names, read before any change
     */
    public static boolean fromAmqpBinding(Collection<String> names, String contentType, Function<String, Object> get,
                                          BiConsumer<String, String> put, Consumer<String> remove) {
        boolean changed = false;
        for (String name : names) {
            String attribute = name.startsWith(AMQP_PREFIX) ? name.substring(AMQP_PREFIX.length())
                    : name.startsWith(AMQP_COLON_PREFIX) ? name.substring(AMQP_COLON_PREFIX.length()) : null;
            if (attribute == null || attribute.isEmpty()) {
                continue;
            }
            Object value = get.apply(name);
            if (name.startsWith(AMQP_COLON_PREFIX)) {
                remove.accept(name);
                changed = true;
            }
            if (value != null && get.apply(property(attribute)) == null) {
                put.accept(property(attribute), text(value));
                changed = true;
            }
        }
        if (contentType != null && !contentType.isBlank() && isBlank(asString(get.apply(DATACONTENTTYPE)))) {
            put.accept(DATACONTENTTYPE, contentType);
            changed = true;
        }
        return changed;
    }

    /**
     * Writes every {@code ce_<a>} attribute (but {@code datacontenttype}, which the binding carries as
     * the AMQP {@code content-type}) as the binding's {@code cloudEvents_<a>} too, so an AMQP instance
     * reads the event's attributes without knowing Solar Wind's names. Returns whether it changed anything.
     *
     * @param names the message's property names, read after {@link #applyInboundDefaults}
     */
    public static boolean toAmqpBinding(Collection<String> names, Function<String, Object> get, BiConsumer<String, String> put) {
        boolean changed = false;
        for (String name : names) {
            if (!name.startsWith(PREFIX) || name.equals(DATACONTENTTYPE) || name.length() == PREFIX.length()) {
                continue;
            }
            String value = asString(get.apply(name));
            String amqp = AMQP_PREFIX + name.substring(PREFIX.length());
            if (value != null && !value.equals(asString(get.apply(amqp)))) {
                put.accept(amqp, value);
                changed = true;
            }
        }
        return changed;
    }

    /** An AMQP application property's value as an attribute's text. */
    static String text(Object value) {
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }

    private static String asString(Object value) {
        return value == null ? null : value.toString();
    }

    /** One event is one {@code source} + {@code id} pair; length-prefixed so no two pairs share a key. */
    public static String deduplicationKey(String source, String id) {
        return source.length() + ":" + source + id;
    }

    /** The current time as a CloudEvents {@code time} (RFC 3339, UTC, milliseconds). */
    public static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
