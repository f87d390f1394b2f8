package io.solarwind.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTest {
    @Test
    void textualContentTypes() {
        for (String t : new String[] {"text/plain", "text/csv; charset=utf-8", "application/json", "application/cloudevents+json",
                "application/xml", "application/atom+xml", "APPLICATION/JSON"}) {
            assertTrue(Event.isTextual(t), t);
        }
        for (String t : new String[] {null, "application/octet-stream", "image/png", "application/jsonx", "application/x-protobuf"}) {
            assertFalse(Event.isTextual(t), t);
        }
    }

    @Test
    void textDecodesWithTheDeclaredCharset() {
        Event latin = new Event(Map.of("datacontenttype", "text/plain; charset=ISO-8859-1"), new byte[] {(byte) 0xFC});
        assertEquals("ü", latin.text());
        Event utf8 = new Event(Map.of("datacontenttype", "application/json"), "\"ü\"".getBytes(StandardCharsets.UTF_8));
        assertEquals("\"ü\"", utf8.text());
    }

    @Test
    void invalidTextIsRefused() {
        Event bad = new Event(Map.of("datacontenttype", "text/plain"), new byte[] {(byte) 0xC3, 0x28});
        assertEquals("data", assertThrows(InvalidInputException.class, bad::text).field());
        Event unknownCharset = new Event(Map.of("datacontenttype", "text/plain; charset=nope"), new byte[] {1});
        assertEquals("datacontenttype", assertThrows(InvalidInputException.class, unknownCharset::text).field());
    }

    @Test
    void attributeNames() {
        Event.checkAttributeName("x", "traceparent");
        for (String bad : new String[] {"", "Upper", "with-dash", "a_b", "x".repeat(21)}) {
            assertThrows(InvalidInputException.class, () -> Event.checkAttributeName("x", bad), bad);
        }
    }
}
