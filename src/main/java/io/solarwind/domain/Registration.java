package io.solarwind.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A purpose registered on a topic with its exchange and redelivery policy, and the broker destination
 * its instances consume. The destination name is derived from topic, purpose and exchange,
 * so it is the same on every server and after every restart.
 */
public record Registration(Topic topic, Purpose purpose, Exchange exchange, Redelivery redelivery, Instant registeredAt) {
    /** Prefix of every purpose destination; the dispatcher is the only sender to these. */
    public static final String DESTINATION_PREFIX = "solarwind.";

    public Registration {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(redelivery, "redelivery");
        Objects.requireNonNull(registeredAt, "registeredAt");
    }

    /** The same registration with another redelivery policy. */
    public Registration withRedelivery(Redelivery policy) {
        return new Registration(topic, purpose, exchange, policy, registeredAt);
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
