package io.solarwind.bench;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Counts deliveries at the counted purpose and records their latency while the window is open. */
public final class Meter {
    private final LongAdder counted = new LongAdder();
    private final LongAdder all = new LongAdder();
    private final Recorder latency = new Recorder(3);
    private volatile boolean open;
    /**
     * BENCH_SLOW_MICROS: at the end of each run, prints the 100 ms slices of wall-clock time whose
     * slowest delivery took longer than this, to line stalls up with the server's logs.
     */
    private static final long SLOW = Long.parseLong(System.getenv().getOrDefault("BENCH_SLOW_MICROS", "0"));
    /** The slowest delivery, in µs, of each 100 ms slice of the measured window (10 minutes at most). */
    private final AtomicLongArray slowest = new AtomicLongArray(6000);
    private volatile long openedMillis;

    /** A delivery; {@code sentNanos} is when the event was published (same JVM). */
    public void delivered(boolean countedPurpose, long sentNanos) {
        all.increment();
        if (open && countedPurpose) {
            counted.increment();
            long micros = (System.nanoTime() - sentNanos) / 1000;
            if (micros >= 0) {
                latency.recordValue(Math.min(micros, 60_000_000));
                if (SLOW > 0) {
                    int slice = (int) ((System.currentTimeMillis() - openedMillis) / 100);
                    if (slice >= 0 && slice < slowest.length()) {
                        slowest.accumulateAndGet(slice, micros, Math::max);
                    }
                }
            }
        }
    }

    public void open() {
        counted.reset();
        latency.reset();
        openedMillis = System.currentTimeMillis();
        for (int i = 0; SLOW > 0 && i < slowest.length(); i++) {
            slowest.set(i, 0);
        }
        open = true;
    }

    public long close() {
        open = false;
        if (SLOW > 0) {
            StringBuilder slow = new StringBuilder();
            for (int i = 0; i < slowest.length(); i++) {
                if (slowest.get(i) > SLOW) {
                    slow.append(String.format(" %s:%.1f", LocalTime.ofInstant(Instant.ofEpochMilli(openedMillis + i * 100L), ZoneOffset.UTC), slowest.get(i) / 1000.0));
                }
            }
            System.out.println("    slow 100 ms slices (start, slowest ms):" + slow);
        }
        return counted.sum();
    }

    public Histogram histogram() {
        return latency.getIntervalHistogram();
    }

    public long all() {
        return all.sum();
    }
}
