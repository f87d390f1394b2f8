package io.solarwind.dispatch;

/**
 * What one dispatch transaction did, counted by the dispatcher thread while it fills the batch
 * and handed to {@link DispatchMetrics} once the transaction has committed (a rolled-back batch
 * counts nothing: its events come back and are counted when they commit).
 */
public final class DispatchTally {
    /** Events (not registry changes) published over HTTP through a Solar Wind server. */
    public int receivedHttp;
    /** Events sent straight to the broker ({@code solarwind.inbound}) by any other client. */
    public int receivedJms;
    /** Events copied to at least one purpose. */
    public int dispatched;
    /** Events of a valid topic without any purpose: dropped from dispatch. */
    public int dropped;
    /** Events without a valid topic, moved to {@code DLA} by the dispatcher. */
    public int deadLettered;
    /** Messages the transaction took: events and registry changes. */
    public int messages;

    void reset() {
        receivedHttp = receivedJms = dispatched = dropped = deadLettered = messages = 0;
    }
}
