package io.solarwind.application;

import io.solarwind.domain.Exchange;
import io.solarwind.domain.Registration;

/** A purpose declared with an exchange other than the one it is registered with. */
public class PurposeConflictException extends RuntimeException {
    private final Registration existing;
    private final Exchange requested;

    public PurposeConflictException(Registration existing, Exchange requested) {
        super("purpose '" + existing.purpose() + "' on topic '" + existing.topic() + "' is registered with exchange "
                + existing.exchange().wireName() + "; it cannot be declared with exchange " + requested.wireName());
        this.existing = existing;
        this.requested = requested;
    }

    public Registration existing() {
        return existing;
    }

    public Exchange requested() {
        return requested;
    }
}
