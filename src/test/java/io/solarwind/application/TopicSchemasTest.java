package io.solarwind.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.domain.InvalidInputException;
import io.solarwind.domain.Topic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TopicSchemasTest {
    private static final String ORDER_V1 = "{\"$id\":\"https://example.com/order/v1\",\"type\":\"object\",\"required\":[\"amount\"],"
            + "\"properties\":{\"amount\":{\"type\":\"number\",\"minimum\":0},\"lines\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}";
    private static final String ORDER_V2 = "{\"$id\":\"https://example.com/order/v2\",\"type\":\"object\",\"required\":[\"total\"]}";
    private static final Topic ORDERS = Topic.of("order.placed");

    /** A store in memory: what was written, and the listener it would call. */
    static final class MemoryStore implements SchemaStore {
        final List<TopicSchemas.Record> written = new ArrayList<>();
        Consumer<TopicSchemas.Record> listener;

        @Override
        public List<TopicSchemas.Record> loadAll() {
            return List.copyOf(written);
        }

        @Override
        public void write(TopicSchemas.Record record) {
            written.removeIf(r -> r.topic().equals(record.topic()));
            written.add(record);
        }

        @Override
        public void listen(Consumer<TopicSchemas.Record> listener) {
            this.listener = listener;
        }
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aTopicWithoutSchemaChecksNothing() {
        TopicSchemas schemas = new TopicSchemas(new MemoryStore());
        assertTrue(schemas.isEmpty());
        assertNull(schemas.check("order.placed", null, "application/json", json("not json at all")));
    }

    @Test
    void violationsNameTheJsonPointerAndTheRule() {
        TopicSchemas schemas = new TopicSchemas(new MemoryStore());
        schemas.put(ORDERS, null, ORDER_V1);
        assertNull(schemas.check("order.placed", null, "application/json", json("{\"amount\":3}")));
        TopicSchemas.Violation below = schemas.check("order.placed", null, "application/json", json("{\"amount\":-1}"));
        assertNotNull(below);
        assertEquals("/amount", below.path());
        assertEquals("minimum", below.rule());
        assertEquals("https://example.com/order/v1", below.version());
        TopicSchemas.Violation item = schemas.check("order.placed", null, "application/json; charset=utf-8",
                json("{\"amount\":1,\"lines\":[\"a\",7]}"));
        assertEquals("/lines/1", item.path());
        assertEquals("type", item.rule());
        TopicSchemas.Violation missing = schemas.check("order.placed", null, null, json("{}"));
        assertEquals("", missing.path());
        assertEquals("required", missing.rule());
        assertTrue(missing.describe().contains("required"), missing.describe());
        TopicSchemas.Violation notJson = schemas.check("order.placed", null, "application/json", json("{oops"));
        assertEquals("json", notJson.rule());
    }

    @Test
    void onlyJsonDataIsChecked() {
        TopicSchemas schemas = new TopicSchemas(new MemoryStore());
        schemas.put(ORDERS, null, ORDER_V1);
        assertNull(schemas.check("order.placed", null, "text/plain", json("anything")));
        assertNull(schemas.check("order.placed", null, "application/octet-stream", json("{\"amount\":-1}")));
        assertNotNull(schemas.check("order.placed", null, "application/vnd.order+json", json("{\"amount\":-1}")));
        assertTrue(TopicSchemas.isJson(null));
        assertTrue(TopicSchemas.isJson("Application/JSON; charset=UTF-8"));
        assertFalse(TopicSchemas.isJson("application/xml"));
    }

    @Test
    void dataschemaSelectsTheVersionAndTheLastPutIsCurrent() {
        MemoryStore store = new MemoryStore();
        TopicSchemas schemas = new TopicSchemas(store);
        schemas.put(ORDERS, null, ORDER_V1);
        TopicSchemas.Record record = schemas.put(ORDERS, null, ORDER_V2);
        assertEquals("https://example.com/order/v2", record.current());
        assertEquals(List.of("https://example.com/order/v1", "https://example.com/order/v2"), List.copyOf(record.versions().keySet()));
        // no dataschema: the current version (v2 wants total)
        assertEquals("required", schemas.check("order.placed", null, "application/json", json("{\"amount\":1}")).rule());
        // dataschema v1: checked against v1
        assertNull(schemas.check("order.placed", "https://example.com/order/v1", "application/json", json("{\"amount\":1}")));
        // a dataschema the topic does not know
        TopicSchemas.Violation unknown = schemas.check("order.placed", "https://example.com/order/v9", "application/json", json("{}"));
        assertEquals("dataschema", unknown.rule());
        // a named version beats $id
        assertEquals("3", schemas.put(ORDERS, "3", ORDER_V1).current());
        // deleting the current version makes the last remaining one current
        assertTrue(schemas.delete(ORDERS, "3"));
        assertEquals("https://example.com/order/v2", schemas.of(ORDERS).orElseThrow().current());
        assertFalse(schemas.delete(ORDERS, "nope"));
        assertTrue(schemas.delete(ORDERS, null));
        assertTrue(schemas.of(ORDERS).isEmpty());
        assertTrue(store.written.get(0).isEmpty(), "the deletion is stored as an empty record");
    }

    @Test
    void schemasComeBackFromTheStoreAndFromOtherServers() {
        MemoryStore store = new MemoryStore();
        new TopicSchemas(store).put(ORDERS, null, ORDER_V1);
        TopicSchemas restarted = new TopicSchemas(store);
        restarted.load();
        assertNotNull(restarted.check("order.placed", null, "application/json", json("{\"amount\":-1}")));
        // another server deletes them: the announcement reaches this one
        store.listener.accept(new TopicSchemas.Record("order.placed", null, java.util.Map.of()));
        assertNull(restarted.check("order.placed", null, "application/json", json("{\"amount\":-1}")));
    }

    @Test
    void aBodyThatIsNoSchemaIsRefused() {
        TopicSchemas schemas = new TopicSchemas(new MemoryStore());
        assertThrows(InvalidInputException.class, () -> schemas.put(ORDERS, null, "[1,2]"));
        assertThrows(InvalidInputException.class, () -> schemas.put(ORDERS, null, "{not json"));
        assertThrows(InvalidInputException.class, () -> schemas.put(ORDERS, null, "{\"type\":\"object\",\"$ref\":\"#/$defs/missing\"}"));
        assertTrue(schemas.isEmpty());
    }
}
