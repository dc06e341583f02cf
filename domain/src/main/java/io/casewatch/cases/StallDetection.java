package io.casewatch.cases;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.policy.Policy;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.CaseState;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.HoldingReplyEvidence;
import io.casewatch.schema.Level;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.sla.BusinessCalendar;
import io.casewatch.sla.ClockMath;

/**
 * The "still processing" loop of SPEC section 4 (STALL_LOOP): a customer who keeps writing and hears only holding
 * replies. An episode runs until progress (a substantive reply, a lifecycle step); within it the alert climbs a level
 * per further round of holding replies. Separately, a case open past its statutory maximum with only holding replies
 * is a chronic stall, raised once at L3.
 */
final class StallDetection {

    /** Episode of the chronic stall (open past the statutory maximum with only holding replies). */
    static final int CHRONIC_EPISODE = 0;
    static final int MAX_EVIDENCE = 10;
    static final int MAX_STALL_CONTACTS = 32;

    private final AlertBook alerts;

    StallDetection(AlertBook alerts) {
        this.alerts = alerts;
    }

    /** Counts an inbound contact at {@code t} in the stall window, forgetting those that fell out of it. */
    void countInbound(CaseData c, Policy p, long t) {
        List<Long> contacts = new ArrayList<>(c.getStallInbound());
        contacts.add(t);
        long horizon = t - p.stall().window().toMillis();
        contacts.removeIf(x -> x < horizon);
        while (contacts.size() > MAX_STALL_CONTACTS) {
            contacts.remove(0);
        }
        c.setStallInbound(contacts);
    }

    /** Counts a holding reply in the case and in the episode, keeping the latest as evidence. */
    void countHolding(CaseData c, Instant at, HoldingReplyClassifier.Verdict v) {
        c.setHolding(c.getHolding() + 1);
        c.setStallHolding(c.getStallHolding() + 1);
        List<HoldingReplyEvidence> ev = new ArrayList<>(c.getStallEvidence());
        ev.add(new HoldingReplyEvidence(at, v.reason(), v.detail(), v.similarity()));
        while (ev.size() > MAX_EVIDENCE) {
            ev.remove(0);
        }
        c.setStallEvidence(ev);
    }

    /** SPEC section 4 STALL_LOOP: N contacts within the window, every reply since holding, no progress. */
    void check(CaseData c, Policy p, long t, List<Alert> out) {
        if (c.getState() != CaseState.OPEN || !c.getOpened() || c.getStallHolding() == 0) {
            return;
        }
        int n = p.stall().contacts();
        long horizon = t - p.stall().window().toMillis();
        long inWindow = c.getStallInbound().stream().filter(x -> x >= horizon).count();
        if (c.getStallAlertedAtHolding() == 0) {
            if (inWindow >= n) {
                c.setStallAlertedAtHolding(c.getStallHolding());
                alerts.raise(c, p, AlertKind.STALL_LOOP, c.getStallEpisode(), null, t, Evidences.stall(c, t, inWindow), out);
            }
            return;
        }
        int further = (c.getStallHolding() - c.getStallAlertedAtHolding()) / n;
        if (further >= 1) {
            Level base = p.levelOf(AlertKind.STALL_LOOP);
            Level level = Level.values()[Math.min(Level.L3.ordinal(), base.ordinal() + further)];
            alerts.raiseAt(c, p, AlertKind.STALL_LOOP, c.getStallEpisode(), level, null, t, Evidences.stall(c, t, inWindow), out);
        }
    }

    /** Progress at {@code t}: the episode's alerts close with {@code why} and the next episode starts from nothing. */
    void endEpisode(CaseData c, long t, String why, List<Alert> out) {
        if (c.getStallHolding() == 0 && c.getStallInbound().isEmpty()) {
            return;
        }
        if (c.getStallAlertedAtHolding() > 0) {
            alerts.close(c, Set.of(AlertKind.STALL_LOOP), t, why, out);
        }
        c.setStallEpisode(c.getStallEpisode() + 1);
        c.setStallHolding(0);
        c.setStallAlertedAtHolding(0);
        c.setStallInbound(new ArrayList<>());
        c.setStallEvidence(new ArrayList<>());
    }

    /** Whether the case is in a chronic stall now or could fall into one: open, with holding replies and no other. */
    static boolean chronicCandidate(CaseData c) {
        return CaseClocks.isOpen(c) && c.getHolding() > 0 && c.getSubstantive() == 0;
    }

    void raiseChronic(CaseData c, Policy p, BusinessCalendar cal, long now, List<Alert> out) {
        if (!chronicCandidate(c)) {
            return;
        }
        long max = CaseClocks.statutoryMaximum(c, p, cal);
        if (max != ClockMath.NEVER && max <= now) {
            Evidence.Builder ev = Evidence.newBuilder(Evidences.stall(c, max, c.getStallInbound().size()));
            ev.getNotes().put("chronic", "open past the statutory maximum with only holding replies");
            alerts.raiseAt(c, p, AlertKind.STALL_LOOP, CHRONIC_EPISODE, Level.L3, max, max, ev.build(), out);
        }
    }
}
