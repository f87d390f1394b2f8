package io.solarwind.interfaces.metrics;

import io.solarwind.push.PushMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Push delivery's counters: each server counts the POSTs of its own push consumers (with many
 * servers, sum them). Per purpose, {@code solarwind_purpose_delivered} and
 * {@code solarwind_purpose_dead_letters} say the rest.
 */
@ApplicationScoped
public class PushCounters implements PushMetrics {
    public static final String DELIVERED = "solarwind.push.delivered";
    public static final String FAILED = "solarwind.push.failed";
    public static final String DEAD_LETTERED = "solarwind.push.dead.lettered";

    @Inject
    MetricRegistry metrics;

    private Counter delivered;
    private Counter failed;
    private Counter deadLettered;

    @PostConstruct
    void register() {
        delivered = metrics.counter(Metadata.builder().withName(DELIVERED)
                .withDescription("Events this server's push consumers POSTed with a 2xx answer (acknowledged)").build());
        failed = metrics.counter(Metadata.builder().withName(FAILED)
                .withDescription("POSTs of this server's push consumers that failed: another answer, a timeout, no connection,"
                        + " a host no longer allowed (the event is delivered again, or dead-lettered after its last attempt)").build());
        deadLettered = metrics.counter(Metadata.builder().withName(DEAD_LETTERED)
                .withDescription("Events this server's push consumers moved to DLA after their last attempt failed").build());
    }

    /** Makes the counters exist from the start, at zero. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
        metrics.getNames();
    }

    @Override
    public void delivered() {
        delivered.inc();
    }

    @Override
    public void failed() {
        failed.inc();
    }

    @Override
    public void deadLettered() {
        deadLettered.inc();
    }
}
