package io.solarwind.infrastructure.messaging;

/** Fixed destination and property names on the broker. */
public final class BrokerNames {
    private BrokerNames() {
    }

    /** The inbound JMS topic (a multicast address): publishers send every event here. */
    public static final String INBOUND = "solarwind.inbound";
    /** The dispatcher's durable subscription queue on {@link #INBOUND}. */
    public static final String DISPATCH_QUEUE = "solarwind.dispatch";
    /** The fully qualified name the dispatcher consumes. */
    public static final String DISPATCH_FQQN = INBOUND + "::" + DISPATCH_QUEUE;
    /** The durable registry of purposes: a last-value queue keyed by topic and purpose. */
    public static final String REGISTRY = "solarwind.registry";
    /** Last-value key property of {@link #REGISTRY}. */
    public static final String REGISTRY_KEY = "solarwind_registration";
    /** Dead-letter address and queue. */
    public static final String DEAD_LETTER = "DLA";
    /** Expiry address and queue. */
    public static final String EXPIRY = "ExpiryQueue";
    /** Why a message was dead-lettered by Solar Wind. */
    public static final String REASON_PROPERTY = "solarwind_reason";
    /** Artemis's duplicate detection header. */
    public static final String DUPLICATE_ID_PROPERTY = "_AMQ_DUPL_ID";
}
