package io.casewatch.cases;

import static io.casewatch.cases.Cases.HOUR;
import static io.casewatch.cases.Cases.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.casewatch.escalation.AlertIds;
import io.casewatch.policy.Policy;
import io.casewatch.policy.Presets;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.Level;
import io.casewatch.schema.internal.AlertState;
import io.casewatch.schema.internal.CaseData;

class AlertBookTest {

    private final AlertBook book = Cases.alertBook();
    private final long t0 = T0.toEpochMilli();

    private static Evidence evidence() {
        return Evidence.newBuilder().setNotes(new java.util.HashMap<>()).build();
    }

    @Test
    void anAlertIsRaisedOncePerKindEpisodeAndLevel() {
        CaseData c = Cases.opened("a-1");
        Policy p = Cases.policyOf(c);
        List<Alert> out = new ArrayList<>();
        book.raise(c, p, AlertKind.FIRST_RESPONSE_BREACH, 1, t0 + 24 * HOUR, t0 + 24 * HOUR, evidence(), out);
        book.raise(c, p, AlertKind.FIRST_RESPONSE_BREACH, 1, t0 + 24 * HOUR, t0 + 25 * HOUR, evidence(), out);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getAlertId()).isEqualTo(AlertIds.of("a-1", AlertKind.FIRST_RESPONSE_BREACH, 1, Level.L1));
        assertThat(out.get(0).getDetectedAt()).isEqualTo(Instant.ofEpochMilli(t0 + 24 * HOUR));
        assertThat(c.getAlerts()).hasSize(1);
        assertThat(AlertBook.raised(c, p, AlertKind.FIRST_RESPONSE_BREACH, 1, Level.L1)).isTrue();
        assertThat(AlertBook.raised(c, p, AlertKind.FIRST_RESPONSE_BREACH, 2, Level.L1)).isFalse();
    }

    @Test
    void aLevelBelowThePolicysFloorIsLiftedToIt() {
        CaseData c = Cases.opened("a-1");
        Policy p = Presets.fallback().toBuilder().minimumLevel(Level.L2).build();
        List<Alert> out = new ArrayList<>();
        book.raiseAt(c, p, AlertKind.UNANSWERED_CONTACT, 1, Level.L1, null, t0, evidence(), out);
        assertThat(out.get(0).getLevel()).isEqualTo(Level.L2);
        assertThat(out.get(0).getAlertId()).isEqualTo(AlertIds.of("a-1", AlertKind.UNANSWERED_CONTACT, 1, Level.L2));
    }

    @Test
    void anAlertsAckFallsDueAfterItsLevelsAckTimeAndAnL3NeedsNone() {
        CaseData c = Cases.opened("a-1");
        Policy p = Cases.policyOf(c);
        List<Alert> out = new ArrayList<>();
        book.raiseAt(c, p, AlertKind.FIRST_RESPONSE_BREACH, 1, Level.L1, null, t0, evidence(), out);
        book.raiseAt(c, p, AlertKind.STATUTORY_BREACH, 1, Level.L3, null, t0, evidence(), out);
        assertThat(c.getAlerts()).extracting(AlertState::getAckDueAt)
                .containsExactly(t0 + Policy.DEFAULT_ACK_TIMES.get(Level.L1).toMillis(), null);
    }

    @Test
    void closingAKindClosesItsReEscalationsAndLeavesOtherKindsOpen() {
        CaseData c = Cases.opened("a-1");
        Policy p = Cases.policyOf(c);
        List<Alert> raised = new ArrayList<>();
        book.raise(c, p, AlertKind.FIRST_RESPONSE_BREACH, 1, null, t0, evidence(), raised);
        book.raise(c, p, AlertKind.UNANSWERED_CONTACT, 1, null, t0, evidence(), raised);
        String root = raised.get(0).getAlertId();
        Alert reEscalation = AlertBook.baseAlert(c, p, AlertIds.unacked(root, Level.L2), AlertKind.ESCALATION_UNACKED, Level.L2, 1,
                null, t0 + 4 * HOUR, evidence());
        book.remember(c, p, reEscalation, root);

        List<Alert> out = new ArrayList<>();
        book.close(c, Set.of(AlertKind.FIRST_RESPONSE_BREACH), t0 + 5 * HOUR, "first response sent", out);

        assertThat(out).extracting(Alert::getAlertId).containsExactly(root, reEscalation.getAlertId());
        assertThat(out).allSatisfy(a -> {
            assertThat(a.getStatus()).isEqualTo(AlertStatus.CLOSED);
            assertThat(a.getCloseReason()).isEqualTo("first response sent");
        });
        assertThat(out.get(0).getRelatedAlertId()).isNull();
        assertThat(out.get(1).getRelatedAlertId()).isEqualTo(root);
        assertThat(c.getAlerts()).extracting(AlertState::getKind, AlertState::getClosed).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AlertKind.FIRST_RESPONSE_BREACH, true),
                org.assertj.core.groups.Tuple.tuple(AlertKind.UNANSWERED_CONTACT, false),
                org.assertj.core.groups.Tuple.tuple(AlertKind.ESCALATION_UNACKED, true));
    }

    @Test
    void closingAnAlreadyClosedAlertSendsNothing() {
        CaseData c = Cases.opened("a-1");
        Policy p = Cases.policyOf(c);
        book.raise(c, p, AlertKind.REOPEN_LOOP, 1, null, t0, evidence(), new ArrayList<>());
        book.close(c, null, t0 + HOUR, "case resolved", new ArrayList<>());
        List<Alert> out = new ArrayList<>();
        book.close(c, null, t0 + 2 * HOUR, "case closed", out);
        assertThat(out).isEmpty();
    }

    @Test
    void whatOneLookRaisedIsPutInTheOrderItFellDueAfterWhatTheCaseHadBefore() {
        CaseData c = Cases.opened("a-1");
        Policy p = Cases.policyOf(c);
        book.raise(c, p, AlertKind.REOPEN_LOOP, 1, null, t0 + 50 * HOUR, evidence(), new ArrayList<>());
        int known = c.getAlerts().size();
        List<Alert> out = new ArrayList<>();
        book.raise(c, p, AlertKind.FIRST_RESPONSE_BREACH, 1, null, t0 + 24 * HOUR, evidence(), out);
        book.raise(c, p, AlertKind.FIRST_RESPONSE_AT_RISK, 1, null, t0 + 18 * HOUR, evidence(), out);

        AlertBook.inTimeOrder(c, known, out);

        assertThat(out).extracting(Alert::getKind).containsExactly(AlertKind.FIRST_RESPONSE_AT_RISK, AlertKind.FIRST_RESPONSE_BREACH);
        assertThat(c.getAlerts()).extracting(AlertState::getKind)
                .containsExactly(AlertKind.REOPEN_LOOP, AlertKind.FIRST_RESPONSE_AT_RISK, AlertKind.FIRST_RESPONSE_BREACH);
    }
}
