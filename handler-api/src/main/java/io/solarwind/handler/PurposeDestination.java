package io.solarwind.handler;

import java.util.Locale;

/**
 * The broker destination of a purpose, as Solar Wind names it: the JMS queue
 * {@code solarwind.topic.<topic>::solarwind.direct.<topic>.<purpose>} (the fully qualified name
 * of the purpose's queue on its topic's address, which all the topic's direct purposes share) or
 * the JMS topic {@code solarwind.fanout.<topic>.<purpose>}. The name depends only on topic,
 * purpose and exchange, so it is the same on every server and after every restart (external
 * contract).
 */
public final class PurposeDestination {
    private PurposeDestination() {
    }

    public static String name(String topic, String purpose, Exchange exchange) {
        return name(topic, purpose, exchange, "1");
    }

    /**
     * The destination of a version's instances: a direct purpose's version "1" has the purpose's queue
     * (as above), each other version the queue {@code solarwind.direct.<topic>.<purpose>~<version>} on the
     * same address; a fanout purpose's versions share its JMS topic.
     */
    public static String name(String topic, String purpose, Exchange exchange, String version) {
        String own = "solarwind." + exchange.name().toLowerCase(Locale.ROOT) + "." + topic + "." + purpose;
        if (exchange != Exchange.DIRECT) {
            return own;
        }
        return "solarwind.topic." + topic + "::" + own + ("1".equals(version) ? "" : "~" + version);
    }
}
