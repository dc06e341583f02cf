package io.casewatch.cases;

import static io.casewatch.cases.Cases.DAY;
import static io.casewatch.cases.Cases.HOUR;
import static io.casewatch.cases.Cases.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.policy.ClockSpec;
import io.casewatch.policy.Policy;
import io.casewatch.policy.Presets;
import io.casewatch.policy.StallRule;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.Level;
import io.casewatch.schema.HoldingReason;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.sla.Budget;
import io.casewatch.sla.BusinessCalendar;

/** The fallback policy's stall rule: 3 inbound contacts within 30 days answered only by holding replies. */
class StallDetectionTest {

    private static final HoldingReplyClassifier.Verdict HOLDING =
            new HoldingReplyClassifier.Verdict(true, HoldingReason.PHRASE, "正在处理", null, 1L);

    private final StallDetection stalls = new StallDetection(Cases.alertBook());
    private final long t0 = T0.toEpochMilli();

    private void inbound(CaseData c, Policy p, long t, List<Alert> out) {
        stalls.countInbound(c, p, t);
        stalls.check(c, p, t, out);
    }

    private void holding(CaseData c, Policy p, long t, List<Alert> out) {
        stalls.countHolding(c, Instant.ofEpochMilli(t), HOLDING);
        stalls.check(c, p, t, out);
    }

    /** A holding reply, then a contact on each of the next three days: the stall alert is raised on the third. */
    private void stalledForThreeDays(CaseData c, Policy p, List<Alert> out) {
        holding(c, p, t0 + HOUR, out);
        for (int d = 1; d <= 3; d++) {
            inbound(c, p, t0 + d * DAY, out);
        }
    }

    @Test
    void stallLoopFiresAtTheThirdContactAnsweredOnlyByHoldingReplies() {
        CaseData c = Cases.opened("s-1");
        Policy p = Cases.policyOf(c);
        assertThat(p.stall()).isEqualTo(StallRule.DEFAULT);
        List<Alert> out = new ArrayList<>();
        inbound(c, p, t0 + DAY, out);
        holding(c, p, t0 + DAY + HOUR, out);
        inbound(c, p, t0 + 2 * DAY, out);
        assertThat(out).isEmpty();

        inbound(c, p, t0 + 3 * DAY, out);

        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.getKind()).isEqualTo(AlertKind.STALL_LOOP);
            assertThat(a.getLevel()).isEqualTo(Level.L2);
            assertThat(a.getEpisode()).isEqualTo(1);
            assertThat(a.getDetectedAt()).isEqualTo(Instant.ofEpochMilli(t0 + 3 * DAY));
            assertThat(a.getEvidence().getNotes()).containsEntry("contactsInWindow", "3").containsEntry("holdingRepliesInEpisode", "1");
            assertThat(a.getEvidence().getHoldingReplies()).singleElement()
                    .satisfies(h -> assertThat(h.getAt()).isEqualTo(Instant.ofEpochMilli(t0 + DAY + HOUR)));
        });
    }

    @Test
    void withoutAHoldingReplyContactsAloneAreNoStall() {
        CaseData c = Cases.opened("s-1");
        Policy p = Cases.policyOf(c);
        List<Alert> out = new ArrayList<>();
        for (int d = 1; d <= 5; d++) {
            inbound(c, p, t0 + d * DAY, out);
        }
        assertThat(out).isEmpty();
    }

    @Test
    void contactsOlderThanTheWindowAreForgotten() {
        CaseData c = Cases.opened("s-1");
        Policy p = Cases.policyOf(c);
        stalls.countInbound(c, p, t0);
        stalls.countInbound(c, p, t0 + 10 * DAY);
        stalls.countInbound(c, p, t0 + 31 * DAY);
        assertThat(c.getStallInbound()).containsExactly(t0 + 10 * DAY, t0 + 31 * DAY);
    }

    @Test
    void theStallAlertClimbsALevelPerFurtherRoundOfHoldingReplies() {
        CaseData c = Cases.opened("s-1");
        Policy p = Cases.policyOf(c);
        List<Alert> out = new ArrayList<>();
        stalledForThreeDays(c, p, out);
        holding(c, p, t0 + 3 * DAY + HOUR, out);
        holding(c, p, t0 + 3 * DAY + 2 * HOUR, out);
        assertThat(out).extracting(Alert::getLevel).containsExactly(Level.L2);

        holding(c, p, t0 + 3 * DAY + 3 * HOUR, out);

        assertThat(out).extracting(Alert::getLevel).containsExactly(Level.L2, Level.L3);
        assertThat(out.get(1).getEpisode()).isEqualTo(out.get(0).getEpisode());
    }

    @Test
    void progressClosesTheEpisodesAlertAndTheNextEpisodeStartsFromNothing() {
        CaseData c = Cases.opened("s-1");
        Policy p = Cases.policyOf(c);
        List<Alert> out = new ArrayList<>();
        stalledForThreeDays(c, p, out);
        List<Alert> closed = new ArrayList<>();

        stalls.endEpisode(c, t0 + 4 * DAY, "substantive reply", closed);

        assertThat(closed).singleElement().satisfies(a -> {
            assertThat(a.getAlertId()).isEqualTo(out.get(0).getAlertId());
            assertThat(a.getStatus()).isEqualTo(AlertStatus.CLOSED);
            assertThat(a.getCloseReason()).isEqualTo("substantive reply");
        });
        assertThat(c.getStallEpisode()).isEqualTo(2);
        assertThat(c.getStallHolding()).isZero();
        assertThat(c.getStallInbound()).isEmpty();
        assertThat(c.getStallEvidence()).isEmpty();
    }

    @Test
    void aChronicStallIsRaisedAtL3AtTheLatestTheStatutoryClockCouldRun() {
        Policy p = Presets.fallback().toBuilder().resolution(ClockSpec.of(Budget.parse("240 hours"))).build();
        BusinessCalendar cal = Cases.POLICIES.calendarOf(p);
        CaseData c = Cases.opened("s-1");
        stalls.countHolding(c, Instant.ofEpochMilli(t0 + HOUR), HOLDING);
        long max = t0 + 240 * HOUR;
        List<Alert> out = new ArrayList<>();
        stalls.raiseChronic(c, p, cal, max - 1, out);
        assertThat(out).isEmpty();

        stalls.raiseChronic(c, p, cal, max + DAY, out);

        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.getLevel()).isEqualTo(Level.L3);
            assertThat(a.getEpisode()).isEqualTo(StallDetection.CHRONIC_EPISODE);
            assertThat(a.getDetectedAt()).isEqualTo(Instant.ofEpochMilli(max));
            assertThat(a.getDeadline()).isEqualTo(Instant.ofEpochMilli(max));
        });
    }

    @Test
    void aSubstantiveReplyRulesOutAChronicStall() {
        CaseData c = Cases.opened("s-1");
        stalls.countHolding(c, Instant.ofEpochMilli(t0 + HOUR), HOLDING);
        c.setSubstantive(1);
        assertThat(StallDetection.chronicCandidate(c)).isFalse();
    }
}
