package io.solarwind.interfaces.rest;

import io.solarwind.config.Setting;

/** An HTTP error answered with a problem document. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;
    private final String field;
    private final Integer index;

    public ProblemException(int status, String type, String title, String detail, String field) {
        this(status, type, title, detail, field, null);
    }

    /** With {@code index}: the position of the bad event in a batch (the problem's {@code index} member). */
    public ProblemException(int status, String type, String title, String detail, String field, Integer index) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.field = field;
        this.index = index;
    }

    /**
     * 413 "Content too large": {@code what} has {@code size} (bytes, or events), at most
     * {@code limit} are accepted; {@code setting} (or null for a fixed limit) is the setting that
     * says so; {@code index} the bad event's position in a batch, or null.
     */
    public static ProblemException tooLarge(String what, String size, long limit, String unit, Setting setting,
                                            String field, Integer index) {
        return new ProblemException(413, "too-large", "Content too large", what + " has " + size + " " + unit + "; at most " + limit
                + " are accepted" + (setting == null ? "" : " (" + setting.key() + ")"), field, index);
    }

    /** The position of the bad event in a batch, or null. */
    public Integer index() {
        return index;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }

    /** Members of this kind of problem beyond the standard ones (name to text), in order; none by default. */
    public java.util.Map<String, String> extensions() {
        return java.util.Map.of();
    }
}
