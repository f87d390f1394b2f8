package io.solarwind.application;

/** A purpose's destination exists at the broker in a shape Solar Wind cannot use, and holds events. */
public class DestinationConflictException extends RuntimeException {
    public DestinationConflictException(String message) {
        super(message);
    }
}
