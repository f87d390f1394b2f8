package io.solarwind.push;

/** What push delivery counts, for {@code /metrics}; every call is one event. */
public interface PushMetrics {
    /** A POST answered 2xx: the event is acknowledged. */
    void delivered();

    /** A POST failed (answer, timeout, connection, host no longer allowed); the event is redelivered or dead-lettered. */
    void failed();

    /** After a failed last attempt the event went to {@code DLA}. */
    void deadLettered();
}
