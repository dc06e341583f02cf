package io.casewatch.sla;

/** A half-open time interval [from, to) in epoch millis; {@code to == Long.MAX_VALUE} while still open. */
public record Interval(long from, long to) {
    public static final long OPEN = Long.MAX_VALUE;

    public Interval {
        if (to < from) {
            throw new IllegalArgumentException("interval ends before it starts: " + from + " > " + to);
        }
    }

    public boolean isOpen() {
        return to == OPEN;
    }
}
