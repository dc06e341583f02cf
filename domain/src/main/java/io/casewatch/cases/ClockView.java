package io.casewatch.cases;

import io.casewatch.schema.ClockKind;
import io.casewatch.schema.ClockState;
import io.casewatch.sla.Budget;

/**
 * One clock of a case as seen at an instant: its deadline ({@link io.casewatch.sla.ClockMath#NEVER} while paused
 * with no end), the instants of its at-risk warnings, and how much budget is used.
 *
 * @param goalAt   when the clock's goal was met (reply, resolution), or null
 * @param stoppedAt when the case ended without meeting the goal (closed, withdrawn), or null
 * @param fireAt   for STATUTORY, when the deadline enters its last business day; otherwise the deadline
 */
public record ClockView(
        ClockKind kind,
        Budget budget,
        long start,
        long budgetMillis,
        long usedMillis,
        long deadline,
        long fireAt,
        long[] atRiskAt,
        Long goalAt,
        Long stoppedAt,
        ClockState state,
        int episode) {

    /** True when the goal was met or the case stopped at or before {@code t}. */
    public boolean settledBy(long t) {
        return (goalAt != null && goalAt <= t) || (stoppedAt != null && stoppedAt <= t);
    }

    public double budgetUsed() {
        return budgetMillis == 0 ? 1.0 : (double) usedMillis / budgetMillis;
    }
}
