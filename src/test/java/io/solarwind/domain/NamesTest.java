package io.solarwind.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"video.uploaded", "a", "A-b_c.9", "0start"})
    void validTopics(String name) {
        assertEquals(name, Topic.of(name).name());
        assertTrue(Topic.isValid(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "video.#", "video.*", "a>b", "a::b", "a/b", "a b", ".x", "-x", "_x", "ü", "a\tb", "a\u0000"})
    void invalidTopics(String name) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Topic.of(name));
        assertEquals("topic", e.field());
        assertFalse(Topic.isValid(name));
    }

    @Test
    void topicLengthLimit() {
        assertEquals(200, Topic.of("t".repeat(200)).name().length());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Topic.of("t".repeat(201)));
        assertTrue(e.getMessage().contains("201"), e.getMessage());
        assertFalse(Topic.isValid(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"encode-mp4", "a", "A_1"})
    void validPurposes(String name) {
        assertEquals(name, Purpose.of(name).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "encode.mp4", "a#", "a*", "a>", "a::b", "a/b", "a b", "-a"})
    void invalidPurposes(String name) {
        assertEquals("purpose", assertThrows(InvalidInputException.class, () -> Purpose.of(name)).field());
    }

    @Test
    void purposeLengthLimit() {
        Purpose.of("p".repeat(100));
        assertThrows(InvalidInputException.class, () -> Purpose.of("p".repeat(101)));
    }

    @Test
    void controlCharactersAreShownEscapedInMessages() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Topic.of("a\u0001b"));
        assertTrue(e.getMessage().contains("a\\u0001b"), e.getMessage());
    }

    @Test
    void exchangeParsing() {
        assertEquals(Exchange.DIRECT, Exchange.parse("direct"));
        assertEquals(Exchange.FANOUT, Exchange.parse("fanout"));
        assertEquals("queue", Exchange.DIRECT.destinationType());
        assertEquals("topic", Exchange.FANOUT.destinationType());
        for (String bad : new String[] {null, "", "DIRECT", "topic", "fan-out"}) {
            assertEquals("exchange", assertThrows(InvalidInputException.class, () -> Exchange.parse(bad)).field());
        }
    }

    @Test
    void destinationsAreDeterministicAndDistinct() {
        Registration direct = new Registration(Topic.of("a.b"), Purpose.of("c"), Exchange.DIRECT, new Redelivery(1, 0, 1, 0), java.time.Instant.EPOCH);
        Registration fanout = new Registration(Topic.of("a.b"), Purpose.of("c"), Exchange.FANOUT, new Redelivery(1, 0, 1, 0), java.time.Instant.EPOCH);
        Registration other = new Registration(Topic.of("a"), Purpose.of("b_c"), Exchange.DIRECT, new Redelivery(1, 0, 1, 0), java.time.Instant.EPOCH);
        assertEquals("solarwind.topic.a.b::solarwind.direct.a.b.c", direct.destination());
        assertEquals("solarwind.fanout.a.b.c", fanout.destination());
        assertEquals("solarwind.topic.a::solarwind.direct.a.b_c", other.destination());
    }
}
