package io.solarwind.application;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.solarwind.domain.InvalidInputException;
import io.solarwind.domain.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The optional JSON Schema of a topic's event data, checked before dispatch: over HTTP a violating
 * event is refused (400), over JMS or AMQP the dispatcher dead-letters it with the reason.
 *
 * <p><b>Versions.</b> A topic may have several schemas, each under a version name: the {@code
 * version} given when it is put, else its {@code $id}, else {@value #DEFAULT_VERSION}. An event whose
 * {@code dataschema} equals a version's name is checked against that version; an event without
 * {@code dataschema} against the version put last (the topic's current one); an event whose
 * {@code dataschema} names no version of the topic is refused (its producer speaks a schema the
 * topic does not know).
 *
 * <p><b>Which events.</b> Only events whose data is JSON: {@code datacontenttype} absent,
 * {@code application/json}, {@code text/json} or any {@code .../...+json}, parameters ignored. Data
 * of another content type is not checked (a schema describes JSON). A topic without a schema costs
 * one map look-up per event.
 *
 * <p>Validation is by com.networknt:json-schema-validator, dialect 2020-12 unless the schema's
 * {@code $schema} names another; remote {@code $ref}s are not fetched (a schema is self-contained).
 */
@ApplicationScoped
public class TopicSchemas {
    public static final String DEFAULT_VERSION = "default";
    private static final SchemaRegistry VALIDATORS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));

    private SchemaStore store;
    private final Map<String, Compiled> byTopic = new ConcurrentHashMap<>();

    protected TopicSchemas() {
    }

    @Inject
    public TopicSchemas(SchemaStore store) {
        this.store = store;
    }

    /** A topic's schemas as stored and announced: its versions' texts by name, and the current one (null when none). */
    public record Record(String topic, String current, Map<String, String> versions) {
        public Record {
            versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        }

        public boolean isEmpty() {
            return versions.isEmpty();
        }
    }

    /** Why an event's data fails its topic's schema: the JSON pointer into the data, the schema keyword, the message. */
    public record Violation(String version, String path, String rule, String message, int count) {
        public String describe() {
            return "data" + (path.isEmpty() ? "" : " at " + path) + " violates the topic's schema (version '" + version + "'): "
                    + rule + ": " + message + (count > 1 ? " (and " + (count - 1) + " more)" : "");
        }
    }

    private record Compiled(Record record, Map<String, Schema> schemas) {
    }

    /** Reads every topic's schemas and listens for changes made through any server. */
    public void load() {
        store.listen(this::apply);
        Map<String, Compiled> loaded = new ConcurrentHashMap<>();
        for (Record record : store.loadAll()) {
            if (!record.isEmpty()) {
                loaded.put(record.topic(), compile(record));
            }
        }
        byTopic.keySet().retainAll(loaded.keySet());
        byTopic.putAll(loaded);
    }

    /** A record written by this or another server. */
    public void apply(Record record) {
        if (record.isEmpty()) {
            byTopic.remove(record.topic());
        } else {
            byTopic.put(record.topic(), compile(record));
        }
    }

    public Optional<Record> of(Topic topic) {
        Compiled c = byTopic.get(topic.name());
        return c == null ? Optional.empty() : Optional.of(c.record());
    }

    /**
     * Puts a schema under its version name (see the class comment) and makes it the topic's current
     * one; returns the topic's schemas. A body that is no JSON Schema is a 400.
     */
    public synchronized Record put(Topic topic, String version, String schemaText) {
        JsonValue schema = parse(schemaText);
        String name = version != null && !version.isBlank() ? version.trim() : idOf(schema).orElse(DEFAULT_VERSION);
        if (name.length() > 1000) {
            throw new InvalidInputException("version", "a version name has at most 1000 characters");
        }
        String text = schema.toString();
        compileOne(text, "schema");
        Map<String, String> versions = new LinkedHashMap<>(of(topic).map(Record::versions).orElse(Map.of()));
        versions.remove(name);
        versions.put(name, text);
        Record record = new Record(topic.name(), name, versions);
        store.write(record);
        apply(record);
        return record;
    }

    /** Deletes one version (the last one put before it becomes current), or all with a null version; false when there was none. */
    public synchronized boolean delete(Topic topic, String version) {
        Record record = of(topic).orElse(null);
        if (record == null || (version != null && !record.versions().containsKey(version))) {
            return false;
        }
        Map<String, String> versions = new LinkedHashMap<>(record.versions());
        if (version == null) {
            versions.clear();
        } else {
            versions.remove(version);
        }
        String current = versions.isEmpty() ? null
                : version != null && !version.equals(record.current()) ? record.current() : List.copyOf(versions.keySet()).get(versions.size() - 1);
        Record changed = new Record(topic.name(), current, versions);
        store.write(changed);
        apply(changed);
        return true;
    }

    /** Whether any topic has a schema. */
    public boolean isEmpty() {
        return byTopic.isEmpty();
    }

    /** Whether the topic has a schema: a map look-up, so an event of a topic without one costs nothing more. */
    public boolean hasSchema(String topic) {
        return byTopic.containsKey(topic);
    }

    /**
     * Checks an event's data against its topic's schema; null when it passes, when the topic has no
     * schema or when the data is not JSON (see the class comment).
     */
    public Violation check(String topic, String dataschema, String contentType, byte[] data) {
        Compiled compiled = byTopic.get(topic);
        if (compiled == null || !isJson(contentType)) {
            return null;
        }
        String version = dataschema == null || dataschema.isEmpty() ? compiled.record().current() : dataschema;
        Schema schema = compiled.schemas().get(version);
        if (schema == null) {
            return new Violation(version, "", "dataschema", "the topic has no schema version '" + version + "' (it has "
                    + String.join(", ", compiled.record().versions().keySet()) + ")", 1);
        }
        String text = data == null || data.length == 0 ? "null" : new String(data, StandardCharsets.UTF_8); // no data is null
        List<Error> errors;
        try {
            errors = schema.validate(text, InputFormat.JSON);
        } catch (RuntimeException e) {
            return new Violation(version, "", "json", "the data is not JSON", 1);
        }
        if (errors.isEmpty()) {
            return null;
        }
        Error first = errors.get(0);
        return new Violation(version, pointer(first.getInstanceLocation()), first.getKeyword() == null ? "schema" : first.getKeyword(),
                first.getMessage(), errors.size());
    }

    /** JSON data: no content type, application/json, text/json or a +json suffix (parameters ignored). */
    public static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.equals("text/json") || type.endsWith("+json");
    }

    /** An instance location as an RFC 6901 JSON pointer ("" for the whole data). */
    static String pointer(NodePath path) {
        if (path == null) {
            return "";
        }
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            pointer.append('/').append(String.valueOf(element).replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    private static Compiled compile(Record record) {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        record.versions().forEach((name, text) -> schemas.put(name, compileOne(text, "schema")));
        return new Compiled(record, schemas);
    }

    private static Schema compileOne(String text, String field) {
        try {
            Schema schema = VALIDATORS.getSchema(text, InputFormat.JSON);
            schema.initializeValidators(); // reports a broken schema now, not at the first event
            return schema;
        } catch (RuntimeException e) {
            throw new InvalidInputException(field, "not a usable JSON Schema: " + e.getMessage());
        }
    }

    private static JsonValue parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT && value != JsonValue.TRUE && value != JsonValue.FALSE) {
                throw new InvalidInputException("schema", "a JSON Schema is a JSON object (or true, or false)");
            }
            return value;
        } catch (JsonParsingException e) {
            throw new InvalidInputException("schema", "the body is not JSON: " + e.getMessage());
        }
    }

    private static Optional<String> idOf(JsonValue schema) {
        if (schema instanceof JsonObject o && o.get("$id") instanceof JsonString id && !id.getString().isBlank()) {
            return Optional.of(id.getString());
        }
        return Optional.empty();
    }
}
