package io.solarwind.application;

import io.solarwind.domain.Exchange;
import io.solarwind.config.Setting;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.PurposeFilter;
import io.solarwind.domain.PurposeVersions;
import io.solarwind.domain.Push;
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
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Topic to purposes, each with its exchange. Changes go to the broker first (the
 * destination, then the versioned registration record, which the store also announces to the
 * other servers and puts into the dispatch stream) and only then into the in-memory index that
 * the dispatcher reads: one hash lookup per event.
 *
 * <p>Every server keeps the same index: it applies each change, whoever made it, once its
 * version is above the one it knows for the key ({@link #apply}). Changes reach it from its
 * own writes, from the store's broadcast (within milliseconds; the API's view), and, on the
 * server whose dispatcher is active, from the dispatch stream, in order with the events, which
 * is what makes a change hold for every event published after the call that made it returned.
 */
@ApplicationScoped
public class PurposeRegistry {
    /** Result of a registration: whether it was new. */
    public record Outcome(Registration registration, boolean created) {
    }

    /** How often a registration is tried again when another server changed its key at the same moment. */
    static final int CONCURRENT_ATTEMPTS = 3;
    /** A policy for naming a destination to remove: names depend on topic, purpose and exchange only. */
    private static final Redelivery ANY_POLICY = new Redelivery(1, 0, 1.0, 0);

    private final Map<String, List<Registration>> byTopic = new ConcurrentHashMap<>();
    /** The newest version applied per key, deletions included. */
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    /** Held while a change is applied to the index; never while calling the broker. */
    private final Object index = new Object();
    /** Held by writes through this server, one at a time. */
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

    /**
     * Listens to the changes made through other servers, then reads the stored registrations into
     * the index; called at start (and after each reconnection), before dispatch begins. Listening
     * first means nothing written in between is missed; the versions sort out the overlap.
     */
    public void load() {
        store.listen(this::apply);
        refresh();
        loaded = true;
    }

    /** Reads the stored registrations again and applies what is newer than the index (after a failover, before dispatching). */
    public void refresh() {
        for (RegistryChange change : store.loadAll()) {
            apply(change);
        }
    }

    /**
     * Applies a change made through any server, if it is newer than what the index has for its key;
     * returns whether it was.
     */
    public boolean apply(RegistryChange change) {
        synchronized (index) {
            Long known = versions.get(change.key());
            if (known != null && change.version() <= known) {
                return false;
            }
            versions.put(change.key(), change.version());
            if (change.isDeletion()) {
                unindex(change.topic().name(), change.purpose());
            } else {
                index(change.registration());
            }
            return true;
        }
    }

    /** The newest version of a key this server knows; 0 when it knows none. */
    public long versionOf(Topic topic, Purpose purpose) {
        return versions.getOrDefault(RegistryChange.keyOf(topic, purpose), 0L);
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
     * <p>When another server changes the same key at the same moment, the one whose record the
     * broker took first wins; this one reads the key again and decides anew (a few times at most).
     *
     * @param redelivery the policy asked for, or null for the current one (or the default)
     * @throws PurposeConflictException when the purpose exists on the topic with the other exchange
     * @throws RedeliveryConflictException when the topic's other direct purposes have other delays
     * @throws RegistryConflictException when other servers changed the key during every attempt
     */
    public Outcome register(Topic topic, Purpose purpose, Exchange exchange, Redelivery redelivery) {
        return register(topic, purpose, exchange, redelivery, null);
    }

    /**
     * Registers a purpose as {@link #register(Topic, Purpose, Exchange, Redelivery)} does, with push
     * delivery: a new purpose gets {@code push} (with a secret made up when it names none); an
     * existing one keeps what it has when {@code push} is null or names the same URL and
     * concurrency (and no other secret), and is refused otherwise ({@link PushConflictException}).
     *
     * @param push the push delivery asked for, or null for none (a new purpose) or the current one
     */
    public Outcome register(Topic topic, Purpose purpose, Exchange exchange, Redelivery redelivery, Push push) {
        return register(topic, purpose, exchange, redelivery, push, null);
    }

    /**
     * Registers a purpose as {@link #register(Topic, Purpose, Exchange, Redelivery, Push)} does, with a
     * filter: a new purpose gets {@code filter}; an existing one keeps what it has when {@code filter}
     * is null or the same, and is refused when it is another ({@link FilterConflictException}: a
     * filter does not change in place).
     *
     * @param filter the events the purpose gets, or null for all of them (a new purpose) or its current filter
     */
    public Outcome register(Topic topic, Purpose purpose, Exchange exchange, Redelivery redelivery, Push push,
                            PurposeFilter filter) {
        return register(topic, purpose, exchange, redelivery, push, filter, null);
    }

    /**
     * Registers a purpose as {@link #register(Topic, Purpose, Exchange, Redelivery, Push, PurposeFilter)} does,
     * with a version its instances implement: a new purpose has {@code version} alone (active); an existing one
     * keeps its versions when {@code version} is null or one of them, and gets {@code version} as one more
     * otherwise, not active: a direct purpose's new version gets a queue of its own, which receives events
     * from the cut-over to it on ({@link #cutOver}).
     *
     * @param version the version asked for, or null for {@value PurposeVersions#DEFAULT} (a new purpose) or no change
     * @throws VersionConflictException when a pushed purpose would get a second version, or a purpose too many
     */
    public Outcome register(Topic topic, Purpose purpose, Exchange exchange, Redelivery redelivery, Push push,
                            PurposeFilter filter, String version) {
        requireLoaded();
        if (version != null) {
            PurposeVersions.check(version);
        }
        return attempts(topic, purpose, () -> registerOnce(topic, purpose, exchange, redelivery, push, filter, version), e -> {
            // a destination made for this attempt that the winner does not use would take events for no one
            Optional<Registration> winner = find(topic, purpose);
            if (winner.isEmpty() || winner.get().exchange() != exchange) {
                removeQuietly(new Registration(topic, purpose, exchange, ANY_POLICY, Instant.now(), null, null,
                        PurposeVersions.first(version == null ? PurposeVersions.DEFAULT : version, Instant.now())), e);
            } else if (exchange == Exchange.DIRECT && (!PurposeFilter.same(winner.get().filter(), filter)
                    || version != null && !winner.get().versions().has(version))) {
                // this attempt gave the queues its own filters (creating or healing them): give them the winner's
                // (a version's queue the winner does not know takes nothing: no event is marked with its version)
                healQuietly(winner.get(), e);
            }
        });
    }

    /** {@link #attempts(Topic, Purpose, Supplier, Consumer)} for a change that leaves nothing to tidy up when it loses. */
    private <T> T attempts(Topic topic, Purpose purpose, Supplier<T> attempt) {
        return attempts(topic, purpose, attempt, lost -> { });
    }

    /**
     * Runs a change of one registry key under this server's write lock; when another server wrote the key's
     * next version first, reads the registry again, lets {@code afterConflict} tidy up, and runs it again, at
     * most {@value #CONCURRENT_ATTEMPTS} times in all.
     *
     * @throws RegistryConflictException when other servers changed the key during every attempt
     */
    private <T> T attempts(Topic topic, Purpose purpose, Supplier<T> attempt, Consumer<ConcurrentRegistryChangeException> afterConflict) {
        synchronized (writes) {
            ConcurrentRegistryChangeException last = null;
            for (int i = 1; i <= CONCURRENT_ATTEMPTS; i++) {
                try {
                    return attempt.get();
                } catch (ConcurrentRegistryChangeException e) {
                    last = e;
                    refresh();
                    afterConflict.accept(e);
                }
            }
            throw new RegistryConflictException(RegistryChange.keyOf(topic, purpose), CONCURRENT_ATTEMPTS, last);
        }
    }

    private Outcome registerOnce(Topic topic, Purpose purpose, Exchange exchange, Redelivery redelivery, Push push,
                                 PurposeFilter filter, String version) {
        Optional<Registration> existing = find(topic, purpose);
        if (existing.isPresent()) {
            Registration current = existing.get();
            if (current.exchange() != exchange) {
                throw new PurposeConflictException(current, exchange);
            }
            if (push != null && (!push.sameTarget(current.push())
                    || push.secret() != null && !push.secret().equals(current.push().secret()))) {
                throw new PushConflictException(current, push);
            }
            if (filter != null && !filter.equals(current.filter())) {
                throw new FilterConflictException(current, filter);
            }
            boolean newVersion = version != null && !current.versions().has(version);
            if (newVersion && current.pushes()) {
                throw new VersionConflictException(current, "a pushed purpose has one version (its URL is its one instance);"
                        + " it cannot take version " + version + " beside " + current.versions().names());
            }
            if ((redelivery == null || redelivery.equals(current.redelivery())) && !newVersion) {
                // the broker side again (idempotent): heals a destination whose settings were lost
                // or predate this version, as each handler deployment registers its purposes
                destinations.create(current, addressPolicy(current));
                return new Outcome(current, false);
            }
            Registration changed = current;
            if (redelivery != null && !redelivery.equals(current.redelivery())) {
                requireTopicDelays(topic, purpose, exchange, redelivery);
                changed = changed.withRedelivery(redelivery);
            }
            if (newVersion) {
                try {
                    changed = changed.withVersions(current.versions().with(version, Instant.now()));
                } catch (IllegalStateException tooMany) {
                    throw new VersionConflictException(current, tooMany.getMessage() + " (" + PurposeVersions.MAX_VERSIONS
                            + "); delete the purpose and register it again with the versions still in use");
                }
            }
            // a new version's queue (taking nothing until the cut-over to it) before the record that names it
            destinations.create(changed, addressPolicy(changed));
            write(RegistryChange.saved(changed, versionOf(topic, purpose) + 1));
            return new Outcome(changed, false);
        }
        Optional<Registration> sibling = directSiblings(topic, purpose, exchange).stream().findFirst();
        Redelivery policy = redelivery != null ? redelivery
                : sibling.map(Registration::redelivery).orElseGet(PurposeRegistry::defaultRedelivery);
        requireTopicDelays(topic, purpose, exchange, policy);
        Instant now = Instant.now();
        Registration registration = new Registration(topic, purpose, exchange, policy, now,
                push == null || push.secret() != null ? push : push.withSecret(Push.newSecret()), filter,
                PurposeVersions.first(version == null ? PurposeVersions.DEFAULT : version, now));
        destinations.create(registration, addressPolicy(registration));
        try {
            write(RegistryChange.saved(registration, versionOf(topic, purpose) + 1));
        } catch (ConcurrentRegistryChangeException e) {
            throw e; // register() decides about the destination once it knows the winner
        } catch (RuntimeException e) {
            // a direct purpose's queue on the topic's address would otherwise go on taking events
            removeQuietly(registration, e);
            throw e;
        }
        return new Outcome(registration, true);
    }

    /**
     * Makes {@code version} the active version of a direct purpose: from this change on, in the order of the
     * dispatch stream, the dispatcher routes the purpose's events to that version's queue; what the other
     * versions' queues hold stays theirs, for their instances to finish. Cutting over to the version that was
     * active before is the rollback. Empty when there is no such purpose.
     *
     * @throws VersionConflictException for a fanout purpose (no cut-over: every instance gets a copy) or an unknown version
     * @throws RegistryConflictException when other servers changed the key during every attempt
     */
    public Optional<Registration> cutOver(Topic topic, Purpose purpose, String version) {
        requireLoaded();
        PurposeVersions.check(version);
        return attempts(topic, purpose, () -> {
            Optional<Registration> existing = find(topic, purpose);
            if (existing.isEmpty()) {
                return existing;
            }
            Registration current = existing.get();
            if (current.exchange() != Exchange.DIRECT) {
                throw new VersionConflictException(current, "a fanout purpose has no cut-over: every instance connected gets"
                        + " a copy of each event, whatever its version");
            }
            if (!current.versions().has(version)) {
                throw new VersionConflictException(current, "it has no version " + version + " (it has "
                        + current.versions().names() + "); a version is registered by an instance declaring it, or by a PUT"
                        + " with \"purposeVersion\"");
            }
            if (current.versions().active().equals(version)) {
                return existing;
            }
            Registration changed = current.withVersions(current.versions().cutOver(version, Instant.now()));
            write(RegistryChange.saved(changed, versionOf(topic, purpose) + 1));
            return Optional.of(changed);
        });
    }

    /** Stores a change (and so announces it), then applies it here. */
    private void write(RegistryChange change) {
        store.write(change);
        apply(change);
    }

    private void healQuietly(Registration registration, RuntimeException cause) {
        try {
            destinations.create(registration, addressPolicy(registration));
        } catch (RuntimeException cleanup) {
            cause.addSuppressed(cleanup);
        }
    }

    private void removeQuietly(Registration registration, RuntimeException cause) {
        try {
            destinations.remove(registration);
        } catch (RuntimeException cleanup) {
            cause.addSuppressed(cleanup);
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
        return attempts(topic, purpose, () -> {
            Optional<Registration> existing = find(topic, purpose);
            if (existing.isEmpty()) {
                return false;
            }
            destinations.remove(existing.get());
            write(RegistryChange.deleted(topic, purpose, versionOf(topic, purpose) + 1));
            // the topic's address allows as many attempts as its remaining direct purposes need
            List<Registration> siblings = directSiblings(topic, purpose, existing.get().exchange());
            if (!siblings.isEmpty()) {
                destinations.useAddressPolicy(siblings.get(0), addressPolicy(siblings.get(0)));
            }
            return true;
        });
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

    /** What the broker reports about each version's queue, in registration order. */
    public Map<String, PurposeDestinations.DestinationStatus> versionStatus(Registration registration) {
        return destinations.versionStatus(registration);
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

    private void unindex(String topic, Purpose purpose) {
        byTopic.computeIfPresent(topic, (t, old) -> {
            List<Registration> next = new ArrayList<>(old);
            next.removeIf(x -> x.purpose().equals(purpose));
            return next.isEmpty() ? null : List.copyOf(next);
        });
    }
}
