package io.casewatch.replay.imports;

/**
 * A mapping file that cannot be used: an unknown key, a wrong type, a column that is not in the CSV header. The
 * message names the offending place by its JSON path (e.g. {@code events[2].at.column}), because an import must
 * never run on a half-understood mapping.
 */
public final class MappingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MappingException(String message) {
        super(message);
    }
}
