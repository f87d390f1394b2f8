package io.solarwind.application;

import io.solarwind.domain.Event;

/** Hands an event to the dispatcher's inbound destination. */
public interface EventPublisher {
    /**
     * Returns only once the broker has stored the event durably. Publishing the same
     * {@code source} + {@code id} again is accepted and dispatched once.
     */
    void publish(Event event);
}
