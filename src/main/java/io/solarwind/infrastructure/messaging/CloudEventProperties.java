package io.solarwind.infrastructure.messaging;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * CloudEvents attributes as JMS string properties named {@code ce_<attribute>},
 * and the defaults every inbound event gets, wherever it came from.
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

    /** Source of events published over HTTP without one. */
    public static final String DEFAULT_HTTP_SOURCE = "/solarwind/http";
    /** Source of events published over JMS without one. */
    public static final String DEFAULT_JMS_SOURCE = "/solarwind/jms";

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
