package io.solarwind.bench;

/** One system under test, set up for one scenario run (or, for a shared scenario, for all its rounds). */
public interface Rig extends AutoCloseable {
    /**
     * Declares what the scenario's consumers need (registrations, queues, bindings), without
     * consumers. {@link #start} calls it when it has not been called; the benchmark calls it
     * first for a shared scenario, to time it and read the server's heap around it.
     */
    void declare(Scenario scenario, String run) throws Exception;

    /** What {@link #declare} found that the timing should mention, or "". */
    default String declared() {
        return "";
    }

    /** Starts the scenario's consumers (declaring first if needed), which report to the meter. */
    void start(Scenario scenario, String run, Meter meter) throws Exception;

    /** A publisher for one thread: sends one 1 KB persistent event to the given topic. */
    Publisher publisher() throws Exception;

    /** Stops consumers (acknowledging what they took) and frees what the run declared. */
    @Override
    void close() throws Exception;

    /** Sends events; not thread-safe, one per publishing thread. */
    interface Publisher extends AutoCloseable {
        void publish(String topic, byte[] data) throws Exception;

        /** Waits until the broker has confirmed every event published so far. */
        void flush() throws Exception;

        @Override
        void close() throws Exception;
    }
}
