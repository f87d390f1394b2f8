package io.solarwind.domain;

import java.util.regex.Pattern;

/**
 * What a group of service instances does with a topic's events ({@code encode-mp4}).
 * Letters, digits, '_' and '-', starting with a letter or digit, 1 to 100 characters; no dots.
 */
public record Purpose(String name) {
    public static final int MAX_LENGTH = 100;
    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    public Purpose {
        Names.check("purpose", name, PATTERN, MAX_LENGTH,
                "a purpose starts with a letter or digit and holds only letters, digits, '_' and '-' (no dots)");
    }

    public static Purpose of(String name) {
        return new Purpose(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
