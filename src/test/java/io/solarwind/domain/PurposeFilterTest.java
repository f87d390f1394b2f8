package io.solarwind.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.activemq.artemis.core.filter.Filter;
import org.apache.activemq.artemis.core.filter.impl.FilterImpl;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.junit.jupiter.api.Test;

/**
 * Parsing and validation of purpose filters, and their selectors run by Artemis's own selector
 * (the one a queue filter and the dispatcher use) against the CloudEvents semantics.
 */
class PurposeFilterTest {
    private static JsonValue json(String text) {
        try (var reader = Json.createReader(new StringReader(text.replace('`', '"')))) {
            return reader.readValue();
        }
    }

    private static PurposeFilter filter(String text) {
        return PurposeFilter.parse(json(text), "filter");
    }

    /** Whether Artemis's selector of the filter takes an event with these attributes. */
    private static boolean brokerMatches(PurposeFilter f, Map<String, String> attributes) throws Exception {
        Filter selector = FilterImpl.createFilter(f.selector());
        CoreMessage message = new CoreMessage(1, 64);
        attributes.forEach((name, value) -> message.putStringProperty("ce_" + name, value));
        return selector.match(message);
    }

    private static void refused(String text, String field, String expected) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> filter(text), text);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void exactPrefixAndSuffixMatchPresentAttributesOnly() throws Exception {
        PurposeFilter exact = filter("{`exact`:{`source`:`/orders`}}");
        assertTrue(brokerMatches(exact, Map.of("source", "/orders")));
        assertFalse(brokerMatches(exact, Map.of("source", "/orders/1")));
        assertFalse(brokerMatches(exact, Map.of("source", "/ORDERS")));
        assertFalse(brokerMatches(exact, Map.of()));
        PurposeFilter prefix = filter("{`prefix`:{`subject`:`eu-`}}");
        assertTrue(brokerMatches(prefix, Map.of("subject", "eu-west")));
        assertTrue(brokerMatches(prefix, Map.of("subject", "eu-")));
        assertFalse(brokerMatches(prefix, Map.of("subject", "us-eu-")));
        assertFalse(brokerMatches(prefix, Map.of()));
        PurposeFilter suffix = filter("{`suffix`:{`subject`:`.pdf`}}");
        assertTrue(brokerMatches(suffix, Map.of("subject", "a.pdf")));
        assertFalse(brokerMatches(suffix, Map.of("subject", "a.pdfx")));
        assertFalse(brokerMatches(suffix, Map.of("subject", "aXpdf")), "a dot is no wildcard");
        assertFalse(brokerMatches(suffix, Map.of()));
    }

    @Test
    void severalAttributesOfOneDialectMustAllMatch() throws Exception {
        PurposeFilter f = filter("{`exact`:{`source`:`/a`,`region`:`eu`}}");
        assertTrue(brokerMatches(f, Map.of("source", "/a", "region", "eu")));
        assertFalse(brokerMatches(f, Map.of("source", "/a")));
        assertFalse(brokerMatches(f, Map.of("source", "/a", "region", "us")));
    }

    @Test
    void notOfAnAbsentAttributeMatches() throws Exception {
        // CloudEvents: an absent attribute does not match exact, so not(exact) does; SQL's NULL would say unknown
        for (String dialect : List.of("exact", "prefix", "suffix")) {
            PurposeFilter f = filter("{`not`:{`" + dialect + "`:{`region`:`eu`}}}");
            assertTrue(brokerMatches(f, Map.of()), dialect);
            assertTrue(brokerMatches(f, Map.of("region", "us")), dialect);
            assertFalse(brokerMatches(f, Map.of("region", "eu")), dialect);
        }
        PurposeFilter twice = filter("{`not`:{`not`:{`exact`:{`region`:`eu`}}}}");
        assertFalse(brokerMatches(twice, Map.of()));
        assertTrue(brokerMatches(twice, Map.of("region", "eu")));
        PurposeFilter notAll = filter("{`not`:{`all`:[{`exact`:{`a`:`1`}},{`exact`:{`b`:`2`}}]}}");
        assertTrue(brokerMatches(notAll, Map.of("a", "1")));
        assertFalse(brokerMatches(notAll, Map.of("a", "1", "b", "2")));
    }

    @Test
    void valuesCannotBreakOutOfTheirLiteralsOrActAsWildcards() throws Exception {
        String hostile = "x' OR ce_type IS NOT NULL OR 'a'='a";
        PurposeFilter f = PurposeFilter.parse(Json.createObjectBuilder().add("exact", Json.createObjectBuilder()
                .add("source", hostile)).build(), "filter");
        assertTrue(brokerMatches(f, Map.of("source", hostile)));
        assertFalse(brokerMatches(f, Map.of("source", "x", "type", "t")));
        for (String value : List.of("50%_off", "a!b", "!%", "a\\b", ".*", "[a-z]", "(x)", "$1", "\n", "''", "_")) {
            PurposeFilter prefix = PurposeFilter.parse(Json.createObjectBuilder().add("prefix", Json.createObjectBuilder()
                    .add("subject", value)).build(), "filter");
            assertTrue(brokerMatches(prefix, Map.of("subject", value + "tail")), value);
            assertFalse(brokerMatches(prefix, Map.of("subject", "Z" + value)), value);
            String other = value.replace('%', 'Q').replace('_', 'Q').replace('.', 'Q').replace('*', 'Q');
            if (!other.equals(value)) {
                assertFalse(brokerMatches(prefix, Map.of("subject", other)), value + " vs " + other);
            }
            PurposeFilter suffix = PurposeFilter.parse(Json.createObjectBuilder().add("suffix", Json.createObjectBuilder()
                    .add("subject", value)).build(), "filter");
            assertTrue(brokerMatches(suffix, Map.of("subject", "head" + value)), value);
            PurposeFilter exact = PurposeFilter.parse(Json.createObjectBuilder().add("exact", Json.createObjectBuilder()
                    .add("subject", value)).build(), "filter");
            assertTrue(brokerMatches(exact, Map.of("subject", value)), value);
            assertFalse(brokerMatches(exact, Map.of("subject", value + "x")), value);
        }
    }

    /** The CloudEvents Subscriptions API's meaning of a filter, written plainly: the reference. */
    private static boolean reference(JsonObject f, Map<String, String> event) {
        String dialect = f.keySet().iterator().next();
        return switch (dialect) {
            case "exact", "prefix", "suffix" -> f.getJsonObject(dialect).entrySet().stream().allMatch(t -> {
                String v = event.get(t.getKey());
                String want = ((jakarta.json.JsonString) t.getValue()).getString();
                return v != null && (dialect.equals("exact") ? v.equals(want)
                        : dialect.equals("prefix") ? v.startsWith(want) : v.endsWith(want));
            });
            case "all" -> f.getJsonArray("all").stream().allMatch(c -> reference(c.asJsonObject(), event));
            case "any" -> f.getJsonArray("any").stream().anyMatch(c -> reference(c.asJsonObject(), event));
            case "not" -> !reference(f.getJsonObject("not"), event);
            default -> throw new IllegalArgumentException(dialect);
        };
    }

    private static final String[] ATTRIBUTES = {"source", "subject", "region"};
    private static final String[] VALUES = {"a", "ab", "b", "a%", "%", "_b", "a'b", "!"};

    private static JsonObject randomFilter(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 3 : 6);
        return switch (kind) {
            case 0, 1, 2 -> Json.createObjectBuilder().add(new String[] {"exact", "prefix", "suffix"}[kind],
                    Json.createObjectBuilder().add(ATTRIBUTES[random.nextInt(ATTRIBUTES.length)], VALUES[random.nextInt(VALUES.length)]))
                    .build();
            case 3, 4 -> {
                JsonArrayBuilder children = Json.createArrayBuilder();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    children.add(randomFilter(random, depth + 1));
                }
                yield Json.createObjectBuilder().add(kind == 3 ? "all" : "any", children).build();
            }
            default -> Json.createObjectBuilder().add("not", randomFilter(random, depth + 1)).build();
        };
    }

    @Test
    void selectorsAgreeWithTheCloudEventsMeaningOnRandomFiltersAndEvents() throws Exception {
        Random random = new Random(17);
        int matched = 0;
        for (int i = 0; i < 400; i++) {
            JsonObject json = randomFilter(random, 0);
            PurposeFilter f = PurposeFilter.parse(json, "filter");
            for (int j = 0; j < 20; j++) {
                Map<String, String> event = new HashMap<>();
                for (String attribute : ATTRIBUTES) {
                    if (random.nextInt(3) > 0) {
                        event.put(attribute, VALUES[random.nextInt(VALUES.length)] + (random.nextBoolean() ? "" : VALUES[random.nextInt(VALUES.length)]));
                    }
                }
                boolean expected = reference(json, event);
                matched += expected ? 1 : 0;
                assertEquals(expected, brokerMatches(f, event), json + " on " + event + "; selector " + f.selector());
            }
        }
        assertTrue(matched > 1000 && matched < 7000, "both outcomes are exercised: " + matched + " of 8000 matched");
    }

    @Test
    void refusesMalformedFiltersNamingTheField() {
        refused("`x`", "filter", "must be an object");
        refused("{}", "filter", "must be an object with one of");
        refused("{`exact`:{`a`:`1`},`prefix`:{`a`:`1`}}", "filter", "must be an object with one of");
        refused("{`regex`:{`a`:`1`}}", "filter.regex", "no dialect 'regex'");
        refused("{`exact`:{}}", "filter.exact", "object of attribute to value");
        refused("{`exact`:[`a`]}", "filter.exact", "object of attribute to value");
        refused("{`exact`:{`a`:1}}", "filter.exact.a", "must be a string");
        refused("{`exact`:{`Source`:`x`}}", "filter.exact", "not a CloudEvents attribute name");
        refused("{`exact`:{`a b`:`x`}}", "filter.exact", "not a CloudEvents attribute name");
        refused("{`prefix`:{`ce_type`:`x`}}", "filter.prefix", "not a CloudEvents attribute name");
        refused("{`any`:[]}", "filter.any", "non-empty array");
        refused("{`all`:{`exact`:{`a`:`1`}}}", "filter.all", "non-empty array");
        refused("{`any`:[{`exact`:{`a`:`1`}},{`exact`:{`a`:2}}]}", "filter.any[1].exact.a", "must be a string");
        refused("{`any`:[{`exact`:{`a`:`1`}},{`exact`:5}]}", "filter.any[1].exact", "object of attribute to value");
        refused("{`not`:[]}", "filter.not", "must be an object");
        refused("{`all`:[{`not`:{`suffix`:{`a`:null}}}]}", "filter.all[0].not.suffix.a", "must be a string");
        String deep = "{`exact`:{`a`:`1`}}";
        for (int i = 0; i < PurposeFilter.MAX_DEPTH; i++) {
            deep = "{`not`:" + deep + "}";
        }
        refused(deep, "filter" + ".not".repeat(PurposeFilter.MAX_DEPTH), "deeper than");
        JsonArrayBuilder many = Json.createArrayBuilder();
        for (int i = 0; i < PurposeFilter.MAX_TERMS; i++) {
            many.add(Json.createObjectBuilder().add("exact", Json.createObjectBuilder().add("a", "v" + i)));
        }
        JsonArray tooMany = many.build();
        assertThrows(InvalidInputException.class, () -> PurposeFilter.parse(Json.createObjectBuilder().add("any", tooMany).build(), "filter"));
        assertThrows(InvalidInputException.class, () -> PurposeFilter.parse(Json.createObjectBuilder().add("exact",
                Json.createObjectBuilder().add("a", "x".repeat(PurposeFilter.MAX_VALUE + 1))).build(), "filter"));
    }

    @Test
    void sameFiltersAreEqualWhateverTheirAttributeOrder() {
        PurposeFilter a = filter("{`exact`:{`region`:`eu`,`source`:`/a`}}");
        PurposeFilter b = filter("{`exact`:{`source`:`/a`,`region`:`eu`}}");
        assertEquals(a, b);
        assertEquals(a.canonical(), b.canonical());
        assertEquals(a.selector(), b.selector());
        assertNotEquals(a, filter("{`exact`:{`source`:`/a`}}"));
        assertTrue(PurposeFilter.same(null, null));
        assertFalse(PurposeFilter.same(a, null));
    }

    @Test
    void canonicalJsonReadsBackAsTheSameFilter() {
        PurposeFilter f = filter("{`any`:[{`prefix`:{`subject`:`eu-`}},{`not`:{`exact`:{`source`:`/legacy`}}},"
                + "{`all`:[{`suffix`:{`subject`:`.pdf`}},{`exact`:{`myext`:`it's`}}]}]}");
        PurposeFilter back = PurposeFilter.parse(f.canonical());
        assertEquals(f, back);
        assertEquals(f.selector(), back.selector());
        assertEquals(json(f.canonical()), f.toJson());
    }
}
