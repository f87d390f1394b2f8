package io.solarwind.bench;

/** One system under test, set up for one scenario run. */
public interface Rig extends AutoCloseable {
    /** Declares what the scenario needs and starts its consumers, which report to the meter. */
    void start(Scenario scenario, String run, Meter meter) throws Exception;

    /** A publisher for one thread: sends one 1 KB persistent event to the given topic. */
    Publisher publisher() throws Exception;

    /** Stops consumers and frees what the run declared. */
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
