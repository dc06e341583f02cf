package io.casewatch.escalation;

import java.time.Duration;

import io.casewatch.sla.BusinessCalendar;

/**
 * How alerts reach people once raised: a per-merchant storm cap (at most {@code stormCap} alerts per merchant, level
 * and {@code stormWindow}; the rest are folded into one ALERT_STORM summary with their count when the window ends),
 * and optional quiet hours (L1 alerts raised outside the team calendar's business hours are held until its next
 * opening; L2 and L3 are never held).
 *
 * @param quietHours the team's calendar, or null for no quiet hours
 */
public record EscalationRules(int stormCap, Duration stormWindow, BusinessCalendar quietHours) {

    public static final EscalationRules DEFAULT = new EscalationRules(50, Duration.ofHours(1), null);

    public EscalationRules {
        if (stormCap < 1) {
            throw new IllegalArgumentException("storm cap must be at least 1, was " + stormCap);
        }
        if (stormWindow.isZero() || stormWindow.isNegative()) {
            throw new IllegalArgumentException("storm window must be positive");
        }
    }

    /** When an L1 alert raised at {@code t} reaches people: {@code t}, or the next opening during quiet hours. */
    public long releaseAt(long t) {
        return quietHours == null ? t : io.casewatch.sla.ClockMath.nextBusinessInstant(quietHours, t);
    }
}
