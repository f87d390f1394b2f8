package io.solarwind.infrastructure.messaging.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.solarwind.domain.Event;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmsEventPublisherTest {
    private static Event event(String source, String id, String data) {
        return new Event(Map.of("id", id, "source", source, "type", "t"), data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBatchKeepsTheFirstOfEachSourceAndIdInItsOrder() {
        List<Event> batch = List.of(event("/a", "1", "first"), event("/a", "2", "two"), event("/a", "1", "again"),
                event("/b", "1", "other source"), event("/a", "2", "two again"));
        List<Event> unique = JmsEventPublisher.withoutRepeats(batch);
        assertEquals(List.of("first", "two", "other source"),
                unique.stream().map(e -> new String(e.data(), StandardCharsets.UTF_8)).toList());
    }

    @Test
    void sourceAndIdDoNotRunIntoEachOther() {
        // "/a" + "b1" and "/ab" + "1" are two events (the key is length-prefixed)
        assertEquals(2, JmsEventPublisher.withoutRepeats(List.of(event("/a", "b1", "x"), event("/ab", "1", "y"))).size());
    }
}
