package io.solarwind.domain;

import java.util.regex.Pattern;

/**
 * The kind of an event, equal to its CloudEvents {@code type} ({@code video.uploaded}).
 * Letters, digits, '.', '_' and '-', starting with a letter or digit, 1 to 200 characters:
 * no broker wildcard ({@code # * >}), no {@code ::}, no '/', no white space.
 */
public record Topic(String name) {
    public static final int MAX_LENGTH = 200;
    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public Topic {
        Names.check("topic", name, PATTERN, MAX_LENGTH,
                "a topic starts with a letter or digit and holds only letters, digits, '.', '_' and '-'");
    }

    /** Whether a name is a valid topic, without building an exception when it is not. */
    public static boolean isValid(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX_LENGTH && PATTERN.matcher(name).matches();
    }

    public static Topic of(String name) {
        return new Topic(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
