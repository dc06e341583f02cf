package io.casewatch.cases;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.casewatch.policy.Policy;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.ClockStatus;
import io.casewatch.schema.Level;
import io.casewatch.schema.OpenAlert;
import io.casewatch.schema.internal.AlertState;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.sla.BusinessCalendar;
import io.casewatch.sla.ClockMath;

/** A case as dashboards see it ({@link CaseStatus}) and the instant it next needs a look, both from one set of clock views. */
final class StatusView {

    private StatusView() {
    }

    /**
     * The earliest instant after {@code firedUpTo} (the instant up to which the clocks have been fired) at which the
     * case could raise something, or {@link ClockMath#NEVER}.
     */
    static long nextDue(CaseData c, Policy p, BusinessCalendar cal, List<ClockView> views, long firedUpTo) {
        if (!c.getOpened()) {
            return ClockMath.NEVER;
        }
        long next = ClockMath.NEVER;
        // A point already behind firedUpTo and not raised (the event just applied made it so: a reopening that ends
        // the pause a statutory point fell in, a first holding reply after the statutory maximum) is due at the next
        // look, not only at the case's next event, which may never come; advance looks at the same views. Not before
        // the case's last update: the status published with it must not show the clocks as of an earlier instant.
        long nextLook = Math.max(firedUpTo + 1, c.getUpdatedAt());
        for (ClockView v : views) {
            // A goal met or a case ended after a point that has not fired yet leaves that point due: the event that
            // settled the clock may be read before the deadline it missed has fired (docs/time.md).
            if (v.fireAt() != ClockMath.NEVER && !v.settledBy(v.fireAt())) {
                AlertKind breach = ClockFiring.breachKind(v.kind());
                if (v.fireAt() > firedUpTo) {
                    next = Math.min(next, v.fireAt());
                } else if (breach != null && v.deadline() != ClockMath.NEVER && !AlertBook.raised(c, p, breach, v.episode(), p.levelOf(breach))) {
                    next = Math.min(next, nextLook);
                }
            }
            AlertKind atRisk = ClockFiring.atRiskKind(v.kind());
            long[] times = v.atRiskAt();
            for (int i = 0; i < times.length; i++) {
                long r = times[i];
                if (r == ClockMath.NEVER || v.settledBy(r)) {
                    continue;
                }
                if (r > firedUpTo) {
                    next = Math.min(next, r);
                } else if (atRisk != null && !AlertBook.raised(c, p, atRisk, ClockFiring.atRiskEpisode(v, i), p.levelOf(atRisk))) {
                    next = Math.min(next, nextLook);
                }
            }
        }
        if (StallDetection.chronicCandidate(c)) {
            long max = CaseClocks.statutoryMaximum(c, p, cal);
            if (max > firedUpTo) {
                next = Math.min(next, max);
            } else if (max != ClockMath.NEVER && !AlertBook.raised(c, p, AlertKind.STALL_LOOP, StallDetection.CHRONIC_EPISODE, Level.L3)) {
                next = Math.min(next, nextLook);
            }
        }
        for (AlertState a : c.getAlerts()) {
            if (!a.getAcked() && !a.getClosed() && a.getAckDueAt() != null) {
                next = Math.min(next, Math.max(a.getAckDueAt(), firedUpTo + 1));
            }
        }
        return next;
    }

    static CaseStatus status(CaseData c, Policy p, List<ClockView> views, long now) {
        List<ClockStatus> clocks = new ArrayList<>(views.size());
        for (ClockView v : views) {
            clocks.add(new ClockStatus(v.kind(), v.state(),
                    v.deadline() == ClockMath.NEVER ? null : Instant.ofEpochMilli(v.deadline()),
                    v.budgetMillis(), v.usedMillis(), v.budgetUsed()));
        }
        List<OpenAlert> open = new ArrayList<>();
        for (AlertState a : c.getAlerts()) {
            if (!a.getClosed()) {
                open.add(new OpenAlert(a.getAlertId(), a.getKind(), a.getLevel()));
            }
        }
        return CaseStatus.newBuilder()
                .setCaseId(c.getCaseId())
                .setMerchantId(c.getMerchantId() == null ? "" : c.getMerchantId())
                .setState(c.getState())
                .setPolicyId(p.id())
                .setJurisdiction(c.getJurisdiction())
                .setCategory(c.getCategory())
                .setOpenedAt(c.getReceivedAt() == null ? null : Instant.ofEpochMilli(c.getReceivedAt()))
                .setUpdatedAt(Instant.ofEpochMilli(Math.max(c.getUpdatedAt(), now)))
                .setClocks(clocks)
                .setInboundContacts(c.getInbound())
                .setOutboundContacts(c.getOutbound())
                .setHoldingReplies(c.getHolding())
                .setReopens(c.getReopens())
                .setOpenAlerts(open)
                .setTruncatedTexts(c.getTruncatedTexts())
                .setEventsApplied(c.getEventsApplied())
                .setDuplicatesIgnored(c.getDuplicatesIgnored())
                .build();
    }
}
