package io.solarwind.domain;

import java.util.regex.Pattern;

/** The one place where topic and purpose names are checked. */
final class Names {
    private Names() {
    }

    static String check(String field, String value, Pattern pattern, int max, String rule) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(field, field + " must not be empty");
        }
        if (value.length() > max) {
            throw new InvalidInputException(field,
                    field + " is " + value.length() + " characters long; at most " + max + " are allowed");
        }
        if (!pattern.matcher(value).matches()) {
            throw new InvalidInputException(field, field + " '" + printable(value) + "' is not allowed: " + rule);
        }
        return value;
    }

    /** Shows control characters and long values safely inside an error message. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(80).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        if (value.codePointCount(0, value.length()) > 80) {
            out.append("...");
        }
        return out.toString();
    }
}
