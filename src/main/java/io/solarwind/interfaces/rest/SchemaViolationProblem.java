package io.solarwind.interfaces.rest;

import io.solarwind.application.TopicSchemas;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 400 {@code schema-violation}: an event's data fails its topic's schema. Besides {@code detail}
 * the problem names {@code path} (the JSON pointer of the failing place in the data, "" for the
 * whole), {@code rule} (the schema keyword, or {@code dataschema} / {@code json}) and the schema
 * {@code version}; in a batch, {@code index}.
 */
public class SchemaViolationProblem extends ProblemException {
    private final TopicSchemas.Violation violation;

    public SchemaViolationProblem(TopicSchemas.Violation violation, Integer index) {
        super(400, "schema-violation", "The event's data violates its topic's schema",
                (index == null ? "" : "event " + index + ": ") + violation.describe(), "data", index);
        this.violation = violation;
    }

    @Override
    public Map<String, String> extensions() {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("path", violation.path());
        members.put("rule", violation.rule());
        members.put("version", violation.version());
        return members;
    }
}
