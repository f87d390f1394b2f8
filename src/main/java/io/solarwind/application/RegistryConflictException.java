package io.solarwind.application;

/** A key changed through other servers on every retry of a registration: the caller should try again. */
public class RegistryConflictException extends RuntimeException {
    public RegistryConflictException(String key, int attempts, Throwable last) {
        super("registration " + key + " was changed through other servers during each of " + attempts
                + " attempts; read it and try again", last);
    }
}
