package io.solarwind.domain;

/** Input that breaks a rule of the contract; it names the field and says what was wrong. */
public class InvalidInputException extends RuntimeException {
    private final String field;

    public InvalidInputException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    /** The request field, header or path segment that was wrong. */
    public String field() {
        return field;
    }
}
