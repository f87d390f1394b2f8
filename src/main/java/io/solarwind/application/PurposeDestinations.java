package io.solarwind.application;

import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;

/** The broker destinations behind registrations: a queue per direct purpose, a topic per fanout purpose. */
public interface PurposeDestinations {
    /** Makes {@code policy} the redelivery policy of every destination that has none of its own. */
    void useDefaultRedelivery(Redelivery policy);

    /**
     * Creates the destination of a registration if it does not exist yet (durable, never
     * auto-deleted), and gives its address {@code addressPolicy}: the purpose's own policy for a
     * fanout purpose, the topic's for a direct purpose (whose queue shares the topic's address).
     */
    void create(Registration registration, Redelivery addressPolicy);

    /** Gives the address of an existing registration's destination {@code addressPolicy} (see {@link #create}). */
    void useAddressPolicy(Registration registration, Redelivery addressPolicy);

    /** Deletes the destination of a registration, with the events still waiting in it. */
    void remove(Registration registration);

    /** What the broker reports about the destination now (a direct purpose: all its versions' queues together). */
    DestinationStatus status(Registration registration);

    /**
     * What the broker reports about each version's queue of a direct purpose, in the order the versions
     * were registered (a fanout purpose's versions share its topic: zeros).
     */
    java.util.Map<String, DestinationStatus> versionStatus(Registration registration);

    /** Events waiting in a destination and instances consuming from it. */
    record DestinationStatus(long pending, int consumers) {
    }
}
