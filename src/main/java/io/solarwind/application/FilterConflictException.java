package io.solarwind.application;

import io.solarwind.domain.PurposeFilter;
import io.solarwind.domain.Registration;

/**
 * A purpose registered again with another filter than it has. A filter is not changed in place:
 * the events already in the purpose's queue were chosen by the old one, and a replay or a server
 * that has not heard of the change would mix the two.
 */
public class FilterConflictException extends RuntimeException {
    public FilterConflictException(Registration existing, PurposeFilter requested) {
        super("purpose '" + existing.purpose() + "' on topic '" + existing.topic() + "' is registered with "
                + (existing.filter() == null ? "no filter" : "filter " + existing.filter()) + "; it cannot be registered with "
                + (requested == null ? "no filter" : "filter " + requested)
                + " (delete the purpose and register it again to change its filter)");
    }
}
