package io.casewatch.cases;

import static io.casewatch.cases.Cases.HOUR;
import static io.casewatch.cases.Cases.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.Pause;
import io.casewatch.schema.internal.PauseKind;

class PausesTest {

    private final long t0 = T0.toEpochMilli();

    @Test
    void aSecondPauseOfAKindAlreadyOpenIsNotAdded() {
        CaseData c = Cases.opened("p-1");
        Pauses.open(c, PauseKind.AWAITING_CUSTOMER, t0 + HOUR);
        Pauses.open(c, PauseKind.AWAITING_CUSTOMER, t0 + 2 * HOUR);
        Pauses.open(c, PauseKind.EXCLUSION, t0 + 2 * HOUR);
        assertThat(c.getPauses()).extracting(Pause::getKind, Pause::getFrom)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PauseKind.AWAITING_CUSTOMER, t0 + HOUR),
                        org.assertj.core.groups.Tuple.tuple(PauseKind.EXCLUSION, t0 + 2 * HOUR));
    }

    @Test
    void closingEndsOpenPausesNeverBeforeTheyBegan() {
        CaseData c = Cases.opened("p-1");
        Pauses.open(c, PauseKind.AWAITING_CUSTOMER, t0 + 3 * HOUR);
        Pauses.closeAll(c, t0 + HOUR);
        assertThat(c.getPauses().get(0).getTo()).isEqualTo(t0 + 3 * HOUR);
    }

    @Test
    void closingLeavesPausesThatAlreadyEndedAlone() {
        CaseData c = Cases.opened("p-1");
        Pauses.open(c, PauseKind.AWAITING_CUSTOMER, t0 + HOUR);
        Pauses.closeAll(c, t0 + 2 * HOUR);
        Pauses.closeAll(c, t0 + 5 * HOUR);
        assertThat(c.getPauses().get(0).getTo()).isEqualTo(t0 + 2 * HOUR);
    }
}
