package io.solarwind.interfaces.metrics;

import io.solarwind.dispatch.DispatchMetrics;
import io.solarwind.dispatch.DispatchTally;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The event counters and the dispatch and publish histograms. The counters are counted by the
 * dispatcher once a transaction has committed, so each event stored on {@code solarwind.inbound}
 * is counted once (a rolled-back batch comes back and counts when it commits; a duplicate the
 * broker dropped never arrives). They count on the server whose dispatcher is active: with many
 * servers, sum them.
 */
@ApplicationScoped
public class EventMetrics implements DispatchMetrics {
    public static final String RECEIVED = "solarwind.events.received";
    public static final String DISPATCHED = "solarwind.events.dispatched";
    public static final String DROPPED = "solarwind.events.dropped";
    public static final String DEAD_LETTERED = "solarwind.events.dead.lettered";
    public static final String BATCH_SIZE = "solarwind.dispatch.batch.size";
    public static final String COMMIT = "solarwind.dispatch.commit";
    public static final String PUBLISH = "solarwind.http.publish";

    @Inject
    MetricRegistry metrics;

    private Counter receivedHttp;
    private Counter receivedJms;
    private Counter dispatched;
    private Counter dropped;
    private Counter deadLettered;
    private Histogram batchSize;
    private Timer commit;
    private Timer publish;

    @PostConstruct
    void register() {
        Metadata received = Metadata.builder().withName(RECEIVED)
                .withDescription("Events taken from solarwind.inbound by the dispatcher, by the way they came: http (published"
                        + " through a Solar Wind server's HTTP API) or jms (sent straight to the broker)").build();
        receivedHttp = metrics.counter(received, new Tag("way", "http"));
        receivedJms = metrics.counter(received, new Tag("way", "jms"));
        dispatched = metrics.counter(Metadata.builder().withName(DISPATCHED)
                .withDescription("Events sent to the purposes of their topic (each counted once, whatever the number of purposes)").build());
        dropped = metrics.counter(Metadata.builder().withName(DROPPED)
                .withDescription("Events of a topic without any purpose, dropped from dispatch").build());
        deadLettered = metrics.counter(Metadata.builder().withName(DEAD_LETTERED)
                .withDescription("Events the dispatcher moved to DLA (missing or invalid topic)").build());
        batchSize = metrics.histogram(Metadata.builder().withName(BATCH_SIZE)
                .withDescription("Messages taken into one dispatch transaction").build());
        commit = metrics.timer(Metadata.builder().withName(COMMIT).withUnit(MetricUnits.SECONDS)
                .withDescription("Time the commit of one dispatch transaction took").build());
        publish = metrics.timer(Metadata.builder().withName(PUBLISH).withUnit(MetricUnits.SECONDS)
                .withDescription("Time from an HTTP publish request reaching the API to its 202 answer (the broker has stored the event)").build());
    }

    /** Makes the metrics exist from the start, at zero, before the first event. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
        // @PostConstruct of this bean registers them; injecting it here creates it
        metrics.getNames();
    }

    @Override
    public void committed(DispatchTally batch, long commitNanos) {
        try {
            inc(receivedHttp, batch.receivedHttp);
            inc(receivedJms, batch.receivedJms);
            inc(dispatched, batch.dispatched);
            inc(dropped, batch.dropped);
            inc(deadLettered, batch.deadLettered);
            batchSize.update(batch.messages);
            commit.update(Duration.ofNanos(commitNanos));
        } catch (RuntimeException e) {
            // metrics never fail a committed batch
        }
    }

    /** An HTTP publish answered 202 after {@code nanos}. */
    public void published(long nanos) {
        publish.update(Duration.ofNanos(nanos));
    }

    private static void inc(Counter counter, long n) {
        if (n > 0) {
            counter.inc(n);
        }
    }
}
