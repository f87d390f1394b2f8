package io.solarwind.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * What values a {@link Setting} takes: the check returns null for a good value, else what the
 * value must be ("a whole number from 1 to 2147483647"), for the start-up refusal to name.
 */
@FunctionalInterface
public interface SettingCheck {
    /** Any text. */
    SettingCheck ANY = value -> null;
    /** {@code true} or {@code false}, in any case. */
    SettingCheck BOOLEAN = value -> value.trim().equalsIgnoreCase("true") || value.trim().equalsIgnoreCase("false")
            ? null : "true or false";
    /** A TCP port. */
    SettingCheck PORT = wholeNumber(1, 65_535);

    /** Null when the value is good, else what it must be. */
    String problem(String value);

    static SettingCheck wholeNumber(long min, long max) {
        return value -> inRange(value, min, max);
    }

    private static String inRange(String value, long min, long max) {
        String must = "a whole number from " + min + " to " + max;
        try {
            long n = Long.parseLong(value.trim());
            return n >= min && n <= max ? null : must;
        } catch (NumberFormatException e) {
            return must;
        }
    }

    static SettingCheck number(double min, double max) {
        return value -> {
            String must = "a number from " + min + " to " + max;
            try {
                double n = Double.parseDouble(value.trim());
                return !Double.isNaN(n) && n >= min && n <= max ? null : must;
            } catch (NumberFormatException e) {
                return must;
            }
        };
    }

    static SettingCheck oneOf(String... allowed) {
        return value -> Arrays.asList(allowed).contains(value.trim().toLowerCase(Locale.ROOT))
                ? null : "one of " + String.join(", ", allowed);
    }
}
