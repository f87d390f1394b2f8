package io.solarwind.domain;

import java.util.Locale;

/** How the instances of one purpose share its events. */
public enum Exchange {
    /** One instance gets each event; events wait durably until an instance takes them. A JMS queue. */
    DIRECT("queue"),
    /** Every instance connected at that moment gets a copy; with none, the copy is dropped. A JMS topic. */
    FANOUT("topic");

    private final String destinationType;

    Exchange(String destinationType) {
        this.destinationType = destinationType;
    }

    /** {@code direct} or {@code fanout}, as written in the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code queue} for direct, {@code topic} for fanout. */
    public String destinationType() {
        return destinationType;
    }

    public static Exchange parse(String value) {
        if (value != null) {
            for (Exchange e : values()) {
                if (e.wireName().equals(value)) {
                    return e;
                }
            }
        }
        throw new InvalidInputException("exchange",
                "exchange must be \"direct\" or \"fanout\", not " + (value == null ? "missing" : "\"" + Names.printable(value) + "\""));
    }
}
