package io.solarwind.interfaces.rest;

/** An HTTP error answered with a problem document. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;
    private final String field;

    public ProblemException(int status, String type, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.field = field;
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
