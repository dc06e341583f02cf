package io.casewatch.topology;

/** What the intake hands the case processor: an event, a heartbeat, or the end of a bounded input. */
sealed interface CaseTaskInput permits CaseInput, Heartbeat, CaseTaskInput.EndOfInput {

    /** The input ended (a tick marked {@link Heartbeat#END_OF_INPUT_HEADER}): the statuses still owed go out now. */
    enum EndOfInput implements CaseTaskInput {
        INSTANCE
    }
}
