package io.solarwind.infrastructure.messaging;

/** Fixed destination, property and management resource names on the broker. */
public final class BrokerNames {
    private BrokerNames() {
    }

    /** The inbound JMS topic (a multicast address): publishers send every event here. */
    public static final String INBOUND = "solarwind.inbound";
    /** The dispatcher's durable subscription queue on {@link #INBOUND}. */
    public static final String DISPATCH_QUEUE = "solarwind.dispatch";
    /** The fully qualified name the dispatcher consumes. */
    public static final String DISPATCH_FQQN = INBOUND + "::" + DISPATCH_QUEUE;
    /**
     * The durable registry of purposes: {@value #REGISTRY_SHARDS} last-value queues
     * ({@code solarwind.registry.00} to {@code .63}, each on its own address), a registration in
     * the one its key hashes to (see {@link #registryShard}). Artemis scans a whole last-value
     * queue on every message added to it while no consumer is attached: one queue for all
     * registrations made registering the n-th purpose cost O(n).
     */
    public static final String REGISTRY = "solarwind.registry";
    /** How many queues the registry is spread over; fixed, since a key's queue follows from it. */
    public static final int REGISTRY_SHARDS = 64;
    /** Last-value key property of the registry's queues. */
    public static final String REGISTRY_KEY = "solarwind_registration";
    /** The registry queue (and address) that holds the registration of this key. */
    public static String registryShard(String key) {
        return registryShard(Math.floorMod(key.hashCode(), REGISTRY_SHARDS));
    }

    /** The registry's n-th queue (and address), {@code solarwind.registry.07} for 7. */
    public static String registryShard(int n) {
        return String.format("%s.%02d", REGISTRY, n);
    }

    /**
     * The multicast address on which every registry change is announced to every server (each
     * listens with a non-durable subscription, so a server that is gone leaves nothing behind).
     */
    public static final String REGISTRY_CHANGES = "solarwind.registry.changes";
    /** The topics' schemas: a last-value queue keyed by topic ({@value #SCHEMA_KEY}), the newest record of each. */
    public static final String SCHEMAS = "solarwind.schemas";
    public static final String SCHEMA_KEY = "solarwind_schema_topic";
    /** Where a schema change is announced to every server (multicast, no queue of its own). */
    public static final String SCHEMA_CHANGES = "solarwind.schemas.changes";
    /**
     * Marks a registry change sent into the dispatch stream ({@link #DISPATCH_FQQN}), where the
     * dispatcher applies it in order with the events; the broker plugin refuses it from anyone
     * without the {@code manage} permission on {@link #INBOUND} (only Solar Wind's servers and admins).
     */
    public static final String CONTROL_PROPERTY = "solarwind_control";

    /** Dead-letter address and queue. */
    public static final String DEAD_LETTER = "DLA";
    /** Expiry address and queue. */
    public static final String EXPIRY = "ExpiryQueue";
    /** Why a message was dead-lettered by Solar Wind. */
    public static final String REASON_PROPERTY = "solarwind_reason";
    /** The topic of the purpose a dead letter failed in, as the handler API sets it. */
    public static final String DEAD_LETTER_TOPIC_PROPERTY = "solarwind_topic";
    /** The purpose a dead letter failed in, as the handler API sets it. */
    public static final String DEAD_LETTER_PURPOSE_PROPERTY = "solarwind_purpose";
    /**
     * The properties that say where and why a dead letter failed: the broker plugin removes them
     * from events sent to {@link #INBOUND}, so no publisher can make its event look like another
     * purpose's dead letter once it gets dead-lettered.
     */
    public static final java.util.List<String> DEAD_LETTER_PROPERTIES = java.util.List.of(REASON_PROPERTY,
            DEAD_LETTER_TOPIC_PROPERTY, DEAD_LETTER_PURPOSE_PROPERTY, "solarwind_attempts", "solarwind_original_destination");
    /**
     * Where the broker says a dead letter came from when it moved it to {@link #DEAD_LETTER} itself
     * (after a queue's last delivery attempt); a client may not send them.
     */
    public static final java.util.List<String> BROKER_ORIGIN_PROPERTIES = java.util.List.of("_AMQ_ORIG_QUEUE", "_AMQ_ORIG_ADDRESS",
            "_AMQ_ORIG_MESSAGE_ID", "_AMQ_ORIG_ROUTING_TYPE");
    /** {@code solarwind.topic.<topic>}: the address of a topic's direct purposes' queues (as {@code Registration} names it). */
    public static String topicAddress(String topic) {
        return "solarwind.topic." + topic;
    }

    /** {@code solarwind.direct.<topic>.<purpose>}: a direct purpose's queue. */
    public static String directQueue(String topic, String purpose) {
        return "solarwind.direct." + topic + "." + purpose;
    }

    /** {@code solarwind.fanout.<topic>.<purpose>}: a fanout purpose's address. */
    public static String fanoutAddress(String topic, String purpose) {
        return "solarwind.fanout." + topic + "." + purpose;
    }
    /**
     * Marks an event a Solar Wind server published for an HTTP request ({@value #VIA_HTTP}), so the
     * dispatcher can count received events by way; events without it came straight to the broker
     * (JMS). The broker plugin removes it from events of senders without {@code manage} on
     * {@link #INBOUND}, the dispatcher from the copies it sends to purposes.
     */
    public static final String VIA_PROPERTY = "solarwind_via";
    /** The value of {@link #VIA_PROPERTY} on events published over HTTP. */
    public static final String VIA_HTTP = "http";
    /** Artemis's duplicate detection header. */
    public static final String DUPLICATE_ID_PROPERTY = "_AMQ_DUPL_ID";
    /**
     * The management resource of Solar Wind's broker plugin that runs a replay in the broker
     * (a resource name, not an address: management messages name it in their header).
     */
    public static final String REPLAY_RESOURCE = "solarwind.replay";
}
