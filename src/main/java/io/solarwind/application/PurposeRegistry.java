package io.solarwind.application;

import io.solarwind.domain.Exchange;
import io.solarwind.config.Setting;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Topic to purposes, each with its exchange. Changes go to the broker first (the
 * destination, then the durable registration record) and only then into the
 * in-memory index that the dispatcher reads: one hash lookup per event.
 */
@ApplicationScoped
public class PurposeRegistry {
    /** Result of a registration: whether it was new. */
    public record Outcome(Registration registration, boolean created) {
    }

    private final Map<String, List<Registration>> byTopic = new ConcurrentHashMap<>();
    private final Object writes = new Object();
    private volatile boolean loaded;

    private RegistrationStore store;
    private PurposeDestinations destinations;

    protected PurposeRegistry() {
        // for CDI proxies
    }

    @Inject
    public PurposeRegistry(RegistrationStore store, PurposeDestinations destinations) {
        this.store = store;
        this.destinations = destinations;
    }

    /** Gives every destination without a policy of its own {@link #defaultRedelivery()}; called at start, before {@link #load}. */
    public void applyDefaultRedelivery() {
        destinations.useDefaultRedelivery(defaultRedelivery());
    }

    /** Reads the stored registrations into the index; called once at start, before dispatch begins. */
    public void load() {
        synchronized (writes) {
            byTopic.clear();
            for (Registration r : store.loadAll()) {
                index(r);
            }
            loaded = true;
        }
    }

    /** Whether the stored registrations have been read; until then the registry answers nothing. */
    public boolean isLoaded() {
        return loaded;
    }

    private void requireLoaded() {
        if (!loaded) {
            throw new RegistryNotReadyException();
        }
    }

