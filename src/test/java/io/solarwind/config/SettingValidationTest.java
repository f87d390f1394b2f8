package io.solarwind.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Every setting is checked once at start; a bad value is named with its setting. */
class SettingValidationTest {
    private static List<String> problems(Map<String, String> values) {
        return Setting.problems(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void theDefaultsAreGood() {
        assertEquals(List.of(), problems(Map.of()));
    }

    @Test
    void aBatchSizeThatIsNoNumberIsNamedWithItsValueAndEnvironmentVariable() {
        List<String> problems = problems(Map.of("solarwind.dispatch.batch-size", "x"));
        assertEquals(1, problems.size(), problems.toString());
        String problem = problems.get(0);
        assertTrue(problem.contains("solarwind.dispatch.batch-size"), problem);
        assertTrue(problem.contains("SOLARWIND_DISPATCH_BATCH_SIZE"), problem);
        assertTrue(problem.contains("'x'"), problem);
        assertTrue(problem.contains("a whole number from 1 to"), problem);
    }

    @Test
    void outOfRangeValuesBadBooleansAndUnknownChoicesAreRefused() {
        List<String> problems = problems(Map.of(
                "solarwind.dispatch.batch-size", "0",
                "solarwind.broker.port", "70000",
                "solarwind.broker.embedded", "yes",
                "solarwind.broker.ha", "leader",
                "solarwind.redelivery.multiplier", "0.5",
                "solarwind.events.max-bytes", "99999999999"));
        assertEquals(6, problems.size(), problems.toString());
        String all = String.join("\n", problems);
        for (String key : List.of("batch-size (environment variable SOLARWIND_DISPATCH_BATCH_SIZE) is '0'", "broker.port (environment variable SOLARWIND_BROKER_PORT) is '70000'",
                "embedded (environment variable SOLARWIND_BROKER_EMBEDDED) is 'yes'; it must be true or false",
                "broker.ha (environment variable SOLARWIND_BROKER_HA) is 'leader'; it must be one of none, primary, backup",
                "multiplier (environment variable SOLARWIND_REDELIVERY_MULTIPLIER) is '0.5'", "max-bytes (environment variable SOLARWIND_EVENTS_MAX_BYTES) is '99999999999'")) {
            assertTrue(all.contains(key), key + " in\n" + all);
        }
    }

    @Test
    void goodValuesWithSpacesAndAnyCasePass() {
        assertEquals(List.of(), problems(Map.of("solarwind.dispatch.batch-size", " 50 ", "solarwind.broker.embedded", "FALSE",
                "solarwind.broker.ha", "Primary", "solarwind.redelivery.multiplier", "1.5")));
    }

    @Test
    void aDefaultRedeliveryWhoseLongestDelayIsShorterThanItsFirstIsRefused() {
        List<String> problems = problems(Map.of("solarwind.redelivery.delay-millis", "5000",
                "solarwind.redelivery.max-delay-millis", "1000"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("solarwind.redelivery.max-delay-millis is '1000'"), problems.get(0));
    }

    @Test
    void everySettingWithANumberDefaultIsChecked() {
        // a setting whose default is a number but that takes any text would let "x" through to the thread reading it
        for (Setting s : Setting.values()) {
            if (s.defaultValue().matches("-?[0-9.]+")) {
                assertTrue(s.problem("x") != null, s.key() + " takes 'x'");
            }
        }
    }

    @Test
    void anEventLimitAboveTheLargestBodyLibertyLetsThroughIsRefused() {
        List<String> problems = problems(Map.of("solarwind.events.max-bytes", "20000000"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("solarwind.events.max-bytes is '20000000', above solarwind.http.max-message-bytes ('16777216')"),
                problems.get(0));
        assertEquals(List.of(), problems(Map.of("solarwind.events.max-bytes", "20000000", "solarwind.http.max-message-bytes", "20000000")));
    }

    @Test
    void aBatchLimitAboveTheLargestBodyLibertyLetsThroughIsRefused() {
        List<String> problems = problems(Map.of("solarwind.http.batch.max-bytes", "20000000"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("solarwind.http.batch.max-bytes is '20000000', above solarwind.http.max-message-bytes ('16777216')"),
                problems.get(0));
        assertEquals(List.of(), problems(Map.of("solarwind.http.batch.max-bytes", "20000000", "solarwind.http.max-message-bytes", "20000000")));
        assertEquals(1, problems(Map.of("solarwind.http.batch.max-events", "0")).size());
    }
}
