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
 * @param versions the versions its instances implement and the active one (null: version 1 alone)
 */
public record Registration(Topic topic, Purpose purpose, Exchange exchange, Redelivery redelivery, Instant registeredAt, Push push,
                           PurposeFilter filter, PurposeVersions versions) {
    /** Prefix of every purpose destination; the dispatcher is the only sender to these. */
    public static final String DESTINATION_PREFIX = "solarwind.";
    /** Prefix of the topics' addresses, on which the direct purposes' queues are bound. */
    public static final String TOPIC_ADDRESS_PREFIX = DESTINATION_PREFIX + "topic.";
    /** Between a direct purpose's queue and a version's: {@code solarwind.direct.<topic>.<purpose>~<version>}. */
    public static final String VERSION_SEPARATOR = "~";
    /** Prefix of the message property that names the version of a purpose an event goes to. */
    public static final String VERSION_PROPERTY_PREFIX = "solarwind_pv_";

    public Registration {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(redelivery, "redelivery");
        Objects.requireNonNull(registeredAt, "registeredAt");
        if (versions == null) {
            versions = PurposeVersions.first(PurposeVersions.DEFAULT, registeredAt);
        }
        if (push != null && versions.several()) {
            throw new InvalidInputException("purposeVersion", "a pushed purpose has one version: its URL is its one instance");
        }
        if (push != null && exchange != Exchange.DIRECT) {
            throw new InvalidInputException("push", "push delivery is for direct purposes: a fanout purpose's copies go to the"
                    + " instances connected at the moment, and every server would POST each of them");
        }
    }

    /** A registration of version 1 alone. */
    public Registration(Topic topic, Purpose purpose, Exchange exchange, Redelivery redelivery, Instant registeredAt, Push push,
                        PurposeFilter filter) {
        this(topic, purpose, exchange, redelivery, registeredAt, push, filter, null);
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
        return new Registration(topic, purpose, exchange, policy, registeredAt, push, filter, versions);
    }

    /** The same registration with other versions (another one added, or another active). */
    public Registration withVersions(PurposeVersions next) {
        return new Registration(topic, purpose, exchange, redelivery, registeredAt, push, filter, next);
    }

    /**
     * Whether the dispatcher routes each event to one version's queue: a direct purpose with
     * several versions. It marks each event with the active version in {@link #versionProperty()},
     * and each version's queue takes only the events marked with it ({@link #queueSelector(String)}).
     */
    public boolean routesByVersion() {
        return exchange == Exchange.DIRECT && versions.several();
    }

    /**
     * The message property in which the dispatcher names the version of this purpose an event goes to:
     * {@code solarwind_pv_<purpose>}, a '-' of the purpose as '$' (a selector identifier has no '-'; a purpose has no '$').
     */
    public String versionProperty() {
        return VERSION_PROPERTY_PREFIX + purpose.name().replace('-', '$');
    }

    /**
     * The filter of a version's queue, as a message selector; null for none. The purpose's own filter,
     * and while the purpose routes by version, the version's mark: {@code solarwind_pv_<purpose> = '<version>'}
     * (the base version's queue also takes unmarked events: those a dispatcher sent before it knew of a second version).
     */
    public String queueSelector(String version) {
        String own = filter == null ? null : filter.selector();
        if (!routesByVersion()) {
            return own;
        }
        String property = versionProperty();
        String mark = version.equals(versions.base())
                ? "(" + property + " IS NULL OR " + property + " = '" + version + "')"
                : property + " = '" + version + "'";
        return own == null ? mark : "(" + own + ") AND " + mark;
    }

    /** A version's queue ({@link #queueOf(Topic, Purpose, Exchange, String)}). */
    public String versionQueue(String version) {
        return queueOf(topic, purpose, exchange, version);
    }

    /** A version's destination, what its instances consume ({@link #destinationOf(Topic, Purpose, Exchange, String)}). */
    public String versionDestination(String version) {
        return destinationOf(topic, purpose, exchange, version);
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
        return destinationOf(topic, purpose, exchange, versions.active());
    }

    public static String destinationOf(Topic topic, Purpose purpose, Exchange exchange) {
        return destinationOf(topic, purpose, exchange, PurposeVersions.DEFAULT);
    }

    /**
     * The destination of a version's instances: a direct purpose's version 1 has the purpose's queue
     * ({@link #destination()} as it always was), each other version {@code <queue>~<version>} on the same
     * address; a fanout purpose's versions share its JMS topic.
     */
    public static String destinationOf(Topic topic, Purpose purpose, Exchange exchange, String version) {
        return exchange == Exchange.DIRECT
                ? topicAddressOf(topic) + "::" + queueOf(topic, purpose, exchange, version)
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
        return queueOf(topic, purpose, exchange, versions.active());
    }

    /** The queues of a direct purpose's versions, in the order they were registered; a fanout purpose's address. */
    public java.util.List<String> queues() {
        return exchange == Exchange.DIRECT ? versions.names().stream().map(this::versionQueue).toList() : java.util.List.of(queue());
    }

    private static String queueOf(Topic topic, Purpose purpose, Exchange exchange, String version) {
        String own = queueOf(topic, purpose, exchange);
        return exchange != Exchange.DIRECT || PurposeVersions.DEFAULT.equals(version) ? own : own + VERSION_SEPARATOR + version;
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
