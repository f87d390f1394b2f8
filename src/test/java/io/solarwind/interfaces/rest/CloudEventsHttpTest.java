package io.solarwind.interfaces.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Test
    void batchModeIsRefusedWith415() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> CloudEventsHttp.parse(TOPIC, Map.of(), "application/cloudevents-batch+json", "[]".getBytes(StandardCharsets.UTF_8)));
        assertEquals(415, e.status());
    }
}
