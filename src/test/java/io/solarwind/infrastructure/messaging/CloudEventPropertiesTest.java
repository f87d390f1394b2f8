package io.solarwind.infrastructure.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventPropertiesTest {
    @Test
    void fillsInWhatAJmsPublisherLeftOut() {
        Map<String, String> props = new HashMap<>(Map.of("ce_type", "video.uploaded"));
        CloudEventProperties.applyInboundDefaults(props::get, props::put);
        assertNotNull(props.get("ce_id"));
        assertEquals("/solarwind/jms", props.get("ce_source"));
        assertEquals("1.0", props.get("ce_specversion"));
        assertNotNull(Instant.parse(props.get("ce_time")));
        assertEquals(CloudEventProperties.deduplicationKey("/solarwind/jms", props.get("ce_id")), props.get("_AMQ_DUPL_ID"));
    }

    @Test
    void keepsWhatThePublisherGave() {
        Map<String, String> props = new HashMap<>(Map.of("ce_type", "t", "ce_id", "7", "ce_source", "/s",
                "ce_specversion", "1.0", "ce_time", "2020-01-01T00:00:00Z"));
        Map<String, String> before = new HashMap<>(props);
        CloudEventProperties.applyInboundDefaults(props::get, props::put);
        before.forEach((k, v) -> assertEquals(v, props.get(k)));
        assertEquals("2:/s7", props.get("_AMQ_DUPL_ID"));
    }

    @Test
    void deduplicationKeysOfDifferentPairsDiffer() {
        assertNotEquals(CloudEventProperties.deduplicationKey("/a", "b/c"), CloudEventProperties.deduplicationKey("/ab", "/c"));
    }

    @Test
    void takesTheAmqpBindingsAttributesInEitherForm() {
        Map<String, Object> props = new HashMap<>(Map.of("cloudEvents_type", "orders.placed", "cloudEvents:id", "42",
                "cloudEvents_source", "/shop", "cloudEvents_time", Date.from(Instant.parse("2026-12-02T10:00:00Z")),
                "cloudEvents_tenant", "acme", "other", "x"));
        assertTrue(fromAmqp(props, "application/json"));
        assertEquals("orders.placed", props.get("ce_type"));
        assertEquals("42", props.get("ce_id"));
        assertEquals("/shop", props.get("ce_source"));
        assertEquals("2026-12-02T10:00:00Z", props.get("ce_time"), "an AMQP timestamp as RFC 3339 text");
        assertEquals("acme", props.get("ce_tenant"), "extensions too");
        assertEquals("application/json", props.get("ce_datacontenttype"), "the binding's datacontenttype is the AMQP content-type");
        assertFalse(props.containsKey("cloudEvents:id"), "the ':' form goes: one separator per message");
        assertNull(props.get("ce_other"));
    }

    @Test
    void aCePropertyWinsOverTheBindingsForm() {
        Map<String, Object> props = new HashMap<>(Map.of("ce_type", "a.b", "cloudEvents_type", "c.d", "ce_datacontenttype", "text/plain"));
        assertFalse(fromAmqp(props, "application/json"));
        assertEquals("a.b", props.get("ce_type"));
        assertEquals("text/plain", props.get("ce_datacontenttype"));
    }

    @Test
    void aJmsEventWithoutTheBindingsFormIsLeftAsItIs() {
        Map<String, Object> props = new HashMap<>(Map.of("ce_type", "a.b", "cloudEvents", "not an attribute", "cloudEvents_", "neither"));
        assertFalse(fromAmqp(props, null));
        assertEquals(Map.of("ce_type", "a.b", "cloudEvents", "not an attribute", "cloudEvents_", "neither"), props);
    }

    @Test
    void writesEveryAttributeInTheBindingsFormButTheContentType() {
        Map<String, Object> props = new HashMap<>(Map.of("ce_type", "a.b", "ce_id", "1", "ce_source", "/s", "ce_specversion", "1.0",
                "ce_time", "2026-12-02T10:00:00Z", "ce_datacontenttype", "application/json", "ce_tenant", "acme",
                "cloudEvents_type", "stale", "_AMQ_DUPL_ID", "k"));
        assertTrue(CloudEventProperties.toAmqpBinding(List.copyOf(props.keySet()), props::get, props::put));
        assertEquals("a.b", props.get("cloudEvents_type"), "one value for both forms: the ce_ one, which dispatch used");
        assertEquals("1", props.get("cloudEvents_id"));
        assertEquals("/s", props.get("cloudEvents_source"));
        assertEquals("1.0", props.get("cloudEvents_specversion"));
        assertEquals("2026-12-02T10:00:00Z", props.get("cloudEvents_time"));
        assertEquals("acme", props.get("cloudEvents_tenant"));
        assertNull(props.get("cloudEvents_datacontenttype"), "carried as the AMQP content-type");
        assertFalse(CloudEventProperties.toAmqpBinding(List.copyOf(props.keySet()), props::get, props::put), "nothing more to do");
    }

    @Test
    void theSameEventInEitherFormHasOneDuplicateKey() {
        Map<String, Object> amqp = new HashMap<>(Map.of("cloudEvents_type", "a.b", "cloudEvents_id", "7", "cloudEvents_source", "/s"));
        fromAmqp(amqp, null);
        Map<String, String> jms = new HashMap<>(Map.of("ce_type", "a.b", "ce_id", "7", "ce_source", "/s"));
        CloudEventProperties.applyInboundDefaults(jms::get, jms::put);
        CloudEventProperties.applyInboundDefaults(name -> (String) amqp.get(name), amqp::put);
        assertEquals(jms.get("_AMQ_DUPL_ID"), amqp.get("_AMQ_DUPL_ID"));
    }

    private static boolean fromAmqp(Map<String, Object> props, String contentType) {
        return CloudEventProperties.fromAmqpBinding(List.copyOf(props.keySet()), contentType, props::get, props::put, props::remove);
    }
}
