package io.casewatch.cases;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.casewatch.policy.ClockSpec;
import io.casewatch.policy.Policy;
import io.casewatch.schema.CaseState;
import io.casewatch.schema.ClockKind;
import io.casewatch.schema.ClockState;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.Pause;
import io.casewatch.schema.internal.PauseKind;
import io.casewatch.sla.Budget;
import io.casewatch.sla.BusinessCalendar;
import io.casewatch.sla.ClockMath;
import io.casewatch.sla.Interval;

/**
 * The four clocks of SPEC section 4-5 for one case under one policy, computed from the case's timestamps alone, so
 * that a view at any instant is the same whenever it is computed (late timers, replays, restarts).
 */
final class CaseClocks {

    private static final Set<PauseKind> RESOLUTION_PAUSES = Set.of(PauseKind.AWAITING_CUSTOMER, PauseKind.RESOLVED_GAP);
    private static final Set<PauseKind> STATUTORY_PAUSES = Set.of(PauseKind.EXCLUSION, PauseKind.RESOLVED_GAP);

    private CaseClocks() {
    }

    static List<ClockView> all(CaseData c, Policy p, BusinessCalendar cal, long now) {
        List<ClockView> views = new ArrayList<>(4);
        if (!c.getOpened()) {
            return views;
        }
        add(views, firstResponse(c, p, cal, now));
        add(views, nextReply(c, p, cal, now));
        add(views, resolution(c, p, cal, now));
        add(views, statutory(c, p, cal, now));
        return views;
    }

    private static void add(List<ClockView> views, ClockView v) {
        if (v != null) {
            views.add(v);
        }
    }

    static ClockView firstResponse(CaseData c, Policy p, BusinessCalendar cal, long now) {
        ClockSpec spec = p.firstResponse();
        if (spec == null || !c.getOpened()) {
            return null;
        }
        Long goal = min(c.getFirstResponseAt(), c.getFirstResolvedAt());
        Long stop = goal == null && isEndedWithoutResolution(c) ? c.getTerminalAt() : null;
        return view(ClockKind.FIRST_RESPONSE, spec, spec.budget(), c.getReceivedAt(), List.of(), goal, stop, p, cal, now, 1);
    }

    /**
     * The next-reply clock of the wait that began at {@code awaitingReplySince} (SPEC section 4 as of issue 21): it
     * runs for every follow-up, before any first response too. The contact that opened the case is the first-response
     * clock's alone; a wait starting there (state written before issue 21) is not timed twice.
     */
    static ClockView nextReply(CaseData c, Policy p, BusinessCalendar cal, long now) {
        Budget budget = p.nextReply();
        if (budget == null || c.getAwaitingReplySince() == null || !isOpen(c)) {
            return null;
        }
        if (c.getFirstResponseAt() == null && !isFollowUp(c, c.getAwaitingReplySince())) {
            return null;
        }
        return view(ClockKind.NEXT_REPLY, ClockSpec.of(budget).withAtRisk(List.of()), budget, c.getAwaitingReplySince(),
                List.of(), null, null, p, cal, now, c.getWaits());
    }

    /**
     * Whether an INBOUND contact at {@code t} comes after the case's receipt: the opening contact (at or before
     * receipt, however the producers ordered OPENED and contact) is what the first-response clock times.
     */
    static boolean isFollowUp(CaseData c, long t) {
        return c.getOpened() && c.getReceivedAt() != null && t > c.getReceivedAt();
    }

    /** Whether an INBOUND contact at {@code t}, with no wait running, starts one. */
    static boolean startsWait(CaseData c, long t) {
        return isFollowUp(c, t);
    }

    /**
     * The earliest INBOUND contact after receipt among those the case holds times of (its current stall window), for
     * a case whose contacts were read before its OPENED; null when there is none.
     */
    static Long firstFollowUp(CaseData c) {
        Long first = null;
        for (long t : c.getStallInbound()) {
            if (isFollowUp(c, t) && (first == null || t < first)) {
                first = t;
            }
        }
        return first;
    }

    static ClockView resolution(CaseData c, Policy p, BusinessCalendar cal, long now) {
        ClockSpec spec = p.resolution();
        if (spec == null) {
            return null;
        }
        return view(ClockKind.RESOLUTION, spec, spec.budgetAfter(c.getExtensions()), c.getClockStartAt(),
                pauses(c, RESOLUTION_PAUSES), resolvedGoal(c), stoppedWithoutResolution(c), p, cal, now, clockEpisode(c, p));
    }

    static ClockView statutory(CaseData c, Policy p, BusinessCalendar cal, long now) {
        ClockSpec spec = p.statutory();
        if (spec == null) {
            return null;
        }
        ClockView v = view(ClockKind.STATUTORY, spec.withAtRisk(List.of()), spec.budgetAfter(c.getExtensions()),
                c.getClockStartAt(), pauses(c, STATUTORY_PAUSES), resolvedGoal(c), stoppedWithoutResolution(c), p, cal, now,
                clockEpisode(c, p));
        long fireAt = v.deadline() == ClockMath.NEVER ? ClockMath.NEVER : ClockMath.lastBusinessDayStart(cal, v.deadline());
        return new ClockView(v.kind(), v.budget(), v.start(), v.budgetMillis(), v.usedMillis(), v.deadline(), fireAt,
                v.atRiskAt(), v.goalAt(), v.stoppedAt(), v.state(), v.episode());
    }

