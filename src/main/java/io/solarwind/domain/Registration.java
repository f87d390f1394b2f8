package io.solarwind.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A purpose registered on a topic with its exchange and redelivery policy, and the broker destination
 * its instances consume. The destination name is derived from topic, purpose and exchange,
 * so it is the same on every server and after every restart.
 *
 * @param push where Solar Wind POSTs the purpose's events itself (a direct purpose only); null when its
 *             instances are consumers of its destination
 * @param filter which of the topic's events reach the purpose; null: all of them
 */
public record Registration(Topic topic, Purpose purpose, Exchange exchange, Redelivery redelivery, Instant registeredAt, Push push,
                           PurposeFilter filter) {
    /** Prefix of every purpose destination; the dispatcher is the only sender to these. */
    public static final String DESTINATION_PREFIX = "solarwind.";
    /** Prefix of the topics' addresses, on which the direct purposes' queues are bound. */
    public static final String TOPIC_ADDRESS_PREFIX = DESTINATION_PREFIX + "topic.";

    public Registration {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(redelivery, "redelivery");
        Objects.requireNonNull(registeredAt, "registeredAt");
        if (push != null && exchange != Exchange.DIRECT) {
            throw new InvalidInputException("push", "push delivery is for direct purposes: a fanout purpose's copies go to the"
                    + " instances connected at the moment, and every server would POST each of them");
        }
    }

    /** A registration of every event of its topic. */
    public Registration(Topic topic, Purpose purpose, Exchange exchange, Redelivery redelivery, Instant registeredAt, Push push) {
        this(topic, purpose, exchange, redelivery, registeredAt, push, null);
    }

    /** A registration whose instances consume its destination (no push delivery). */
    public Registration(Topic topic, Purpose purpose, Exchange exchange, Redelivery redelivery, Instant registeredAt) {
        this(topic, purpose, exchange, redelivery, registeredAt, null, null);
    }

    /** The same registration with another redelivery policy. */
    public Registration withRedelivery(Redelivery policy) {
        return new Registration(topic, purpose, exchange, policy, registeredAt, push, filter);
    }

    /** Whether only some of the topic's events reach the purpose. */
    public boolean filters() {
        return filter != null;
    }

    /** Whether Solar Wind POSTs the purpose's events to a URL itself. */
    public boolean pushes() {
        return push != null;
    }

    /**
     * The JMS destination name the purpose's instances consume. A fanout purpose: the JMS topic
     * {@code solarwind.fanout.<topic>.<purpose>}. A direct purpose: the JMS queue
     * {@code solarwind.topic.<topic>::solarwind.direct.<topic>.<purpose>}, the fully qualified
     * name of its queue {@link #queue()} on its topic's address {@link #address()}: every direct
     * purpose of a topic is a queue on that one address, so the broker stores each event once for
     * all of them. A purpose has no dots, so the last segment is always the purpose and no two
     * registrations share a destination.
     */
    public String destination() {
        return destinationOf(topic, purpose, exchange);
    }

    public static String destinationOf(Topic topic, Purpose purpose, Exchange exchange) {
        return exchange == Exchange.DIRECT
                ? topicAddressOf(topic) + "::" + queueOf(topic, purpose, exchange)
                : queueOf(topic, purpose, exchange);
    }

    /**
     * The broker address the dispatcher sends to: the topic's address for a direct purpose
     * (shared by the topic's direct purposes), the purpose's own for a fanout purpose.
     */
    public String address() {
        return exchange == Exchange.DIRECT ? topicAddressOf(topic) : queueOf(topic, purpose, exchange);
    }

    /**
     * {@code solarwind.direct.<topic>.<purpose>}: a direct purpose's durable queue, or a fanout
     * purpose's address (its subscribers bring their own queues).
     */
    public String queue() {
        return queueOf(topic, purpose, exchange);
    }

    private static String queueOf(Topic topic, Purpose purpose, Exchange exchange) {
        return DESTINATION_PREFIX + exchange.wireName() + "." + topic.name() + "." + purpose.name();
    }

    /** {@code solarwind.topic.<topic>}: the multicast address holding the queues of a topic's direct purposes. */
    public static String topicAddressOf(Topic topic) {
        return TOPIC_ADDRESS_PREFIX + topic.name();
    }

    /** The identity of a registration: topic and purpose (the exchange is an attribute of it). */
    public String key() {
        return topic.name() + "/" + purpose.name();
    }
}
