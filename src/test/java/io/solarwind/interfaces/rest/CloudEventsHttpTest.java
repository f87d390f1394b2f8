package io.solarwind.interfaces.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.domain.Event;
import io.solarwind.domain.InvalidInputException;
import io.solarwind.domain.Topic;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventsHttpTest {
    private static final Topic TOPIC = Topic.of("video.uploaded");

    private static Event binary(Map<String, List<String>> headers, String contentType, byte[] body) {
        return CloudEventsHttp.parse(TOPIC, headers, contentType, body);
    }

    private static Event structured(String json) {
        return CloudEventsHttp.parse(TOPIC, Map.of(), "application/cloudevents+json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void binaryModeReadsHeadersInAnyCase() {
        Event e = binary(Map.of("CE-ID", List.of("1"), "ce-Source", List.of("/s"), "ce-type", List.of("video.uploaded"),
                "ce-myext", List.of("x"), "Accept", List.of("*/*")), "image/png", new byte[] {(byte) 0xFF});
        assertEquals("1", e.id());
        assertEquals("/s", e.source());
        assertEquals("video.uploaded", e.type());
        assertEquals("image/png", e.dataContentType());
        assertEquals("x", e.attributes().get("myext"));
        assertArrayEquals(new byte[] {(byte) 0xFF}, e.data());
    }

    @Test
    void binaryModeDefaults() {
        Event e = binary(Map.of(), null, new byte[0]);
        assertNotNull(e.id());
        assertEquals("/solarwind/http", e.source());
        assertEquals("1.0", e.attributes().get("specversion"));
        assertEquals("video.uploaded", e.type());
        assertNotNull(e.attributes().get("time"));
    }

    @Test
    void binaryModePercentDecodesHeaderValues() {
        Event e = binary(Map.of("ce-subject", List.of("caf%C3%A9%20au%20lait")), "text/plain", "x".getBytes(StandardCharsets.UTF_8));
        assertEquals("café au lait", e.attributes().get("subject"));
        assertThrows(InvalidInputException.class, () -> binary(Map.of("ce-subject", List.of("bad%ZZ")), null, new byte[0]));
        assertThrows(InvalidInputException.class, () -> binary(Map.of("ce-subject", List.of("%FF")), null, new byte[0]));
    }

    @Test
    void binaryModeRefusals() {
        assertEquals("ce-type", assertThrows(InvalidInputException.class,
                () -> binary(Map.of("ce-type", List.of("other")), null, new byte[0])).field());
        assertEquals("ce-specversion", assertThrows(InvalidInputException.class,
                () -> binary(Map.of("ce-specversion", List.of("0.3")), null, new byte[0])).field());
        assertEquals("ce-Bad_Name".toLowerCase(), assertThrows(InvalidInputException.class,
                () -> binary(Map.of("ce-Bad_Name", List.of("x")), null, new byte[0])).field());
        assertThrows(InvalidInputException.class, () -> binary(Map.of("ce-datacontenttype", List.of("x/y")), null, new byte[0]));
        assertThrows(InvalidInputException.class, () -> binary(Map.of("ce-time", List.of("noon")), null, new byte[0]));
        assertThrows(InvalidInputException.class, () -> binary(Map.of("ce-id", List.of("")), null, new byte[0]));
    }

    @Test
    void structuredModeWithJsonData() {
        Event e = structured("{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/s\",\"type\":\"video.uploaded\",\"data\":{\"x\":[1,2]},\"count\":3,\"flag\":true}");
        assertEquals("{\"x\":[1,2]}", new String(e.data(), StandardCharsets.UTF_8));
        assertEquals("application/json", e.dataContentType());
        assertEquals("3", e.attributes().get("count"));
        assertEquals("true", e.attributes().get("flag"));
    }

    @Test
    void structuredModeWithStringDataOfATextType() {
        Event e = structured("{\"datacontenttype\":\"text/plain\",\"data\":\"hello\"}");
        assertEquals("hello", new String(e.data(), StandardCharsets.UTF_8));
        assertEquals("/solarwind/http", e.source());
    }

    @Test
    void structuredModeWithBase64() {
        Event e = structured("{\"datacontenttype\":\"application/octet-stream\",\"data_base64\":\"AP8=\"}");
        assertArrayEquals(new byte[] {0, (byte) 0xFF}, e.data());
    }

    @Test
    void structuredModeRefusals() {
        assertEquals("body", assertThrows(InvalidInputException.class, () -> structured("{")).field());
        assertEquals("body", assertThrows(InvalidInputException.class, () -> structured("[]")).field());
        assertEquals("type", assertThrows(InvalidInputException.class, () -> structured("{\"type\":\"x\"}")).field());
        assertEquals("data", assertThrows(InvalidInputException.class,
                () -> structured("{\"data\":1,\"data_base64\":\"AA==\"}")).field());
        assertEquals("data_base64", assertThrows(InvalidInputException.class, () -> structured("{\"data_base64\":\"***\"}")).field());
        assertEquals("data", assertThrows(InvalidInputException.class,
                () -> structured("{\"datacontenttype\":\"image/png\",\"data\":{\"a\":1}}")).field());
        assertEquals("subject", assertThrows(InvalidInputException.class, () -> structured("{\"subject\":{}}")).field());
    }

    private static List<Event> batch(String json) {
        return CloudEventsHttp.parseBatch(TOPIC, json.getBytes(StandardCharsets.UTF_8), 5, 16);
    }

    @Test
    void batchModeIsRecognisedWithParameters() {
        assertTrue(CloudEventsHttp.isBatch("application/cloudevents-batch+json"));
        assertTrue(CloudEventsHttp.isBatch(" Application/CloudEvents-Batch+JSON; charset=utf-8"));
        assertFalse(CloudEventsHttp.isBatch("application/cloudevents+json"));
        assertFalse(CloudEventsHttp.isBatch(null));
    }

    @Test
    void batchModeGivesEachEventTheDefaultsOfStructuredMode() {
        List<Event> events = batch("[{\"id\":\"a\",\"source\":\"/s\",\"data\":{\"n\":1}},"
                + "{\"type\":\"video.uploaded\",\"datacontenttype\":\"text/plain\",\"data\":\"hi\"},"
                + "{\"id\":\"c\",\"data_base64\":\"/w==\"}]");
        assertEquals(3, events.size());
        assertEquals("a", events.get(0).id());
        assertEquals("/s", events.get(0).source());
        assertEquals("application/json", events.get(0).dataContentType());
        assertEquals("{\"n\":1}", new String(events.get(0).data(), StandardCharsets.UTF_8));
        assertNotNull(events.get(1).id());
        assertEquals("/solarwind/http", events.get(1).source());
        assertEquals("video.uploaded", events.get(1).type());
        assertEquals("1.0", events.get(1).attributes().get("specversion"));
        assertNotNull(events.get(1).attributes().get("time"));
        assertArrayEquals(new byte[] {(byte) 0xFF}, events.get(2).data());
        assertEquals(List.of(), batch("[]"));
        // each generated id is its own
        List<Event> two = batch("[{},{}]");
        assertNotEquals(two.get(0).id(), two.get(1).id());
    }

    @Test
    void theFirstBadEventOfABatchIsNamedByItsIndex() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> batch("[{\"id\":\"a\"},{\"id\":\"b\"},{\"type\":\"other.topic\"},{\"id\":\"\"}]"));
        assertEquals(400, e.status());
        assertEquals(2, e.index());
        assertEquals("[2].type", e.field());
        assertTrue(e.getMessage().startsWith("event [2] of the batch: "), e.getMessage());

        e = assertThrows(ProblemException.class, () -> batch("[{\"id\":\"a\"},\"not an event\"]"));
        assertEquals(1, e.index());
        assertEquals("[1]", e.field());

        e = assertThrows(ProblemException.class, () -> batch("[{\"time\":\"yesterday\"}]"));
        assertEquals("[0].time", e.field());

        // textual data is checked before anything is sent: not valid in its charset
        e = assertThrows(ProblemException.class, () -> batch("[{},{\"datacontenttype\":\"text/plain\",\"data_base64\":\"/w==\"}]"));
        assertEquals(1, e.index());
        assertEquals("[1].data", e.field());
    }

    @Test
    void aBatchThatIsNoArrayIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> batch("{\"id\":\"a\"}"));
        assertEquals("body", e.field());
        assertEquals("body", assertThrows(InvalidInputException.class, () -> batch("[{\"id\":")).field());
    }

    @Test
    void batchLimitsAreCountAndEachEventsData() {
        ProblemException count = assertThrows(ProblemException.class, () -> batch("[{},{},{},{},{},{}]"));
        assertEquals(413, count.status());
        assertEquals("body", count.field());
        assertTrue(count.getMessage().contains("6 events; at most 5"), count.getMessage());
        assertEquals(5, batch("[{},{},{},{},{}]").size());

        ProblemException data = assertThrows(ProblemException.class,
                () -> batch("[{\"data\":\"0123456789\"},{\"data\":\"0123456789012345\"}]"));
        assertEquals(413, data.status());
        assertEquals(1, data.index());
        assertEquals("[1].data", data.field());
    }
}
