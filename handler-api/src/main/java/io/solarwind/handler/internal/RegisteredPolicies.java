package io.solarwind.handler.internal;

import io.solarwind.handler.Purpose;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts of each handler's purpose as Solar Wind answered its registration: the
 * registered redelivery policy is the one source of truth (the broker applies the same one
 * to the purpose's destination), so the handler dead-letters on exactly the broker's last attempt.
 */
final class RegisteredPolicies {
    private static final Map<Class<?>, Integer> MAX_ATTEMPTS = new ConcurrentHashMap<>();

    private RegisteredPolicies() {
    }

    static void registered(Class<?> handler, int maxAttempts) {
        MAX_ATTEMPTS.put(handler, maxAttempts);
    }

    /**
     * The registered attempts of the handler's purpose; else the annotation's; else 0, meaning
     * unknown: the handler then always rethrows and the broker dead-letters after its own count.
     */
    static int maxAttempts(Class<?> handler, Purpose purpose) {
        for (Class<?> c = handler; c != null; c = c.getSuperclass()) {
            Integer registered = MAX_ATTEMPTS.get(c);
            if (registered != null) {
                return registered;
            }
        }
        return purpose != null ? Math.max(0, purpose.maxAttempts()) : 0;
    }
}
