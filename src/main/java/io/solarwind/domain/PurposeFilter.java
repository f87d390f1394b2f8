package io.solarwind.domain;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which events of its topic reach a purpose: a filter in the dialects of the CloudEvents
 * Subscriptions API ({@code exact}, {@code prefix}, {@code suffix}: an object of attribute to
 * value, every entry must match; {@code all}, {@code any}: a non-empty array of filters;
 * {@code not}: one filter), over the event's attributes and extensions. An attribute the event
 * lacks matches no {@code exact}, {@code prefix} or {@code suffix} (so {@code not} of it matches).
 *
 * <p>The broker applies it ({@link #selector()}: a message selector over the {@code ce_<attribute>}
 * properties the events travel with, every value quoted and escaped, every comparison guarded
 * against the attribute's absence so SQL's unknown never reaches a {@code NOT}). Two filters are
 * the same when their {@link #toJson() canonical JSON} is.
 */
public final class PurposeFilter {
    /** A CloudEvents attribute name: lower-case letters and digits (the specification's rule). */
    private static final Pattern ATTRIBUTE = Pattern.compile("[a-z0-9]{1,20}");
    /** Most dialect objects and attribute tests in one filter: its selector stays small. */
    static final int MAX_TERMS = 64;
    /** Deepest nesting of {@code all}, {@code any} and {@code not}. */
    static final int MAX_DEPTH = 8;
    /** Longest value an attribute is compared with. */
    static final int MAX_VALUE = 1024;
    /** The LIKE escape character of the selectors. */
    private static final char ESCAPE = '!';

    private final Node root;
    private final String json;
    private final String selector;

    private PurposeFilter(Node root) {
        this.root = root;
        this.json = root.json().toString();
        StringBuilder s = new StringBuilder();
        root.selector(s);
        this.selector = s.toString();
    }

    /**
     * Reads a filter from its JSON form; {@code field} names it in the errors (e.g. {@code filter}),
     * which name the failing part ({@code filter.any[1].exact}).
     *
     * @throws InvalidInputException for anything but a well-formed filter
     */
    public static PurposeFilter parse(JsonValue value, String field) {
        int[] terms = {0};
        return new PurposeFilter(node(value, field, 1, terms));
    }

    /** Reads a filter from its canonical JSON text (as stored). */
    public static PurposeFilter parse(String json) {
        try (var reader = Json.createReader(new java.io.StringReader(json))) {
            return parse(reader.readValue(), "filter");
        } catch (jakarta.json.JsonException e) {
            throw new InvalidInputException("filter", "filter is not JSON: " + e.getMessage());
        }
    }

    /** The canonical JSON form: what the API shows and the registry stores. */
    public JsonValue toJson() {
        return root.json();
    }

    /** The canonical JSON text. */
    public String canonical() {
        return json;
    }

    /** The JMS/Artemis message selector that holds exactly for the matching events. */
    public String selector() {
        return selector;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PurposeFilter other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }

    /** Whether two filters, either possibly null (no filter), are the same. */
    public static boolean same(PurposeFilter a, PurposeFilter b) {
        return a == null ? b == null : a.equals(b);
    }

    private static Node node(JsonValue value, String field, int depth, int[] terms) {
        if (!(value instanceof JsonObject object) || object.size() != 1) {
            throw new InvalidInputException(field, field + " must be an object with one of exact, prefix, suffix, all, any, not,"
                    + " like {\"exact\":{\"source\":\"/orders\"}}, not " + value);
        }
        if (depth > MAX_DEPTH) {
            throw new InvalidInputException(field, field + " nests deeper than " + MAX_DEPTH + " levels");
        }
        if (++terms[0] > MAX_TERMS) {
            throw new InvalidInputException(field, "the filter has more than " + MAX_TERMS + " terms");
        }
        Map.Entry<String, JsonValue> dialect = object.entrySet().iterator().next();
        String path = field + "." + dialect.getKey();
        JsonValue body = dialect.getValue();
        switch (dialect.getKey()) {
            case "exact", "prefix", "suffix" -> {
                if (!(body instanceof JsonObject tests) || tests.isEmpty()) {
                    throw new InvalidInputException(path, path + " must be an object of attribute to value, like"
                            + " {\"source\":\"/orders\"}, not " + body);
                }
                Map<String, String> sorted = new TreeMap<>();
                for (Map.Entry<String, JsonValue> test : tests.entrySet()) {
                    String attribute = test.getKey();
                    if (!ATTRIBUTE.matcher(attribute).matches()) {
                        throw new InvalidInputException(path, path + " names '" + attribute + "', not a CloudEvents attribute"
                                + " name (1 to 20 lower-case letters and digits)");
                    }
                    if (!(test.getValue() instanceof JsonString s)) {
                        throw new InvalidInputException(path + "." + attribute, path + "." + attribute + " must be a string, not "
                                + test.getValue());
                    }
                    if (s.getString().length() > MAX_VALUE) {
                        throw new InvalidInputException(path + "." + attribute, path + "." + attribute + " is longer than "
                                + MAX_VALUE + " characters");
                    }
                    if (++terms[0] > MAX_TERMS) {
                        throw new InvalidInputException(path, "the filter has more than " + MAX_TERMS + " terms");
                    }
                    sorted.put(attribute, s.getString());
                }
                return new Match(dialect.getKey(), sorted);
            }
            case "all", "any" -> {
                if (!(body instanceof JsonArray array) || array.isEmpty()) {
                    throw new InvalidInputException(path, path + " must be a non-empty array of filters, not " + body);
                }
                List<Node> children = new ArrayList<>();
                for (int i = 0; i < array.size(); i++) {
                    children.add(node(array.get(i), path + "[" + i + "]", depth + 1, terms));
                }
                return new Combination(dialect.getKey(), children);
            }
            case "not" -> {
                return new Not(node(body, path, depth + 1, terms));
            }
            default -> throw new InvalidInputException(path, field + " has no dialect '" + dialect.getKey()
                    + "'; it has exact, prefix, suffix, all, any, not");
        }
    }

    /** A string literal of a selector: quotes doubled. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** A LIKE pattern's literal part: its wildcards and the escape character escaped. */
    static String likeEscaped(String value) {
        StringBuilder s = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            if (c == '%' || c == '_' || c == ESCAPE) {
                s.append(ESCAPE);
            }
            s.append(c);
        }
        return s.toString();
    }

    private interface Node {
        JsonValue json();

        void selector(StringBuilder s);
    }

    /** exact, prefix or suffix: every attribute named has a value that matches. */
    private record Match(String dialect, Map<String, String> tests) implements Node {
        @Override
        public JsonValue json() {
            JsonObjectBuilder values = Json.createObjectBuilder();
            tests.forEach(values::add);
            return Json.createObjectBuilder().add(dialect, values).build();
        }

        @Override
        public void selector(StringBuilder s) {
            s.append('(');
            boolean first = true;
            for (Map.Entry<String, String> test : tests.entrySet()) {
                if (!first) {
                    s.append(" AND ");
                }
                first = false;
                // the attribute names are checked: letters and digits only, no way out of an identifier
                String property = "ce_" + test.getKey();
                // IS NOT NULL first: an absent attribute makes the test false, never unknown
                s.append(property).append(" IS NOT NULL AND ").append(property);
                switch (dialect) {
                    case "exact" -> s.append(" = ").append(literal(test.getValue()));
                    case "prefix" -> s.append(" LIKE ").append(literal(likeEscaped(test.getValue()) + "%"))
                            .append(" ESCAPE '").append(ESCAPE).append('\'');
                    default -> s.append(" LIKE ").append(literal("%" + likeEscaped(test.getValue())))
                            .append(" ESCAPE '").append(ESCAPE).append('\'');
                }
            }
            s.append(')');
        }
    }

    /** all or any of its filters. */
    private record Combination(String dialect, List<Node> children) implements Node {
        @Override
        public JsonValue json() {
            JsonArrayBuilder array = Json.createArrayBuilder();
            children.forEach(c -> array.add(c.json()));
            return Json.createObjectBuilder().add(dialect, array).build();
        }

        @Override
        public void selector(StringBuilder s) {
            s.append('(');
            for (int i = 0; i < children.size(); i++) {
                if (i > 0) {
                    s.append(dialect.equals("all") ? " AND " : " OR ");
                }
                children.get(i).selector(s);
            }
            s.append(')');
        }
    }

    /** not: its filter does not match. */
    private record Not(Node child) implements Node {
        @Override
        public JsonValue json() {
            return Json.createObjectBuilder().add("not", child.json()).build();
        }

        @Override
        public void selector(StringBuilder s) {
            s.append("(NOT ");
            child.selector(s);
            s.append(')');
        }
    }
}
