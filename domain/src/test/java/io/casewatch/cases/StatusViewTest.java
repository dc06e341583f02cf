package io.casewatch.cases;

import static io.casewatch.cases.Cases.HOUR;
import static io.casewatch.cases.Cases.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.Policy;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.ClockKind;
import io.casewatch.schema.ClockState;
import io.casewatch.schema.ClockStatus;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.OpenAlert;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.sla.BusinessCalendar;
import io.casewatch.sla.ClockMath;

/** The fallback policy: first response at risk at 18 hours, due at 24; resolution at risk at 11.25 days. */
class StatusViewTest {

    /** No ack escalation: the next due instant is the clocks' alone. */
    private final AlertBook book = new AlertBook(Cases.POLICY, Cases.RULES.withAckEscalation(false));
    private final long t0 = T0.toEpochMilli();

    private static long nextDue(CaseData c, long now, long firedUpTo) {
        Policy p = Cases.policyOf(c);
        BusinessCalendar cal = Cases.POLICIES.calendarOf(p);
        return StatusView.nextDue(c, p, cal, CaseClocks.all(c, p, cal, now), firedUpTo);
    }

    @Test
    void aCaseNotYetOpenedIsNeverDue() {
        CaseData c = CaseEngine.newCase("v-1", t0);
        assertThat(nextDue(c, t0, t0)).isEqualTo(ClockMath.NEVER);
    }

    @Test
    void nextDueIsTheEarliestPointNotYetFired() {
        CaseData c = Cases.opened("v-1");
        assertThat(nextDue(c, t0, t0)).isEqualTo(t0 + 18 * HOUR);

        new ClockFiring(book).fire(c, Cases.policyOf(c), Cases.POLICIES.calendarOf(Cases.policyOf(c)),
                CaseClocks.firstResponse(c, Cases.policyOf(c), Cases.POLICIES.calendarOf(Cases.policyOf(c)), t0 + 18 * HOUR),
                t0 + 18 * HOUR, new ArrayList<>());

        assertThat(nextDue(c, t0 + 18 * HOUR, t0 + 18 * HOUR)).isEqualTo(t0 + 24 * HOUR);
    }

    @Test
    void anUnacknowledgedAlertIsDueWhenItsAckIsEvenBeforeTheNextClockPoint() {
        CaseData c = Cases.opened("v-1");
        Policy p = Cases.policyOf(c);
        Cases.alertBook().raise(c, p, AlertKind.FIRST_RESPONSE_AT_RISK, 1, null, t0 + 18 * HOUR,
                Evidences.of(c, t0).build(), new ArrayList<>());
        long ackDue = t0 + 18 * HOUR + Policy.DEFAULT_ACK_TIMES.get(io.casewatch.schema.Level.L1).toMillis();
        assertThat(ackDue).isLessThan(t0 + 24 * HOUR);
        assertThat(nextDue(c, t0 + 18 * HOUR, t0 + 18 * HOUR)).isEqualTo(ackDue);
    }

    @Test
    void aPointBehindWhatWasFiredThatWasNeverRaisedIsDueAtTheNextLook() {
        CaseData c = Cases.opened("v-1");
        long firedUpTo = t0 + 30 * HOUR;
        assertThat(nextDue(c, firedUpTo, firedUpTo)).isEqualTo(firedUpTo + 1);
    }

    @Test
    void aReplyBeforeThePointsLeavesTheResolutionClockToWatch() {
        CaseData c = Cases.opened("v-1");
        c.setFirstResponseAt(t0 + HOUR);
        // A budget in days counts whole days from the start of the day after receipt.
        long dayAfterReceipt = T0.truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(java.time.Duration.ofDays(1)).toEpochMilli();
        assertThat(nextDue(c, t0 + HOUR, t0 + HOUR)).isEqualTo(dayAfterReceipt + (long) (0.75 * 15 * 24) * HOUR);
    }

    @Test
    void theStatusShowsEveryClockAndOnlyTheOpenAlerts() {
        CaseData c = Cases.opened("v-1");
        Policy p = Cases.policyOf(c);
        Evidence ev = Evidence.newBuilder().setNotes(new java.util.HashMap<>()).build();
        List<io.casewatch.schema.Alert> raised = new ArrayList<>();
        book.raise(c, p, AlertKind.FIRST_RESPONSE_BREACH, 1, null, t0 + 24 * HOUR, ev, raised);
        book.raise(c, p, AlertKind.REOPEN_LOOP, 1, null, t0 + 24 * HOUR, ev, raised);
        book.close(c, Set.of(AlertKind.REOPEN_LOOP), t0 + 25 * HOUR, "test", new ArrayList<>());
        long now = t0 + 26 * HOUR;
        BusinessCalendar cal = Cases.POLICIES.calendarOf(p);

        CaseStatus s = StatusView.status(c, p, CaseClocks.all(c, p, cal, now), now);

        assertThat(s.getOpenAlerts()).extracting(OpenAlert::getAlertId).containsExactly(raised.get(0).getAlertId());
        assertThat(s.getClocks()).extracting(ClockStatus::getClock).containsExactly(ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION);
        assertThat(s.getClocks().get(0).getState()).isEqualTo(ClockState.BREACHED);
        assertThat(s.getClocks().get(0).getDeadline()).isEqualTo(Instant.ofEpochMilli(t0 + 24 * HOUR));
        assertThat(s.getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(now));
        assertThat(s.getPolicyId()).isEqualTo("DEFAULT");
    }
}
