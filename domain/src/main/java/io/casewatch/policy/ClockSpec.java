package io.casewatch.policy;

import java.util.List;
import java.util.Objects;

import io.casewatch.sla.Budget;

/**
 * One SLA clock of a policy: its budget, the extension ladder (each EXTENDED event moves to the next step; every
 * step is a total counted from the clock's start, so the ladder's length is the extension limit), whether a
 * deadline falling on a non-business day rolls to the next business day, and the shares of the budget at which
 * an at-risk warning fires.
 */
public record ClockSpec(Budget budget, List<Budget> extensions, boolean rollToBusinessDay, List<Double> atRiskShares) {

    public static final List<Double> DEFAULT_AT_RISK = List.of(0.75);

    public ClockSpec {
        Objects.requireNonNull(budget, "budget");
        extensions = List.copyOf(extensions);
        atRiskShares = List.copyOf(atRiskShares);
        for (Budget ext : extensions) {
            if (ext.basis() != budget.basis()) {
                throw new IllegalArgumentException("extension " + ext + " must count like the budget " + budget);
            }
        }
        for (double s : atRiskShares) {
            if (!(s > 0 && s < 1)) {
                throw new IllegalArgumentException("at-risk share " + s + " must lie strictly between 0 and 1");
            }
        }
    }

    public static ClockSpec of(Budget budget) {
        return new ClockSpec(budget, List.of(), false, DEFAULT_AT_RISK);
    }

    public ClockSpec withExtensions(Budget... steps) {
        return new ClockSpec(budget, List.of(steps), rollToBusinessDay, atRiskShares);
    }

    public ClockSpec rolling() {
        return new ClockSpec(budget, extensions, true, atRiskShares);
    }

    public ClockSpec withAtRisk(List<Double> shares) {
        return new ClockSpec(budget, extensions, rollToBusinessDay, shares);
    }

    /** The budget in force after {@code extensionsGranted} EXTENDED events (extra ones beyond the limit do nothing). */
    public Budget budgetAfter(int extensionsGranted) {
        if (extensionsGranted <= 0 || extensions.isEmpty()) {
            return budget;
        }
        return extensions.get(Math.min(extensionsGranted, extensions.size()) - 1);
    }
}
