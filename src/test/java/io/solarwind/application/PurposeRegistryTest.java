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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PurposeRegistryTest {
    /** The store and destinations as plain maps: what matters here is the registry's own logic. */
    static final class Broker implements RegistrationStore, PurposeDestinations {
        final Map<String, Registration> records = new LinkedHashMap<>();
        final List<String> destinations = new ArrayList<>();

        @Override
        public List<Registration> loadAll() {
            return new ArrayList<>(records.values());
        }

        @Override
        public void save(Registration r) {
            records.put(r.key(), r);
        }

        @Override
        public void delete(Registration r) {
            records.remove(r.key());
        }

        @Override
        public void useDefaultRedelivery(Redelivery policy) {
        }

        @Override
        public void create(Registration r) {
            if (!destinations.contains(r.destination())) {
                destinations.add(r.destination());
            }
        }

        @Override
        public void remove(Registration r) {
            destinations.remove(r.destination());
        }

        @Override
        public DestinationStatus status(Registration r) {
            return new DestinationStatus(0, 0);
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
        assertEquals(List.of("solarwind.direct.video.uploaded.encode"), broker.destinations);
        assertEquals(1, broker.records.size());
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
        assertTrue(broker.records.isEmpty() && broker.destinations.isEmpty());
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
        assertEquals(patient, broker.records.get(first.key()).redelivery(), "stored");
        assertEquals(patient, registry.find(video, Purpose.of("encode")).orElseThrow().redelivery(), "indexed");
        PurposeRegistry.Outcome unchanged = registry.register(video, Purpose.of("encode"), Exchange.DIRECT, null);
        assertEquals(patient, unchanged.registration().redelivery(), "no policy given keeps the one it has");
    }
}
