package io.casewatch.cases;

import static io.casewatch.cases.Cases.HOUR;
import static io.casewatch.cases.Cases.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.escalation.AlertIds;
import io.casewatch.policy.Policy;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.Level;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.testing.Events;

/** Default ack times: L1 4 hours, L2 24 hours. */
class AckLadderTest {

    private final AlertBook book = Cases.alertBook();
    private final AckLadder ladder = new AckLadder(book);
    private final long t0 = T0.toEpochMilli();
    private final long l1Ack = Policy.DEFAULT_ACK_TIMES.get(Level.L1).toMillis();
    private final long l2Ack = Policy.DEFAULT_ACK_TIMES.get(Level.L2).toMillis();

    private Alert breachAtT0(CaseData c) {
        List<Alert> out = new ArrayList<>();
        book.raise(c, Cases.policyOf(c), AlertKind.FIRST_RESPONSE_BREACH, 1, null, t0,
                Evidence.newBuilder().setNotes(new java.util.HashMap<>()).build(), out);
        return out.get(0);
    }

    @Test
    void anUnacknowledgedL1ClimbsToL2AndL3InOneLookWhenBothAreDue() {
        CaseData c = Cases.opened("k-1");
        Alert root = breachAtT0(c);
        List<Alert> out = new ArrayList<>();

        ladder.escalate(c, Cases.policyOf(c), t0 + l1Ack + l2Ack, out);

        assertThat(out).extracting(Alert::getAlertId, Alert::getLevel, Alert::getDetectedAt).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AlertIds.unacked(root.getAlertId(), Level.L2), Level.L2, Instant.ofEpochMilli(t0 + l1Ack)),
                org.assertj.core.groups.Tuple.tuple(AlertIds.unacked(root.getAlertId(), Level.L3), Level.L3, Instant.ofEpochMilli(t0 + l1Ack + l2Ack)));
        assertThat(out).allSatisfy(a -> {
            assertThat(a.getKind()).isEqualTo(AlertKind.ESCALATION_UNACKED);
            assertThat(a.getRelatedAlertId()).isEqualTo(root.getAlertId());
        });
        assertThat(out.get(0).getEvidence().getNotes()).containsEntry("unackedAlertId", root.getAlertId()).containsEntry("unackedLevel", "L1");
    }

    @Test
    void anAlertIsNotEscalatedBeforeItsAckIsDue() {
        CaseData c = Cases.opened("k-1");
        breachAtT0(c);
        List<Alert> out = new ArrayList<>();
        ladder.escalate(c, Cases.policyOf(c), t0 + l1Ack - 1, out);
        assertThat(out).isEmpty();
    }

    @Test
    void anAckOfAReEscalationStopsTheWholeLadderOfItsRoot() {
        CaseData c = Cases.opened("k-1");
        breachAtT0(c);
        List<Alert> first = new ArrayList<>();
        ladder.escalate(c, Cases.policyOf(c), t0 + l1Ack, first);
        assertThat(first).hasSize(1);

        AckLadder.acknowledge(c, Events.ack("k-1", first.get(0).getAlertId(), Level.L2, Instant.ofEpochMilli(t0 + l1Ack + HOUR)));
        List<Alert> later = new ArrayList<>();
        ladder.escalate(c, Cases.policyOf(c), t0 + l1Ack + 10 * l2Ack, later);

        assertThat(later).isEmpty();
        assertThat(c.getAlerts()).allSatisfy(a -> assertThat(a.getAcked()).isTrue());
        assertThat(c.getUpdatedAt()).isEqualTo(t0 + l1Ack + HOUR);
    }

    @Test
    void anAckForAnAlertTheCaseNeverRaisedIsRejected() {
        CaseData c = Cases.opened("k-1");
        assertThatThrownBy(() -> AckLadder.acknowledge(c, Events.ack("k-1", "no-such-alert", Level.L1, T0)))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidEventException.Reason.UNKNOWN_ALERT));
    }
}
