package io.solarwind.infrastructure.messaging.jms;

/** The broker could not be reached or refused an operation; nothing was accepted. */
public class BrokerUnavailableException extends RuntimeException {
    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
