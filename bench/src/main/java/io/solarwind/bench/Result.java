package io.solarwind.bench;

import org.HdrHistogram.Histogram;

/** One measured run: events per second at the counted purpose and publish-to-handler latency. */
public record Result(String system, String scenario, double eventsPerSecond, Histogram latencyMicros) {
    public double p(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
}
