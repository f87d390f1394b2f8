package io.solarwind.handler;

import java.util.Locale;

/**
 * The broker destination of a purpose, as Solar Wind names it: the JMS queue
 * {@code solarwind.direct.<topic>.<purpose>} or the JMS topic
 * {@code solarwind.fanout.<topic>.<purpose>}. The name depends only on topic, purpose and
 * exchange, so it is the same on every server and after every restart (external contract).
 */
public final class PurposeDestination {
    private PurposeDestination() {
    }

    public static String name(String topic, String purpose, Exchange exchange) {
        return "solarwind." + exchange.name().toLowerCase(Locale.ROOT) + "." + topic + "." + purpose;
    }
}
