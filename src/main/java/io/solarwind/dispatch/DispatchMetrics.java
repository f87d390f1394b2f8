package io.solarwind.dispatch;

/** Hears of every committed dispatch transaction (the metrics); called on the dispatcher thread. */
public interface DispatchMetrics {
    /**
     * @param batch       what the transaction did
     * @param commitNanos how long its commit took
     */
    void committed(DispatchTally batch, long commitNanos);
}
