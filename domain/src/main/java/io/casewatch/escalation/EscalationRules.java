package io.casewatch.escalation;

import java.time.Duration;

import io.casewatch.sla.BusinessCalendar;
import io.casewatch.sla.ClockMath;

/**
 * How alerts reach people once raised: a per-merchant storm cap (at most {@code stormCap} alerts per merchant, level
 * and {@code stormWindow}; the rest are folded into one ALERT_STORM summary with their count when the window ends),
 * and optional quiet hours (L1 alerts raised outside the team calendar's business hours are held until its next
 * opening; L2 and L3 are never held).
 *
 * @param quietHours    the team's calendar, or null for no quiet hours
 * @param ackEscalation whether an alert nobody acknowledged within its level's ack time is re-published one level up
 *                      (ESCALATION_UNACKED); off for histories that carry no acknowledgements, where it would claim
 *                      that nobody acknowledged anything
 */
public record EscalationRules(int stormCap, Duration stormWindow, BusinessCalendar quietHours, boolean ackEscalation) {

    public static final EscalationRules DEFAULT = new EscalationRules(50, Duration.ofHours(1), null);

    public EscalationRules(int stormCap, Duration stormWindow, BusinessCalendar quietHours) {
        this(stormCap, stormWindow, quietHours, true);
    }

    public EscalationRules {
        if (stormCap < 1) {
            throw new IllegalArgumentException("storm cap must be at least 1, was " + stormCap);
        }
        if (stormWindow.isZero() || stormWindow.isNegative()) {
            throw new IllegalArgumentException("storm window must be positive");
        }
    }

    /** These rules with ack escalation on or off. */
    public EscalationRules withAckEscalation(boolean on) {
        return new EscalationRules(stormCap, stormWindow, quietHours, on);
    }

    /** When an L1 alert raised at {@code t} reaches people: {@code t}, or the next opening during quiet hours. */
    public long releaseAt(long t) {
        return quietHours == null ? t : ClockMath.nextBusinessInstant(quietHours, t);
    }
}
