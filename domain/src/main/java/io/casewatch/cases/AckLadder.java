package io.casewatch.cases;

import java.util.ArrayList;
import java.util.List;

import io.casewatch.escalation.AlertIds;
import io.casewatch.policy.Policy;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.Level;
import io.casewatch.schema.internal.AlertState;
import io.casewatch.schema.internal.CaseData;

/**
 * Acknowledgements of alerts and the climb of those nobody acknowledged in time (SPEC section 7): an unacknowledged
 * alert is raised again one level up as ESCALATION_UNACKED, L1 to L2 to L3; an acknowledgement of any step stops the
 * whole ladder of its root alert.
 */
final class AckLadder {

    private final AlertBook alerts;

    AckLadder(AlertBook alerts) {
        this.alerts = alerts;
    }

    /** Marks the ack's alert and every re-escalation of its root as acknowledged; an ack of an alert never raised is an error. */
    static void acknowledge(CaseData c, EscalationAck ack) {
        String root = null;
        for (AlertState a : c.getAlerts()) {
            if (a.getAlertId().equals(ack.getAlertId())) {
                root = a.getRootAlertId();
            }
        }
        if (root == null) {
            throw new InvalidEventException(InvalidEventException.Reason.UNKNOWN_ALERT,
                    "ack for alert " + ack.getAlertId() + " which case " + c.getCaseId() + " never raised");
        }
        for (AlertState a : c.getAlerts()) {
            if (a.getRootAlertId().equals(root)) {
                a.setAcked(true);
                a.setAckDueAt(null);
            }
        }
        c.setUpdatedAt(Math.max(c.getUpdatedAt(), ack.getOccurredAt().toEpochMilli()));
    }

    /** Climbs every unacknowledged alert as far as {@code now} allows: L1 to L2 to L3 in one call if both are due. */
    void escalate(CaseData c, Policy p, long now, List<Alert> out) {
        int before;
        do {
            before = out.size();
            escalateOnce(c, p, now, out);
        } while (out.size() > before);
    }

    private void escalateOnce(CaseData c, Policy p, long now, List<Alert> out) {
        List<AlertState> snapshot = new ArrayList<>(c.getAlerts());
        for (AlertState a : snapshot) {
            if (a.getAcked() || a.getClosed() || a.getAckDueAt() == null || a.getAckDueAt() > now) {
                continue;
            }
            long due = a.getAckDueAt();
            a.setAckDueAt(null);
            if (a.getLevel() == Level.L3) {
                continue;
            }
            Level next = Level.values()[a.getLevel().ordinal() + 1];
            String id = AlertIds.unacked(a.getRootAlertId(), next);
            if (AlertBook.find(c, id) != null) {
                continue;
            }
            Evidence.Builder ev = Evidences.of(c, due);
            ev.getNotes().put("unackedAlertId", a.getAlertId());
            ev.getNotes().put("unackedLevel", a.getLevel().name());
            Alert alert = AlertBook.baseAlert(c, p, id, AlertKind.ESCALATION_UNACKED, next, a.getEpisode(), due, due, ev.build());
            alert.setRelatedAlertId(a.getRootAlertId());
            alerts.remember(c, p, alert, a.getRootAlertId());
            out.add(alert);
        }
    }
}
