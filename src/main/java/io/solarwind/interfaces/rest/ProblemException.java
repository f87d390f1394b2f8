package io.solarwind.interfaces.rest;

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
}
