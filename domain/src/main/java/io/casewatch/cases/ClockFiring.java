package io.casewatch.cases;

import java.util.List;

import io.casewatch.policy.Policy;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.ClockKind;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.sla.BusinessCalendar;
import io.casewatch.sla.ClockMath;

/** The alerts a clock raises when its at-risk points and its deadline fall due (SPEC section 4-5). */
final class ClockFiring {

    private final AlertBook alerts;

    ClockFiring(AlertBook alerts) {
        this.alerts = alerts;
    }

    static AlertKind atRiskKind(ClockKind k) {
        return switch (k) {
            case FIRST_RESPONSE -> AlertKind.FIRST_RESPONSE_AT_RISK;
            case RESOLUTION -> AlertKind.RESOLUTION_AT_RISK;
            default -> null;
        };
    }

    static AlertKind breachKind(ClockKind k) {
        return switch (k) {
            case FIRST_RESPONSE -> AlertKind.FIRST_RESPONSE_BREACH;
            case RESOLUTION -> AlertKind.RESOLUTION_BREACH;
            case STATUTORY -> AlertKind.STATUTORY_BREACH;
            case NEXT_REPLY -> AlertKind.UNANSWERED_CONTACT;
            default -> null;
        };
    }

    /** At-risk points of one clock episode get episodes of their own, 16 to a clock episode. */
    static int atRiskEpisode(ClockView v, int point) {
        return (v.episode() - 1) * 16 + point + 1;
    }

    /**
     * Raises the clock's at-risk points and its breach that fell due at or before {@code now} and were not settled by
     * then. Each alert is stamped with the instant it fell due, never with {@code now}: how late a clock is looked at
     * depends on how many other cases share the task (a partition with few events moves stream time in larger steps),
     * and the alerts must not. So an at-risk point first looked at after the deadline is still raised, before the
     * breach, as it would have been had stream time passed it in between.
     */
    void fire(CaseData c, Policy p, BusinessCalendar cal, ClockView v, long now, List<Alert> out) {
        AlertKind atRisk = atRiskKind(v.kind());
        if (atRisk != null) {
            long[] times = v.atRiskAt();
            for (int i = 0; i < times.length; i++) {
                if (times[i] != ClockMath.NEVER && times[i] <= now && !v.settledBy(times[i])) {
                    alerts.raise(c, p, atRisk, atRiskEpisode(v, i), v.deadline(), times[i], Evidences.clock(c, p, cal, v, times[i]).build(), out);
                }
            }
        }
        AlertKind breach = breachKind(v.kind());
        if (breach != null && v.deadline() != ClockMath.NEVER && v.fireAt() <= now && !v.settledBy(v.fireAt())) {
            Evidence.Builder ev = Evidences.clock(c, p, cal, v, v.fireAt());
            if (v.kind() == ClockKind.STATUTORY) {
                ev.getNotes().put("phase", v.fireAt() >= v.deadline() ? "PASSED" : "LAST_BUSINESS_DAY");
            }
            alerts.raise(c, p, breach, v.episode(), v.deadline(), v.fireAt(), ev.build(), out);
        }
    }
}