    /** The latest the statutory clock could run to with every extension, resolved gaps (and statutory exclusions) not counted: the chronic-stall check time. */
    static long statutoryMaximum(CaseData c, Policy p, BusinessCalendar cal) {
        ClockSpec spec = p.statutory() != null ? p.statutory() : p.resolution();
        if (spec == null || c.getReceivedAt() == null) {
            return ClockMath.NEVER;
        }
        Budget max = spec.budgetAfter(spec.extensions().size());
        long start = ClockMath.countingStart(max, cal, c.getReceivedAt(), p.afterHoursRollsToNextBusinessDay());
        // Time the case spent resolved (and, for the statutory clock, excluded) is not time it was left waiting.
        List<Interval> pauses = pauses(c, p.statutory() != null ? STATUTORY_PAUSES : RESOLUTION_PAUSES);
        return ClockMath.deadline(max, cal, start, pauses, spec.rollToBusinessDay());
    }

    private static ClockView view(ClockKind kind, ClockSpec spec, Budget budget, Long startEvent, List<Interval> pauses,
            Long goal, Long stop, Policy p, BusinessCalendar cal, long now, int episode) {
        long start = ClockMath.countingStart(budget, cal, startEvent, p.afterHoursRollsToNextBusinessDay());
        long need = ClockMath.budgetMillis(budget, cal, start);
        long deadline = ClockMath.deadline(budget, cal, start, pauses, spec.rollToBusinessDay());
        List<Double> shares = spec.atRiskShares();
        long[] atRisk = new long[shares.size()];
        for (int i = 0; i < atRisk.length; i++) {
            atRisk[i] = ClockMath.shareReached(budget.basis(), cal, start, need, shares.get(i), pauses);
        }
        Long end = goal != null ? goal : stop;
        long until = end == null ? now : Math.min(now, end);
        long used = ClockMath.counted(budget.basis(), cal, start, until, pauses);
        ClockState state;
        if (goal != null) {
            state = goal <= deadline ? ClockState.MET : ClockState.BREACHED;
        } else if (stop != null) {
            state = stop > deadline ? ClockState.BREACHED : ClockState.STOPPED;
        } else if (deadline != ClockMath.NEVER && now >= deadline) {
            state = ClockState.BREACHED;
        } else if (isPausedAt(pauses, now)) {
            state = ClockState.PAUSED;
        } else if (atRisk.length > 0 && now >= atRisk[0]) {
            state = ClockState.AT_RISK;
        } else {
            state = ClockState.RUNNING;
        }
        return new ClockView(kind, budget, start, need, used, deadline, deadline, atRisk, goal, stop, state, episode);
    }

    private static boolean isPausedAt(List<Interval> pauses, long t) {
        for (Interval i : pauses) {
            if (i.from() <= t && t < i.to()) {
                return true;
            }
        }
        return false;
    }

    static List<Interval> pauses(CaseData c, Set<PauseKind> kinds) {
        List<Interval> out = new ArrayList<>();
        long start = c.getClockStartAt() == null ? Long.MIN_VALUE : c.getClockStartAt();
        for (Pause pause : c.getPauses()) {
            if (kinds.contains(pause.getKind())) {
                long to = pause.getTo() == null ? Interval.OPEN : pause.getTo();
                if (to > start) {
                    out.add(new Interval(Math.max(pause.getFrom(), start), Math.max(to, Math.max(pause.getFrom(), start))));
                }
            }
        }
        return out;
    }

    /** Clocks restarted by REOPENED count as a new episode; continuing clocks keep episode 1. */
    static int clockEpisode(CaseData c, Policy p) {
        return p.restartOnReopen() ? 1 + c.getReopens() : 1;
    }

    static boolean isOpen(CaseData c) {
        return c.getState() == CaseState.OPEN || c.getState() == CaseState.AWAITING_CUSTOMER;
    }

    private static boolean isEndedWithoutResolution(CaseData c) {
        return c.getState() == CaseState.CLOSED || c.getState() == CaseState.WITHDRAWN;
    }

    private static Long resolvedGoal(CaseData c) {
        boolean resolvedNow = c.getState() == CaseState.RESOLVED || c.getState() == CaseState.CLOSED;
        if (!resolvedNow || c.getResolvedAt() == null) {
            return null;
        }
        return c.getClockStartAt() != null && c.getResolvedAt() < c.getClockStartAt() ? null : c.getResolvedAt();
    }

    private static Long stoppedWithoutResolution(CaseData c) {
        return resolvedGoal(c) == null && isEndedWithoutResolution(c) ? c.getTerminalAt() : null;
    }

    private static Long min(Long a, Long b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Math.min(a, b);
    }
}
