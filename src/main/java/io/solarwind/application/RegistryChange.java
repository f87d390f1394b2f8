package io.solarwind.application;

import io.solarwind.domain.Purpose;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import java.util.Objects;

/**
 * One versioned change of the registry: a purpose registered (or changed) on a topic, or its
 * deletion ({@link #registration()} is null). Versions count per key (topic + purpose) from 1;
 * every server applies a change only when its version is above the one it knows for the key,
 * so changes arriving twice, late or out of order (from the store, from the change broadcast,
 * from the dispatch stream) leave every server with the newest.
 *
 * @param version the key's version this change makes; 0 for a record written before versions existed
 */
public record RegistryChange(Topic topic, Purpose purpose, long version, Registration registration) {
    public RegistryChange {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(purpose, "purpose");
        if (version < 0) {
            throw new IllegalArgumentException("a registry version is 0 or more, not " + version);
        }
        if (registration != null && (!registration.topic().equals(topic) || !registration.purpose().equals(purpose))) {
            throw new IllegalArgumentException("registration " + registration.key() + " filed under another key");
        }
    }

    /** The registration saved as the key's {@code version}. */
    public static RegistryChange saved(Registration registration, long version) {
        return new RegistryChange(registration.topic(), registration.purpose(), version, registration);
    }

    /** The key deleted as its {@code version}. */
    public static RegistryChange deleted(Topic topic, Purpose purpose, long version) {
        return new RegistryChange(topic, purpose, version, null);
    }

    public boolean isDeletion() {
        return registration == null;
    }

    /** The key, as {@link Registration#key()}: {@code topic/purpose}. */
    public String key() {
        return keyOf(topic, purpose);
    }

    public static String keyOf(Topic topic, Purpose purpose) {
        return topic.name() + "/" + purpose.name();
    }
}
