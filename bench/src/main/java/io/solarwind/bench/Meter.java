package io.solarwind.bench;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Counts deliveries at the counted purpose and records their latency while the window is open. */
public final class Meter {
    private final LongAdder counted = new LongAdder();
    private final LongAdder all = new LongAdder();
    private final Recorder latency = new Recorder(3);
    private volatile boolean open;

    /** A delivery; {@code sentNanos} is when the event was published (same JVM). */
    public void delivered(boolean countedPurpose, long sentNanos) {
        all.increment();
        if (open && countedPurpose) {
            counted.increment();
            long micros = (System.nanoTime() - sentNanos) / 1000;
            if (micros >= 0) {
                latency.recordValue(Math.min(micros, 60_000_000));
            }
        }
    }

    public void open() {
        counted.reset();
        latency.reset();
        open = true;
    }

    public long close() {
        open = false;
        return counted.sum();
    }

    public Histogram histogram() {
        return latency.getIntervalHistogram();
    }

    public long all() {
        return all.sum();
    }
}
