package io.casewatch.cases;

/** An event that is well-formed but makes no sense; it is dead-lettered with its reason and the case is untouched. */
public final class InvalidEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Dead-letter reasons (the {@code casewatch.reason} header and the metric tag). */
    public enum Reason {
        UNDECODABLE, EMPTY_VALUE, MISSING_CASE_ID, KEY_MISMATCH, UNKNOWN_ENUM, TIME_OUT_OF_RANGE, TEXT_TOO_LONG,
        UNKNOWN_ALERT, ORPHAN_CONTACT, PROCESSING_ERROR
    }

    private final Reason reason;

    public InvalidEventException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
