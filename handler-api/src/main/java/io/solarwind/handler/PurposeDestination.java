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
        String own = "solarwind." + exchange.name().toLowerCase(Locale.ROOT) + "." + topic + "." + purpose;
        return exchange == Exchange.DIRECT ? "solarwind.topic." + topic + "::" + own : own;
    }
}
