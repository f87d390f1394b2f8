package io.solarwind.application;

import io.solarwind.domain.Push;
import io.solarwind.domain.Registration;

/**
 * A purpose declared with other push settings than it is registered with: a push target is
 * part of what the purpose is (like its exchange), so it is not changed by registering again;
 * delete the purpose and register it anew (its waiting events go with it).
 */
public class PushConflictException extends RuntimeException {
    public PushConflictException(Registration existing, Push requested) {
        super("purpose '" + existing.purpose() + "' on topic '" + existing.topic() + "' is registered "
                + (existing.push() == null ? "without push delivery (its instances consume its queue)"
                        : "with push " + existing.push().describe())
                + "; it cannot be declared with push " + describe(existing, requested)
                + ". Registering again without \"push\" keeps it; to change it, delete the purpose and register it again");
    }

    private static String describe(Registration existing, Push requested) {
        if (existing.push() != null && existing.push().sameTarget(requested)) {
            return requested.describe() + " and another secret";
        }
        return requested.describe();
    }
}
