package io.solarwind.interfaces.metrics;

import io.solarwind.application.PurposeRegistry;
import io.solarwind.config.Setting;
import io.solarwind.domain.Exchange;
import io.solarwind.domain.Registration;
import io.solarwind.infrastructure.messaging.jms.BrokerQueueFigures;
import io.solarwind.infrastructure.messaging.jms.BrokerQueueFigures.QueueFigures;
import io.solarwind.interfaces.metrics.PurposeLabels.Figures;
import io.solarwind.interfaces.metrics.PurposeLabels.Key;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Per-purpose gauges from the broker's figures, with bounded labels ({@link PurposeLabels}).
 *
 * <p>Which series exist follows the registry: every {@code solarwind.metrics.cache-millis} a task
 * compares the labelled purposes with the gauges (in memory, no broker call) and adds or removes
 * gauges. Their values come from one snapshot of the broker's figures, read when a scrape asks
 * for them and reused for {@code solarwind.metrics.cache-millis}: the broker is asked a few
 * management calls per period, not per event, and not at all without scrapes.
 */
@ApplicationScoped
public class PurposeMetrics {
    private static final Logger LOG = Logger.getLogger(PurposeMetrics.class.getName());

    public static final String PENDING = "solarwind.purpose.pending";
    public static final String CONSUMERS = "solarwind.purpose.consumers";
    public static final String DELIVERED = "solarwind.purpose.delivered";
    public static final String REDELIVERING = "solarwind.purpose.redelivering";
    public static final String DEAD_LETTERS = "solarwind.purpose.dead.letters";
    public static final String REGISTERED = "solarwind.purposes.registered";

    private static final List<Gauge> GAUGES = List.of(
            new Gauge(PENDING, "Events waiting for the purpose: in its queue (direct) or in its subscribers' queues (fanout),"
                    + " being delivered included", Figures::pending),
            new Gauge(CONSUMERS, "Consumers of the purpose's queue (direct) or subscribers (fanout)", Figures::consumers),
            new Gauge(DELIVERED, "Events the purpose's consumers acknowledged since the broker started", Figures::delivered),
            new Gauge(REDELIVERING, "Events of the purpose waiting for a redelivery after a failed delivery", Figures::redelivering),
            new Gauge(DEAD_LETTERS, "Dead letters of the purpose on DLA", Figures::deadLetters));

    private record Gauge(String name, String description, ToLongFunction<Figures> value) {
    }

    @Inject
    MetricRegistry metrics;
    @Inject
    PurposeRegistry registry;
    @Inject
    BrokerQueueFigures broker;
    @Resource
    ManagedScheduledExecutorService scheduler;

