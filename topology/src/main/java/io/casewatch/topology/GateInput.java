package io.casewatch.topology;

import io.casewatch.schema.Alert;

/** What the case processor hands the escalation gate: an alert raised or closed, or how far deadlines have fired. */
sealed interface GateInput {

    /** An alert on its way to its level's topic. */
    record Raised(Alert alert) implements GateInput {
    }

    /** Deadlines have fired up to {@code at}: the gate's windows close on the same time. */
    record Time(long at) implements GateInput {
    }
}
