package io.solarwind.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A purpose registered on a topic with its exchange, and the broker destination
 * its instances consume. The destination name is derived from the other three,
 * so it is the same on every server and after every restart.
 */
public record Registration(Topic topic, Purpose purpose, Exchange exchange, Instant registeredAt) {
    /** Prefix of every purpose destination; the dispatcher is the only sender to these. */
    public static final String DESTINATION_PREFIX = "solarwind.";

    public Registration {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(registeredAt, "registeredAt");
    }

    /**
     * {@code solarwind.direct.<topic>.<purpose>} or {@code solarwind.fanout.<topic>.<purpose>}.
     * A purpose has no dots, so the last segment is always the purpose and no two
     * registrations share a destination.
     */
    public String destination() {
        return destinationOf(topic, purpose, exchange);
    }

    public static String destinationOf(Topic topic, Purpose purpose, Exchange exchange) {
        return DESTINATION_PREFIX + exchange.wireName() + "." + topic.name() + "." + purpose.name();
    }

    /** The identity of a registration: topic and purpose (the exchange is an attribute of it). */
    public String key() {
        return topic.name() + "/" + purpose.name();
    }
}
