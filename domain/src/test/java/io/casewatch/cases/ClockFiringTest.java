package io.casewatch.cases;

import static io.casewatch.cases.Cases.HOUR;
import static io.casewatch.cases.Cases.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.Policy;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.ClockKind;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.sla.BusinessCalendar;

/** The fallback policy: first response within 24 hours, at risk at 75% (18 hours). */
class ClockFiringTest {

    private final ClockFiring firing = new ClockFiring(Cases.alertBook());
    private final long t0 = T0.toEpochMilli();

    private List<Alert> fireAll(CaseData c, long now) {
        Policy p = Cases.policyOf(c);
        BusinessCalendar cal = Cases.POLICIES.calendarOf(p);
        List<Alert> out = new ArrayList<>();
        for (ClockView v : CaseClocks.all(c, p, cal, now)) {
            firing.fire(c, p, cal, v, now, out);
        }
        return out;
    }

    @Test
    void aClockLookedAtLateRaisesItsAtRiskPointAndBreachStampedWhenTheyFellDue() {
        CaseData c = Cases.opened("f-1");

        List<Alert> out = fireAll(c, t0 + 30 * HOUR);

        assertThat(out).extracting(Alert::getKind, Alert::getDetectedAt, Alert::getDeadline).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AlertKind.FIRST_RESPONSE_AT_RISK, Instant.ofEpochMilli(t0 + 18 * HOUR), Instant.ofEpochMilli(t0 + 24 * HOUR)),
                org.assertj.core.groups.Tuple.tuple(AlertKind.FIRST_RESPONSE_BREACH, Instant.ofEpochMilli(t0 + 24 * HOUR), Instant.ofEpochMilli(t0 + 24 * HOUR)));
        Alert breach = out.get(1);
        assertThat(breach.getEvidence().getClock()).isEqualTo(ClockKind.FIRST_RESPONSE);
        assertThat(breach.getEvidence().getElapsedMillis()).isEqualTo(24 * HOUR);
        assertThat(out.get(0).getEvidence().getElapsedMillis()).isEqualTo(18 * HOUR);
    }

    @Test
    void nothingIsRaisedBeforeItFallsDue() {
        assertThat(fireAll(Cases.opened("f-1"), t0 + 18 * HOUR - 1)).isEmpty();
    }

    @Test
    void aReplyAfterTheAtRiskPointAndBeforeTheDeadlineLeavesOnlyTheAtRiskAlert() {
        CaseData c = Cases.opened("f-1");
        c.setFirstResponseAt(t0 + 20 * HOUR);

        assertThat(fireAll(c, t0 + 30 * HOUR)).extracting(Alert::getKind).containsExactly(AlertKind.FIRST_RESPONSE_AT_RISK);
    }

    @Test
    void aSecondLookRaisesNothingTwice() {
        CaseData c = Cases.opened("f-1");
        fireAll(c, t0 + 30 * HOUR);
        assertThat(fireAll(c, t0 + 31 * HOUR)).isEmpty();
    }

    @Test
    void eachClockHasItsBreachKindAndOnlyTwoHaveAtRiskWarnings() {
        assertThat(ClockFiring.breachKind(ClockKind.NEXT_REPLY)).isEqualTo(AlertKind.UNANSWERED_CONTACT);
        assertThat(ClockFiring.breachKind(ClockKind.STATUTORY)).isEqualTo(AlertKind.STATUTORY_BREACH);
        assertThat(ClockFiring.atRiskKind(ClockKind.STATUTORY)).isNull();
        assertThat(ClockFiring.atRiskKind(ClockKind.NEXT_REPLY)).isNull();
        assertThat(ClockFiring.atRiskKind(ClockKind.RESOLUTION)).isEqualTo(AlertKind.RESOLUTION_AT_RISK);
    }
}
