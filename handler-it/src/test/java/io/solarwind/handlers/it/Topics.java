package io.solarwind.handlers.it;

/** The topics of the handler tests. */
final class Topics {
    private Topics() {
    }

    static final String DIRECT = "it.handlers.direct";
    static final String FANOUT = "it.handlers.fanout";
    static final String FAILING = "it.handlers.failing";
    static final String CONFLICT = "it.handlers.conflict";
    static final String VERSIONED = "it.handlers.versioned";
}