    /**
     * Registers a purpose on a topic. Registering it again with the same exchange keeps it,
     * with the redelivery policy given (none given keeps the one it has); with the other
     * exchange it is refused. A new purpose without a policy gets its topic's direct policy
     * (a direct purpose) or {@link #defaultRedelivery()}. The direct purposes of a topic wait
     * alike between deliveries (the broker stores each event once for all of them, on the topic's
     * address, and applies redelivery delays per address): other delays are refused while the
     * topic has other direct purposes. Their numbers of attempts may differ: the broker allows the
     * largest, and the handler API dead-letters on each purpose's own last attempt.
     *
     * @param redelivery the policy asked for, or null for the current one (or the default)
     * @throws PurposeConflictException when the purpose exists on the topic with the other exchange
     * @throws RedeliveryConflictException when the topic's other direct purposes have other delays
     */
    public Outcome register(Topic topic, Purpose purpose, Exchange exchange, Redelivery redelivery) {
        requireLoaded();
        synchronized (writes) {
            Optional<Registration> existing = find(topic, purpose);
            if (existing.isPresent()) {
                Registration current = existing.get();
                if (current.exchange() != exchange) {
                    throw new PurposeConflictException(current, exchange);
                }
                if (redelivery == null || redelivery.equals(current.redelivery())) {
                    // the broker side again (idempotent): heals a destination whose settings were lost
                    // or predate this version, as each handler deployment registers its purposes
                    destinations.create(current, addressPolicy(current));
                    return new Outcome(current, false);
                }
                requireTopicDelays(topic, purpose, exchange, redelivery);
                Registration changed = current.withRedelivery(redelivery);
                destinations.create(changed, addressPolicy(changed));
                store.save(changed);
                index(changed);
                return new Outcome(changed, false);
            }
            Optional<Registration> sibling = directSiblings(topic, purpose, exchange).stream().findFirst();
            Redelivery policy = redelivery != null ? redelivery
                    : sibling.map(Registration::redelivery).orElseGet(PurposeRegistry::defaultRedelivery);
            requireTopicDelays(topic, purpose, exchange, policy);
            Registration registration = new Registration(topic, purpose, exchange, policy, Instant.now());
            destinations.create(registration, addressPolicy(registration));
            try {
                store.save(registration);
            } catch (RuntimeException e) {
                // a direct purpose's queue on the topic's address would otherwise go on taking events
                try {
                    destinations.remove(registration);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            index(registration);
            return new Outcome(registration, true);
        }
    }

    /** The topic's other direct purposes, whose delays a direct purpose shares. */
    private List<Registration> directSiblings(Topic topic, Purpose purpose, Exchange exchange) {
        if (exchange != Exchange.DIRECT) {
            return List.of();
        }
        List<Registration> siblings = new ArrayList<>();
        for (Registration r : routes(topic.name())) {
            if (r.exchange() == Exchange.DIRECT && !r.purpose().equals(purpose)) {
                siblings.add(r);
            }
        }
        return siblings;
    }

    private void requireTopicDelays(Topic topic, Purpose purpose, Exchange exchange, Redelivery policy) {
        for (Registration sibling : directSiblings(topic, purpose, exchange)) {
            if (!sibling.redelivery().sameDelays(policy)) {
                throw new RedeliveryConflictException(sibling, policy);
            }
        }
    }

    /**
     * The policy of a registration's broker address: a fanout purpose's own; for a direct purpose,
     * the topic's delays with the most attempts any of its direct purposes has (so the broker
     * never dead-letters an event before a purpose's own last attempt).
     */
    private Redelivery addressPolicy(Registration r) {
        int attempts = r.redelivery().maxAttempts();
        for (Registration sibling : directSiblings(r.topic(), r.purpose(), r.exchange())) {
            attempts = Math.max(attempts, sibling.redelivery().maxAttempts());
        }
        return r.redelivery().withMaxAttempts(attempts);
    }

    /** The redelivery policy of a purpose registered without one, from the {@code solarwind.redelivery.*} settings. */
    public static Redelivery defaultRedelivery() {
        return new Redelivery(Setting.REDELIVERY_ATTEMPTS.getInt(), Setting.REDELIVERY_DELAY.getLong(),
                Setting.REDELIVERY_MULTIPLIER.getDouble(), Setting.REDELIVERY_MAX_DELAY.getLong());
    }

    /**
     * Removes a registration and its destination; false when there was none. The destination
     * goes first: a direct purpose's queue left behind would go on taking its topic's events.
     */
    public boolean unregister(Topic topic, Purpose purpose) {
        requireLoaded();
        synchronized (writes) {
            Optional<Registration> existing = find(topic, purpose);
            if (existing.isEmpty()) {
                return false;
            }
            destinations.remove(existing.get());
            store.delete(existing.get());
            unindex(existing.get());
            // the topic's address allows as many attempts as its remaining direct purposes need
            List<Registration> siblings = directSiblings(topic, purpose, existing.get().exchange());
            if (!siblings.isEmpty()) {
                destinations.useAddressPolicy(siblings.get(0), addressPolicy(siblings.get(0)));
            }
            return true;
        }
    }

    public Optional<Registration> find(Topic topic, Purpose purpose) {
        requireLoaded();
        for (Registration r : routes(topic.name())) {
            if (r.purpose().equals(purpose)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The purposes registered on a topic, for the dispatcher: no copy, no validation. */
    public List<Registration> routes(String topic) {
        List<Registration> routes = byTopic.get(topic);
        return routes == null ? List.of() : routes;
    }

    /** Every topic with its purposes, sorted by topic then purpose. */
    public Map<String, List<Registration>> all() {
        requireLoaded();
        Map<String, List<Registration>> sorted = new TreeMap<>();
        byTopic.forEach((topic, routes) -> sorted.put(topic, sortedByPurpose(routes)));
        return sorted;
    }

    public List<Registration> purposesOf(Topic topic) {
        requireLoaded();
        return sortedByPurpose(routes(topic.name()));
    }

    public DestinationStatusView status(Registration registration) {
        PurposeDestinations.DestinationStatus s = destinations.status(registration);
        return new DestinationStatusView(registration, s.pending(), s.consumers());
    }

    /** A registration with what the broker reports about its destination now. */
    public record DestinationStatusView(Registration registration, long pending, int consumers) {
    }

    private static List<Registration> sortedByPurpose(List<Registration> routes) {
        List<Registration> copy = new ArrayList<>(routes);
        copy.sort(Comparator.comparing(r -> r.purpose().name()));
        return copy;
    }

    private void index(Registration r) {
        byTopic.compute(r.topic().name(), (t, old) -> {
            List<Registration> next = new ArrayList<>(old == null ? List.of() : old);
            next.removeIf(x -> x.purpose().equals(r.purpose()));
            next.add(r);
            return List.copyOf(next);
        });
    }

    private void unindex(Registration r) {
        byTopic.computeIfPresent(r.topic().name(), (t, old) -> {
            List<Registration> next = new ArrayList<>(old);
            next.removeIf(x -> x.purpose().equals(r.purpose()));
            return next.isEmpty() ? null : List.copyOf(next);
        });
    }
}
