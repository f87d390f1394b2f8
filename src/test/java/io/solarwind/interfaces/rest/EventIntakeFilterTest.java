package io.solarwind.interfaces.rest;

import static io.solarwind.interfaces.rest.EventIntakeFilter.acceptsJson;
import static io.solarwind.interfaces.rest.EventIntakeFilter.topicOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventIntakeFilterTest {
    @Test
    void takesOnlyThePlainPublishPath() {
        assertEquals("video.uploaded", topicOf("/api/v1/topics/video.uploaded/events", ""));
        assertEquals("a-b_c.D9", topicOf("/ctx/api/v1/topics/a-b_c.D9/events", "/ctx"));
        assertNull(topicOf("/api/v1/topics/video.uploaded/purposes", ""));
        assertNull(topicOf("/api/v1/topics//events", ""), "an empty topic: JAX-RS names the error");
        assertNull(topicOf("/api/v1/topics/events", ""));
        assertNull(topicOf("/api/v1/topics/a/b/events", ""), "a '/' in the topic: JAX-RS names the error");
        assertNull(topicOf("/api/v1/topics/a%2Eb/events", ""), "percent-encoding: JAX-RS decodes it");
        assertNull(topicOf("/api/v1/topics/a;x=1/events", ""), "matrix parameters: JAX-RS");
        assertNull(topicOf("/api/v1/topics/a*/events", ""));
        assertNull(topicOf("/api/v2/topics/a/events", ""));
        assertNull(topicOf("/ctx/api/v1/topics/a/events", ""), "outside the context path");
    }

    @Test
    void acceptsWhatJaxRsWouldAnswerWithJson() {
        assertTrue(acceptsJson(null));
        assertTrue(acceptsJson(""));
        assertTrue(acceptsJson("*/*"));
        assertTrue(acceptsJson("application/json"));
        assertTrue(acceptsJson("text/html, application/*;q=0.5"));
        assertTrue(acceptsJson("application/json; charset=utf-8"));
        assertFalse(acceptsJson("text/plain"));
        assertFalse(acceptsJson("application/json;q=0"));
        assertFalse(acceptsJson("application/xml, text/*"));
        assertFalse(acceptsJson("application/json;q=abc"), "unreadable: JAX-RS judges it");
    }
}
