package io.casewatch.stats;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.casewatch.cases.ClockView;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.CaseState;
import io.casewatch.schema.ClockKind;
import io.casewatch.schema.ClockState;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.Figure;
import io.casewatch.schema.internal.MerchantFact;

/**
 * The merchant-statistics facts a change to a case makes known (SPEC section 6), each at the instant it became
 * true: opened at receipt, resolved at resolution (with hours from receipt), resolved within the SLA, a resolution
 * or first-response breach at its deadline, reopened at the reopening, a stall loop when its alert is raised.
 */
public final class CaseFacts {

    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    private CaseFacts() {
    }

    /**
     * @param views     the case's clocks after the change
     * @param alerts    the alerts the change raised
     * @param firedUpTo the instant up to which deadlines have been fired: a breach counts once it has fired, or once
     *                  the case met its goal or stopped after the deadline
     */
    public static List<MerchantFact> of(CaseData c, List<ClockView> views, List<Alert> alerts, long firedUpTo, ZoneId zone) {
        List<MerchantFact> out = new ArrayList<>(2);
        if (!c.getOpened() || c.getMerchantId() == null) {
            return out;
        }
        FactLedger.count(c, Figure.OPENED, c.getReceivedAt(), null, zone, out);
        if (c.getReopens() > c.getReopensCounted()) {
            c.setReopensCounted(c.getReopens());
            FactLedger.count(c, Figure.REOPENED, c.getReopenedAt(), null, zone, out);
        }
        for (ClockView v : views) {
            if (v.kind() == ClockKind.FIRST_RESPONSE && breachKnown(v, firedUpTo) && v.episode() > c.getFirstResponseBreachCounted()) {
                c.setFirstResponseBreachCounted(v.episode());
                FactLedger.count(c, Figure.FIRST_RESPONSE_BREACHED, v.deadline(), null, zone, out);
            } else if (v.kind() == ClockKind.RESOLUTION && breachKnown(v, firedUpTo) && v.episode() > c.getResolutionBreachCounted()) {
                c.setResolutionBreachCounted(v.episode());
                FactLedger.count(c, Figure.RESOLUTION_BREACHED, v.deadline(), null, zone, out);
            }
        }
        Long resolvedAt = c.getResolvedAt();
        if (resolvedAt != null && c.getState() != CaseState.OPEN && c.getState() != CaseState.AWAITING_CUSTOMER
                && !resolvedAt.equals(c.getResolvedCountedAt())) {
            c.setResolvedCountedAt(resolvedAt);
            FactLedger.count(c, Figure.RESOLVED, resolvedAt, (resolvedAt - c.getReceivedAt()) / MILLIS_PER_HOUR, zone, out);
            for (ClockView v : views) {
                if (v.kind() == ClockKind.RESOLUTION && v.state() == ClockState.MET) {
                    FactLedger.count(c, Figure.RESOLVED_WITHIN_SLA, resolvedAt, null, zone, out);
                }
            }
        }
        for (Alert a : alerts) {
            if (a.getKind() == AlertKind.STALL_LOOP && a.getStatus() == AlertStatus.OPEN) {
                FactLedger.count(c, Figure.STALL_LOOP, a.getDetectedAt().toEpochMilli(), null, zone, out);
            }
        }
        return out;
    }

    private static boolean breachKnown(ClockView v, long firedUpTo) {
        if (v.state() != ClockState.BREACHED) {
            return false;
        }
        return v.deadline() <= firedUpTo || v.goalAt() != null || v.stoppedAt() != null;
    }
}
