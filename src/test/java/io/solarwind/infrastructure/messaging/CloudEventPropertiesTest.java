package io.solarwind.infrastructure.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Instant;
import java.util.HashMap;
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
}
