/**
 * Solar Wind's MicroProfile Metrics (application scope of Liberty's {@code /metrics}): event
 * counters by way and outcome, dispatch and HTTP publish histograms, and per-purpose broker
 * figures with bounded labels. See docs/metrics.md.
 */
package io.solarwind.interfaces.metrics;
