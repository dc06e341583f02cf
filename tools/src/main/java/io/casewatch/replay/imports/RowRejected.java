package io.casewatch.replay.imports;

/**
 * A CSV row that does not map to events. Thrown by the row mapper and caught by the importer, which counts it
 * and goes on; {@link #kind()} plus {@link #column()} is what the summary groups by.
 */
public final class RowRejected extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a row was rejected, as the summary counts it. */
    public enum Kind {
        MISSING_VALUE("missing value"),
        UNPARSEABLE_TIME("unparseable date/time"),
        UNKNOWN_VALUE("unknown value"),
        NOT_A_NUMBER("not a number"),
        OUT_OF_ORDER("events out of order"),
        WRONG_FIELD_COUNT("wrong number of fields");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Kind kind;
    private final String column;

    public RowRejected(Kind kind, String column, String detail) {
        super(detail);
        this.kind = kind;
        this.column = column;
    }

    public Kind kind() {
        return kind;
    }

    /** The CSV column at fault, or null when the fault is the row as a whole. */
    public String column() {
        return column;
    }

    /** The key the summary counts by: the kind and the column. */
    public String summaryKey() {
        return column == null ? kind.label() : kind.label() + ", column '" + column + "'";
    }

    /** One line for the rejects file and the console. */
    public String describe(long line) {
        return "line " + line + (column == null ? "" : ", column '" + column + "'") + ": " + kind.label() + ": " + getMessage();
    }
}
