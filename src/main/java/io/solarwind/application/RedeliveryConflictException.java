package io.solarwind.application;

import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;

/**
 * A direct purpose declared with other redelivery delays than its topic's other direct purposes
 * have. They share one broker address (each event is stored once for all of them) and Artemis
 * applies redelivery delays per address, so they wait alike; their numbers of attempts may differ.
 */
public class RedeliveryConflictException extends RuntimeException {
    public RedeliveryConflictException(Registration other, Redelivery requested) {
        super("the direct purposes of topic '" + other.topic() + "' share their redelivery delays (the broker stores "
                + "each event once for all of them, and applies redelivery delays per topic; maxAttempts may differ): "
                + "purpose '" + other.purpose() + "' has " + other.redelivery().describe() + "; " + requested.describe()
                + " was asked for. Declare the same delayMillis, multiplier and maxDelayMillis");
    }
}