    /** The purposes with gauges now, {@link PurposeLabels#OTHER_KEY} included. */
    private final Set<Key> withGauges = new HashSet<>();
    private volatile SortedSet<Key> labelled = new java.util.TreeSet<>();
    private volatile Set<Key> registered = Set.of();
    private volatile Map<Key, Figures> snapshot = Map.of();
    private volatile long snapshotAt = Long.MIN_VALUE / 2;
    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
        long period = Math.max(100, Setting.METRICS_CACHE_MILLIS.getLong());
        metrics.gauge(Metadata.builder().withName(REGISTERED).withDescription("Purposes registered").build(),
                this, m -> m.registered.size());
        reconcile();
        task = scheduler.scheduleWithFixedDelay(this::reconcile, period, period, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Adds the gauges of newly labelled purposes and removes those of purposes no longer labelled. */
    synchronized void reconcile() {
        try {
            Set<Key> now = new HashSet<>();
            if (registry.isLoaded()) {
                registry.all().forEach((topic, purposes) -> purposes.forEach(r -> now.add(key(r))));
            }
            SortedSet<Key> chosen = PurposeLabels.labelled(now, Setting.METRICS_PURPOSE_LABELS.getInt());
            registered = now;
            labelled = chosen;
            Set<Key> wanted = new HashSet<>(chosen);
            wanted.add(PurposeLabels.OTHER_KEY);
            for (Key gone : new ArrayList<>(withGauges)) {
                if (!wanted.contains(gone)) {
                    for (Gauge g : GAUGES) {
                        metrics.remove(new MetricID(g.name, tags(gone)));
                    }
                    withGauges.remove(gone);
                }
            }
            for (Key key : wanted) {
                if (withGauges.add(key)) {
                    for (Gauge g : GAUGES) {
                        metrics.gauge(Metadata.builder().withName(g.name).withDescription(g.description).build(),
                                this, m -> g.value.applyAsLong(m.figures(key)), tags(key));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Updating the per-purpose metrics failed; trying again later", e);
        }
    }

    private static Tag[] tags(Key key) {
        return new Tag[] {new Tag("topic", key.topic()), new Tag("purpose", key.purpose())};
    }

    private static Key key(Registration r) {
        return new Key(r.topic().name(), r.purpose().name());
    }

    /** A purpose's figures from the current snapshot, read again from the broker when it is older than the cache time. */
    Figures figures(Key key) {
        long maxAge = TimeUnit.MILLISECONDS.toNanos(Math.max(0, Setting.METRICS_CACHE_MILLIS.getLong()));
        if (System.nanoTime() - snapshotAt > maxAge) {
            refresh(maxAge);
        }
        return snapshot.getOrDefault(key, Figures.ZERO);
    }

    private synchronized void refresh(long maxAge) {
        if (System.nanoTime() - snapshotAt <= maxAge) {
            return; // another scrape thread read it meanwhile
        }
        try {
            snapshot = read();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Reading the purposes' figures from the broker for the metrics failed; showing the last ones", e);
        } finally {
            snapshotAt = System.nanoTime(); // a broker that does not answer is asked again only after the cache time
        }
    }

    /** Asks the broker, and sums per series. */
    private Map<Key, Figures> read() {
        Set<Key> registeredNow = registered;
        SortedSet<Key> labelledNow = labelled;
        Map<String, Key> directQueues = new HashMap<>();
        Map<String, Key> fanoutAddresses = new HashMap<>();
        Set<String> labelledTopics = new HashSet<>();
        if (registry.isLoaded()) {
            registry.all().forEach((topic, purposes) -> purposes.forEach(r -> {
                if (r.exchange() == Exchange.DIRECT) {
                    r.queues().forEach(q -> directQueues.put(q, key(r))); // a queue per version, summed
                } else {
                    fanoutAddresses.put(r.address(), key(r));
                }
            }));
        }
        labelledNow.forEach(k -> labelledTopics.add(k.topic()));
        Map<String, Key> aPurposeOfTopic = new HashMap<>();
        registeredNow.forEach(k -> aPurposeOfTopic.putIfAbsent(k.topic(), k));

        Map<Key, Figures> perPurpose = new HashMap<>();
        Map<String, Key> queueOwner = new HashMap<>(directQueues);
        for (QueueFigures q : broker.purposeQueues()) {
            Key owner = directQueues.containsKey(q.name()) ? directQueues.get(q.name()) : fanoutAddresses.get(q.address());
            if (owner == null) {
                continue; // a queue of no registered purpose
            }
            queueOwner.put(q.name(), owner);
            perPurpose.merge(owner, new Figures(q.messageCount(), q.consumerCount(), q.acknowledged(), q.scheduled(), 0),
                    Figures::plus);
        }
        // dead letters Artemis moved itself carry the queue they came from
        broker.deadLettersByQueue().forEach((queue, n) -> {
            Key owner = queueOwner.get(queue);
            if (owner != null) {
                perPurpose.merge(owner, new Figures(0, 0, 0, 0, n), Figures::plus);
            }
        });
        // dead letters a handler sent itself carry topic and purpose: counted per purpose for the
        // topics with labelled purposes (one broker call each), per topic for the others
        broker.handlerDeadLettersByTopic().forEach((topic, n) -> {
            if (labelledTopics.contains(topic)) {
                broker.handlerDeadLettersOf(topic).forEach((purpose, m) ->
                        perPurpose.merge(new Key(topic, purpose), new Figures(0, 0, 0, 0, m), Figures::plus));
            } else {
                // no purpose of this topic has series of its own: all of it goes to _other, if the topic has registered purposes
                Key any = aPurposeOfTopic.get(topic);
                if (any != null) {
                    perPurpose.merge(any, new Figures(0, 0, 0, 0, n), Figures::plus);
                }
            }
        });
        return PurposeLabels.aggregate(labelledNow, registeredNow, perPurpose);
    }
}
