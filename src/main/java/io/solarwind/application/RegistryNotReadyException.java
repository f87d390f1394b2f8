package io.solarwind.application;

/** The registry has not read the stored registrations yet (the broker is not reachable yet). */
public class RegistryNotReadyException extends RuntimeException {
    public RegistryNotReadyException() {
        super("Solar Wind has not reached the broker and read its registrations yet; try again shortly");
    }
}
