package io.solarwind.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.domain.Exchange;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PurposeRegistryTest {
    /** The store and destinations as plain maps: what matters here is the registry's own logic. */
    static final class Broker implements RegistrationStore, PurposeDestinations {
        /** The newest change per key, as the registry's queues keep it (deletions included). */
        final Map<String, RegistryChange> records = new LinkedHashMap<>();
        /** Every server listening, as the change broadcast reaches them. */
        final List<Consumer<RegistryChange>> listeners = new ArrayList<>();
        /** Runs once before the next write reaches the store: another server's write at the same moment. */
        Runnable beforeNextWrite;
        final List<String> destinations = new ArrayList<>();
        /** What the broker saw, in order: "create x", "remove x", "save k", "delete k". */
        final List<String> calls = new ArrayList<>();
        boolean failSaves;
        final Map<String, Redelivery> addressPolicies = new LinkedHashMap<>();

        @Override
        public List<RegistryChange> loadAll() {
            return new ArrayList<>(records.values());
        }

        /** The live registrations by key. */
        Map<String, Registration> live() {
            Map<String, Registration> live = new LinkedHashMap<>();
            records.forEach((k, c) -> {
                if (!c.isDeletion()) {
                    live.put(k, c.registration());
                }
            });
            return live;
        }

        @Override
        public void write(RegistryChange change) {
            if (beforeNextWrite != null) {
                Runnable other = beforeNextWrite;
                beforeNextWrite = null;
                other.run();
            }
            if (failSaves) {
                throw new IllegalStateException("store down");
            }
            RegistryChange current = records.get(change.key());
            if (current != null && current.version() >= change.version()) {
                throw new ConcurrentRegistryChangeException(change.key(), change.version());
            }
            calls.add((change.isDeletion() ? "delete " : "save ") + change.key());
            records.put(change.key(), change);
            listeners.forEach(l -> l.accept(change));
        }

        @Override
        public void listen(Consumer<RegistryChange> listener) {
            listeners.add(listener);
        }

        @Override
        public void useDefaultRedelivery(Redelivery policy) {
        }

        @Override
        public void create(Registration r, Redelivery addressPolicy) {
            calls.add("create " + r.destination());
            addressPolicies.put(r.address(), addressPolicy);
            if (!destinations.contains(r.destination())) {
                destinations.add(r.destination());
            }
        }

        @Override
        public void useAddressPolicy(Registration r, Redelivery addressPolicy) {
            addressPolicies.put(r.address(), addressPolicy);
        }

        @Override
        public void remove(Registration r) {
            calls.add("remove " + r.destination());
            destinations.remove(r.destination());
        }

        @Override
        public DestinationStatus status(Registration r) {
            return new DestinationStatus(0, 0);
        }

        @Override
        public Map<String, DestinationStatus> versionStatus(Registration r) {
            Map<String, DestinationStatus> none = new LinkedHashMap<>();
            r.versions().names().forEach(v -> none.put(v, new DestinationStatus(0, 0)));
            return none;
        }
    }

    static final Redelivery POLICY = new Redelivery(5, 1000, 2.0, 60_000);

    private final Broker broker = new Broker();
    private final PurposeRegistry registry = new PurposeRegistry(broker, broker);
    private final Topic video = Topic.of("video.uploaded");

    @BeforeEach
    void load() {
        registry.load();
    }

    @Test
    void answersNothingBeforeTheStoreIsRead() {
        PurposeRegistry fresh = new PurposeRegistry(broker, broker);
        assertThrows(RegistryNotReadyException.class, () -> fresh.register(video, Purpose.of("a"), Exchange.DIRECT, POLICY));
        assertThrows(RegistryNotReadyException.class, fresh::all);
        assertTrue(broker.destinations.isEmpty(), "nothing created before the registry knows what exists");
    }

    @Test
    void registerCreatesDestinationRecordAndRoute() {
        PurposeRegistry.Outcome outcome = registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY);
        assertTrue(outcome.created());
        assertEquals(List.of("solarwind.topic.video.uploaded::solarwind.direct.video.uploaded.encode"), broker.destinations);
        assertEquals(1, broker.live().size());
        assertEquals(List.of(outcome.registration()), registry.routes("video.uploaded"));
    }

    @Test
    void sameRegistrationAgainChangesNothing() {
        Registration first = registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY).registration();
        PurposeRegistry.Outcome again = registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY);
        assertFalse(again.created());
        assertEquals(first, again.registration());
        assertEquals(1, broker.destinations.size());
    }

    @Test
    void otherExchangeIsAConflictThatNamesBoth() {
        registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY);
        PurposeConflictException e = assertThrows(PurposeConflictException.class,
                () -> registry.register(video, Purpose.of("encode"), Exchange.FANOUT, POLICY));
        assertTrue(e.getMessage().contains("direct") && e.getMessage().contains("fanout")
                && e.getMessage().contains("encode") && e.getMessage().contains("video.uploaded"), e.getMessage());
        assertEquals(Exchange.DIRECT, registry.find(video, Purpose.of("encode")).orElseThrow().exchange());
    }

    @Test
    void samePurposeNameOnAnotherTopicIsIndependent() {
        registry.register(video, Purpose.of("audit"), Exchange.DIRECT, POLICY);
        registry.register(Topic.of("video.encoded"), Purpose.of("audit"), Exchange.FANOUT, POLICY);
        assertEquals(2, registry.all().size());
    }

    @Test
    void unregisterRemovesEverything() {
        registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY);
        assertTrue(registry.unregister(video, Purpose.of("encode")));
        assertFalse(registry.unregister(video, Purpose.of("encode")));
        assertEquals(List.of(), registry.routes("video.uploaded"));
        assertTrue(broker.live().isEmpty() && broker.destinations.isEmpty());
        assertTrue(broker.records.get(RegistryChange.keyOf(video, Purpose.of("encode"))).isDeletion(), "a tombstone keeps the version");
        assertTrue(registry.all().isEmpty());
    }

    @Test
    void loadRebuildsTheIndexFromTheStore() {
        registry.register(video, Purpose.of("b"), Exchange.DIRECT, POLICY);
        registry.register(video, Purpose.of("a"), Exchange.FANOUT, POLICY);
        PurposeRegistry restarted = new PurposeRegistry(broker, broker);
        restarted.load();
        assertEquals(List.of("a", "b"), restarted.purposesOf(video).stream().map(r -> r.purpose().name()).toList());
        assertEquals(2, restarted.routes("video.uploaded").size());
        assertEquals(List.of(), restarted.routes("unknown"));
    }

    @Test
    void registeringAgainWithAnotherPolicyChangesOnlyThePolicy() {
        Registration first = registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY).registration();
        Redelivery patient = new Redelivery(20, 5000, 1.5, 600_000);
        PurposeRegistry.Outcome changed = registry.register(video, Purpose.of("encode"), Exchange.DIRECT, patient);
        assertFalse(changed.created());
        assertEquals(patient, changed.registration().redelivery());
        assertEquals(first.registeredAt(), changed.registration().registeredAt());
        assertEquals(patient, broker.live().get(first.key()).redelivery(), "stored");
        assertEquals(patient, registry.find(video, Purpose.of("encode")).orElseThrow().redelivery(), "indexed");
        PurposeRegistry.Outcome unchanged = registry.register(video, Purpose.of("encode"), Exchange.DIRECT, null);
        assertEquals(patient, unchanged.registration().redelivery(), "no policy given keeps the one it has");
    }

    @Test
    void directPurposesOfATopicShareTheirDelaysAndTheBrokerAllowsTheMostAttempts() {
        Redelivery patient = new Redelivery(20, 5000, 1.5, 600_000);
        registry.register(video, Purpose.of("encode"), Exchange.DIRECT, patient);
        assertEquals(patient, registry.register(video, Purpose.of("thumbnail"), Exchange.DIRECT, null).registration().redelivery(),
                "a direct purpose registered without a policy takes its topic's");
        Redelivery impatient = patient.withMaxAttempts(3);
        assertEquals(impatient, registry.register(video, Purpose.of("preview"), Exchange.DIRECT, impatient).registration().redelivery(),
                "fewer attempts, same delays: its own");
        String address = Registration.topicAddressOf(video);
        assertEquals(patient, broker.addressPolicies.get(address), "the topic's address allows the most attempts");

        RedeliveryConflictException e = assertThrows(RedeliveryConflictException.class,
                () -> registry.register(video, Purpose.of("index"), Exchange.DIRECT, POLICY));
        assertTrue(e.getMessage().contains("video.uploaded") && e.getMessage().contains("delayMillis 5000")
                && e.getMessage().contains("delayMillis 1000"), e.getMessage());
        assertTrue(registry.find(video, Purpose.of("index")).isEmpty(), "nothing registered");
        assertFalse(broker.destinations.stream().anyMatch(d -> d.endsWith(".index")), "nothing created");
        assertThrows(RedeliveryConflictException.class,
                () -> registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY), "nor changed while another shares it");
        assertEquals(POLICY, registry.register(video, Purpose.of("audit"), Exchange.FANOUT, POLICY).registration().redelivery(),
                "a fanout purpose has an address, and a policy, of its own");
        assertEquals(POLICY, broker.addressPolicies.get("solarwind.fanout.video.uploaded.audit"));

        registry.unregister(video, Purpose.of("encode"));
        registry.unregister(video, Purpose.of("thumbnail"));
        assertEquals(impatient, broker.addressPolicies.get(address), "the most attempts of the direct purposes left");
        registry.unregister(video, Purpose.of("preview"));
        assertEquals(POLICY, registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY).registration().redelivery(),
                "a topic without direct purposes takes new delays");
    }

    @Test
    void aRegistrationThatCannotBeStoredLeavesNoDestination() {
        broker.failSaves = true;
        assertThrows(IllegalStateException.class, () -> registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY));
        assertTrue(broker.destinations.isEmpty(), "its queue would take the topic's events");
        assertTrue(registry.routes("video.uploaded").isEmpty());
    }

    @Test
    void unregisterRemovesTheDestinationBeforeTheRecord() {
        Registration r = registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY).registration();
        broker.calls.clear();
        registry.unregister(video, Purpose.of("encode"));
        assertEquals(List.of("remove " + r.destination(), "delete " + r.key()), broker.calls);
    }

    @Test
    void everyWriteMakesTheKeysNextVersion() {
        registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY);
        assertEquals(1, registry.versionOf(video, Purpose.of("encode")));
        registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY.withMaxAttempts(9));
        registry.unregister(video, Purpose.of("encode"));
        assertEquals(3, broker.records.get(RegistryChange.keyOf(video, Purpose.of("encode"))).version());
        registry.register(video, Purpose.of("encode"), Exchange.FANOUT, POLICY);
        assertEquals(4, registry.versionOf(video, Purpose.of("encode")), "a tombstone's version is not reused");
    }

    @Test
    void aChangeAppliesOnlyWhenNewerThanWhatTheServerKnows() {
        Registration direct = new Registration(video, Purpose.of("encode"), Exchange.DIRECT, POLICY, java.time.Instant.now());
        assertTrue(registry.apply(RegistryChange.saved(direct, 2)));
        assertFalse(registry.apply(RegistryChange.saved(direct.withRedelivery(POLICY.withMaxAttempts(1)), 1)), "stale: ignored");
        assertFalse(registry.apply(RegistryChange.deleted(video, Purpose.of("encode"), 2)), "the same version again: ignored");
        assertEquals(POLICY, registry.find(video, Purpose.of("encode")).orElseThrow().redelivery());
        assertTrue(registry.apply(RegistryChange.deleted(video, Purpose.of("encode"), 3)));
        assertTrue(registry.routes("video.uploaded").isEmpty());
        assertFalse(registry.apply(RegistryChange.saved(direct, 2)), "a late record of a deleted key does not bring it back");
        assertTrue(registry.routes("video.uploaded").isEmpty());
    }

    @Test
    void aServerSharingTheStoreSeesEveryChangeAtOnce() {
        PurposeRegistry other = new PurposeRegistry(broker, broker);
        other.load();
        registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY);
        assertEquals(1, other.routes("video.uploaded").size(), "registered through this server, known to the other");
        assertTrue(other.unregister(video, Purpose.of("encode")));
        assertTrue(registry.routes("video.uploaded").isEmpty(), "deleted through the other, gone here");
        assertThrows(PurposeConflictException.class, () -> {
            other.register(video, Purpose.of("audit"), Exchange.FANOUT, POLICY);
            registry.register(video, Purpose.of("audit"), Exchange.DIRECT, POLICY);
        }, "a conflict is seen across servers");
    }

    @Test
    void ofTwoServersRegisteringAtOnceTheFirstWinsAndTheOtherDecidesAgain() {
        PurposeRegistry other = new PurposeRegistry(broker, broker);
        other.load();
        // the other server registers the purpose as fanout just before this server's write reaches the store
        broker.beforeNextWrite = () -> other.register(video, Purpose.of("encode"), Exchange.FANOUT, POLICY);
        PurposeConflictException e = assertThrows(PurposeConflictException.class,
                () -> registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY));
        assertEquals(Exchange.FANOUT, e.existing().exchange());
        assertEquals(List.of("solarwind.fanout.video.uploaded.encode"), broker.destinations,
                "the loser's queue, which would take the topic's events, is gone");

        broker.beforeNextWrite = () -> other.register(video, Purpose.of("thumbnail"), Exchange.DIRECT, POLICY);
        PurposeRegistry.Outcome same = registry.register(video, Purpose.of("thumbnail"), Exchange.DIRECT, POLICY);
        assertFalse(same.created(), "the other server created it first: it exists");
        assertTrue(broker.destinations.contains(same.registration().destination()), "and its queue stays");
        assertEquals(1, broker.records.get(same.registration().key()).version());
    }

    private static final java.net.URI HOOK = java.net.URI.create("https://hooks.example.com/in");

    @Test
    void pushPurposeGetsASecretMadeUpUnlessItNamesOne() {
        Registration made = registry.register(video, Purpose.of("hook"), Exchange.DIRECT, POLICY,
                new io.solarwind.domain.Push(HOOK, 2, null)).registration();
        assertEquals(HOOK, made.push().url());
        assertEquals(2, made.push().concurrency());
        assertEquals(43, made.push().secret().length());
        assertEquals(made.push(), broker.live().get("video.uploaded/hook").push(), "the secret is stored with the record");
        Registration named = registry.register(video, Purpose.of("hook2"), Exchange.DIRECT, POLICY,
                new io.solarwind.domain.Push(HOOK, 1, "my-own-secret-of-20")).registration();
        assertEquals("my-own-secret-of-20", named.push().secret());
    }

    @Test
    void pushAgainWithTheSameTargetOrWithoutPushKeepsIt() {
        Registration made = registry.register(video, Purpose.of("hook"), Exchange.DIRECT, POLICY,
                new io.solarwind.domain.Push(HOOK, 2, null)).registration();
        PurposeRegistry.Outcome same = registry.register(video, Purpose.of("hook"), Exchange.DIRECT, POLICY,
                new io.solarwind.domain.Push(HOOK, 2, null));
        assertFalse(same.created());
        assertEquals(made, same.registration());
        assertEquals(made.push(), registry.register(video, Purpose.of("hook"), Exchange.DIRECT, null).registration().push());
        // a new redelivery policy keeps the push delivery
        Redelivery other = new Redelivery(3, 1000, 2.0, 60_000);
        Registration changed = registry.register(video, Purpose.of("hook"), Exchange.DIRECT, other).registration();
        assertEquals(other, changed.redelivery());
        assertEquals(made.push(), changed.push());
    }

    @Test
    void otherPushSettingsAreAConflict() {
        registry.register(video, Purpose.of("hook"), Exchange.DIRECT, POLICY, new io.solarwind.domain.Push(HOOK, 2, "first-secret-of-16+"));
        registry.register(video, Purpose.of("pull"), Exchange.DIRECT, POLICY);
        for (io.solarwind.domain.Push asked : List.of(new io.solarwind.domain.Push(HOOK, 1, null),
                new io.solarwind.domain.Push(java.net.URI.create("https://hooks.example.com/other"), 2, null),
                new io.solarwind.domain.Push(HOOK, 2, "other-secret-of-16+"))) {
            PushConflictException e = assertThrows(PushConflictException.class,
                    () -> registry.register(video, Purpose.of("hook"), Exchange.DIRECT, POLICY, asked));
            assertFalse(e.getMessage().contains("secret-of-16"), "no secret in a message: " + e.getMessage());
            assertTrue(e.getMessage().contains("delete the purpose"), e.getMessage());
        }
        assertThrows(PushConflictException.class, () -> registry.register(video, Purpose.of("pull"), Exchange.DIRECT, POLICY,
                new io.solarwind.domain.Push(HOOK, 1, null)), "a purpose consumed by its instances does not turn into a push purpose");
        assertEquals("first-secret-of-16+", registry.find(video, Purpose.of("hook")).orElseThrow().push().secret());
        assertEquals(null, registry.find(video, Purpose.of("pull")).orElseThrow().push());
    }

    private static io.solarwind.domain.PurposeFilter filter(String json) {
        return io.solarwind.domain.PurposeFilter.parse(json);
    }

    @Test
    void theSameFilterAgainOrNoneKeepsThePurposeAndAnotherIsAConflict() {
        io.solarwind.domain.PurposeFilter eu = filter("{\"prefix\":{\"subject\":\"eu-\"}}");
        Registration made = registry.register(video, Purpose.of("eu"), Exchange.DIRECT, POLICY, null, eu).registration();
        assertEquals(eu, made.filter());
        assertEquals(eu, broker.live().get("video.uploaded/eu").filter(), "the filter is stored with the record");
        PurposeRegistry.Outcome same = registry.register(video, Purpose.of("eu"), Exchange.DIRECT, POLICY, null,
                filter("{\"prefix\":{\"subject\":\"eu-\"}}"));
        assertFalse(same.created());
        assertEquals(made, same.registration());
        assertEquals(eu, registry.register(video, Purpose.of("eu"), Exchange.DIRECT, null).registration().filter(),
                "a registration without a filter keeps the one the purpose has (as handler deployments register)");
        Registration changed = registry.register(video, Purpose.of("eu"), Exchange.DIRECT, new Redelivery(3, 1000, 2.0, 60_000))
                .registration();
        assertEquals(eu, changed.filter(), "a new redelivery policy keeps the filter");
        FilterConflictException e = assertThrows(FilterConflictException.class, () -> registry.register(video, Purpose.of("eu"),
                Exchange.DIRECT, null, null, filter("{\"prefix\":{\"subject\":\"us-\"}}")));
        assertTrue(e.getMessage().contains("us-") && e.getMessage().contains("eu-"), e.getMessage());
        registry.register(video, Purpose.of("all"), Exchange.FANOUT, POLICY);
        assertThrows(FilterConflictException.class, () -> registry.register(video, Purpose.of("all"), Exchange.FANOUT, null,
                null, eu), "an unfiltered purpose does not get a filter in place");
        assertEquals(eu, registry.find(video, Purpose.of("eu")).orElseThrow().filter());
        assertEquals(null, registry.find(video, Purpose.of("all")).orElseThrow().filter());
        // deleting and registering again is how a filter changes
        assertTrue(registry.unregister(video, Purpose.of("eu")));
        io.solarwind.domain.PurposeFilter us = filter("{\"prefix\":{\"subject\":\"us-\"}}");
        assertEquals(us, registry.register(video, Purpose.of("eu"), Exchange.DIRECT, POLICY, null, us).registration().filter());
    }

    @Test
    void aNewVersionIsAddedBesideTheActiveOneAndTakesEventsFromTheCutOver() {
        Purpose encode = Purpose.of("encode");
        Registration v1 = registry.register(video, encode, Exchange.DIRECT, POLICY).registration();
        assertEquals(List.of("1"), v1.versions().names());
        assertFalse(v1.routesByVersion(), "one version: the dispatcher marks nothing");

        Registration both = registry.register(video, encode, Exchange.DIRECT, null, null, null, "2").registration();
        assertEquals(List.of("1", "2"), both.versions().names());
        assertEquals("1", both.versions().active(), "a new version is not active until the cut-over");
        assertTrue(both.routesByVersion());
        assertEquals("solarwind.topic.video.uploaded::solarwind.direct.video.uploaded.encode", both.destination());
        assertEquals("(solarwind_pv_encode IS NULL OR solarwind_pv_encode = '1')", both.queueSelector("1"),
                "the base version's queue also takes the events a dispatcher marked before it knew of version 2");
        assertEquals("solarwind_pv_encode = '2'", both.queueSelector("2"));
        assertEquals("create solarwind.topic.video.uploaded::solarwind.direct.video.uploaded.encode", broker.calls.get(broker.calls.size() - 2),
                "the destinations (both queues) are made before the record names the version");

        Registration cut = registry.cutOver(video, encode, "2").orElseThrow();
        assertEquals("2", cut.versions().active());
        assertEquals("solarwind.topic.video.uploaded::solarwind.direct.video.uploaded.encode~2", cut.destination());
        assertEquals(1, cut.versions().cutovers().size());
        assertEquals("1", cut.versions().cutovers().get(0).from());
        assertEquals(cut, registry.routes("video.uploaded").get(0), "the dispatcher's route has the cut-over");

        Registration back = registry.cutOver(video, encode, "1").orElseThrow();
        assertEquals("1", back.versions().active(), "the rollback is a cut-over back");
        assertEquals(2, back.versions().cutovers().size());
        assertEquals(back, registry.cutOver(video, encode, "1").orElseThrow(), "cutting over to the active version changes nothing");
        assertEquals(2, registry.find(video, encode).orElseThrow().versions().cutovers().size());

        Registration again = registry.register(video, encode, Exchange.DIRECT, null, null, null, "2").registration();
        assertEquals(back, again, "a version registered again (an instance restarting) changes nothing");
    }

    @Test
    void aCutOverOrRemovalThatLosesToAnotherServerReadsAgainAndGivesUpAfterThreeAttempts() {
        Purpose encode = Purpose.of("encode");
        registry.register(video, encode, Exchange.DIRECT, POLICY);
        registry.register(video, encode, Exchange.DIRECT, null, null, null, "2");
        PurposeRegistry other = new PurposeRegistry(broker, broker);
        other.load();

        broker.beforeNextWrite = () -> other.register(video, encode, Exchange.DIRECT, null, null, null, "3");
        Registration cut = registry.cutOver(video, encode, "2").orElseThrow();
        assertEquals("2", cut.versions().active());
        assertEquals(List.of("1", "2", "3"), cut.versions().names(), "the second attempt kept the other server's version 3");
        assertEquals(cut, registry.find(video, encode).orElseThrow());

        Runnable[] rival = new Runnable[1];
        int[] next = {10};
        rival[0] = () -> {
            other.register(video, encode, Exchange.DIRECT, null, null, null, String.valueOf(next[0]++));
            broker.beforeNextWrite = rival[0];
        };
        broker.beforeNextWrite = rival[0];
        RegistryConflictException lost = assertThrows(RegistryConflictException.class, () -> registry.cutOver(video, encode, "3"));
        assertTrue(lost.getMessage().contains("each of 3 attempts"), lost.getMessage());
        assertEquals(13, next[0], "three attempts, each beaten by one of the other server's writes");
        broker.beforeNextWrite = null;
        assertEquals("2", registry.find(video, encode).orElseThrow().versions().active(), "the lost cut-over changed nothing");

        broker.beforeNextWrite = () -> other.cutOver(video, encode, "3");
        assertTrue(registry.unregister(video, encode), "the removal's second attempt removes what the other server changed");
        assertTrue(broker.records.get(cut.key()).isDeletion());
        assertTrue(registry.find(video, encode).isEmpty());
        assertTrue(other.find(video, encode).isEmpty());
    }

    @Test
    void versionChangesTheDesignCannotTakeAreRefused() {
        Purpose encode = Purpose.of("encode");
        registry.register(video, encode, Exchange.DIRECT, POLICY);
        VersionConflictException unknown = assertThrows(VersionConflictException.class, () -> registry.cutOver(video, encode, "3"));
        assertTrue(unknown.getMessage().contains("no version 3"), unknown.getMessage());
        registry.register(video, Purpose.of("audit"), Exchange.FANOUT, POLICY, null, null, "1");
        registry.register(video, Purpose.of("audit"), Exchange.FANOUT, null, null, null, "2");
        assertEquals(List.of("1", "2"), registry.find(video, Purpose.of("audit")).orElseThrow().versions().names(),
                "a fanout purpose's versions are recorded");
        assertFalse(registry.find(video, Purpose.of("audit")).orElseThrow().routesByVersion(), "and every instance gets a copy");
        VersionConflictException fanout = assertThrows(VersionConflictException.class, () -> registry.cutOver(video, Purpose.of("audit"), "2"));
        assertTrue(fanout.getMessage().contains("fanout"), fanout.getMessage());
        assertTrue(registry.cutOver(video, Purpose.of("missing"), "1").isEmpty());
        assertThrows(io.solarwind.domain.InvalidInputException.class, () -> registry.cutOver(video, encode, "no spaces"));
        assertThrows(io.solarwind.domain.InvalidInputException.class,
                () -> registry.register(video, encode, Exchange.DIRECT, null, null, null, "../2"));
    }

    @Test
    void aPurposeMayBeginWithAnotherVersionThanOne() {
        Registration v2 = registry.register(video, Purpose.of("encode"), Exchange.DIRECT, POLICY, null, null, "2").registration();
        assertEquals(List.of("2"), v2.versions().names());
        assertEquals("solarwind.topic.video.uploaded::solarwind.direct.video.uploaded.encode~2", v2.destination());
        assertFalse(v2.routesByVersion());
        assertEquals(List.of("solarwind.topic.video.uploaded::solarwind.direct.video.uploaded.encode~2"), broker.destinations);
    }
}
