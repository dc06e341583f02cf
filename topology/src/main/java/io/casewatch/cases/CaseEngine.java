package io.casewatch.cases;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.casewatch.escalation.AlertIds;
import io.casewatch.escalation.EscalationRules;
import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.loops.SimHash;
import io.casewatch.policy.Policy;
import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Actor;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.CaseState;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.ClockKind;
import io.casewatch.schema.ClockStatus;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.HoldingReplyEvidence;
import io.casewatch.schema.Level;
import io.casewatch.schema.OpenAlert;
import io.casewatch.schema.internal.LifecycleStep;
import io.casewatch.schema.internal.AlertState;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.Pause;
import io.casewatch.schema.internal.PauseKind;
import io.casewatch.sla.BusinessCalendar;
import io.casewatch.sla.ClockMath;

/**
 * The domain of one case, free of Kafka: applies events to a {@link CaseData}, fires what is due, and says when
 * the case next needs a look. Every decision uses the case's own timestamps, never the time a call happens, so the
 * same events give the same alerts in live operation, after a restart and in replay.
 *
 * <p>Callers first {@link #advance} a case to the event's time (minus the lateness grace) and then apply the event,
 * so an alert due before the event is raised before the event changes the case.
 */
public final class CaseEngine {

    static final int MAX_SEEN_EVENTS = 64;
    static final int MAX_FINGERPRINTS = 8;
    static final int MAX_TEMPLATES = 16;
    static final int MAX_EVIDENCE = 10;
    static final int MAX_STALL_CONTACTS = 32;
    private static final long DAY = 86_400_000L;
    /** Episode of the chronic stall (open past the statutory maximum with only holding replies). */
    static final int CHRONIC_EPISODE = 0;

    private final PolicySet policies;
    private final HoldingReplyClassifier classifier;
    private final EscalationRules rules;

    public CaseEngine(PolicySet policies, HoldingReplyClassifier classifier, EscalationRules rules) {
        this.policies = policies;
        this.classifier = classifier;
        this.rules = rules;
    }

    public PolicySet policies() {
        return policies;
    }

    public static CaseData newCase(String caseId, long firstSeenAt) {
        return CaseData.newBuilder().setCaseId(caseId).setFirstSeenAt(firstSeenAt).setUpdatedAt(firstSeenAt).build();
    }

    /** True (and remembered) the first time an event id is seen on this case; false for a duplicate. */
    public boolean markSeen(CaseData c, String eventId) {
        long h = SimHash.hash64(eventId);
        if (contains(c.getSeenEvents(), h)) {
            return false;
        }
        c.setSeenEvents(append(c.getSeenEvents(), h, MAX_SEEN_EVENTS));
        return true;
    }

    public Policy policyOf(CaseData c, long at) {
        Policy p = policies.select(c.getJurisdiction(), c.getCategory(), c.getMerchantId(), at);
        if (p != null && !p.id().equals(c.getPolicyId()) && c.getOpened()) {
            c.setPolicyId(p.id());
        }
        return p;
    }

    // ---------------------------------------------------------------- complaint lifecycle

    public List<Alert> onComplaint(CaseData c, ComplaintEvent e) {
        List<Alert> out = new ArrayList<>();
        long t = e.getOccurredAt().toEpochMilli();
        c.setUpdatedAt(Math.max(c.getUpdatedAt(), t));
        if (e.getMerchantId() != null && c.getMerchantId() == null) {
            c.setMerchantId(e.getMerchantId());
        }
        recordStep(c, e.getType().name(), t, e.getReason());
        switch (e.getType()) {
            case OPENED -> open(c, e, t);
            case ASSIGNED -> {
                // Timeline only: assignment starts no clock.
            }
            case AWAITING_CUSTOMER -> {
                Policy p = policyOf(c, t);
                c.setState(CaseState.AWAITING_CUSTOMER);
                openPause(c, PauseKind.AWAITING_CUSTOMER, t);
                if (e.getReason() != null && p.exclusionReasons().contains(e.getReason())) {
                    openPause(c, PauseKind.EXCLUSION, t);
                }
                endStallEpisode(c, t, "progress: AWAITING_CUSTOMER", out);
            }
            case RESUMED -> resume(c, t);
            case EXTENDED -> {
                Policy p = policyOf(c, t);
                int limit = Math.max(p.resolution() == null ? 0 : p.resolution().extensions().size(),
                        p.statutory() == null ? 0 : p.statutory().extensions().size());
                if (c.getExtensions() < limit) {
                    c.setExtensions(c.getExtensions() + 1);
                }
                endStallEpisode(c, t, "progress: EXTENDED", out);
            }
            case RESOLVED -> {
                c.setState(CaseState.RESOLVED);
                c.setResolvedAt(t);
                if (c.getFirstResolvedAt() == null) {
                    c.setFirstResolvedAt(t);
                }
                c.setOutcome(e.getOutcome());
                c.setTerminalAt(t);
                c.setTerminalType("RESOLVED");
                closePauses(c, t);
                openPause(c, PauseKind.RESOLVED_GAP, t);
                endStallEpisode(c, t, "progress: RESOLVED", out);
                closeAlerts(c, null, t, "case resolved", out);
            }
            case CLOSED, WITHDRAWN -> {
                boolean wasResolved = c.getState() == CaseState.RESOLVED;
                c.setState(e.getType() == io.casewatch.schema.ComplaintEventType.CLOSED ? CaseState.CLOSED : CaseState.WITHDRAWN);
                if (!wasResolved) {
                    c.setTerminalAt(t);
                    closePauses(c, t);
                }
                c.setTerminalType(e.getType().name());
                c.setAwaitingReplySince(null);
                closeAlerts(c, null, t, "case " + e.getType().name().toLowerCase(java.util.Locale.ROOT), out);
            }
            case REOPENED -> reopen(c, t, out);
            default -> throw new InvalidEventException(InvalidEventException.Reason.UNKNOWN_ENUM,
                    "complaint event type " + e.getType() + " has no meaning here");
        }
        return out;
    }

    /** Lifecycle steps kept for the compliance record: the first one (receipt) and the latest ones. */
    static final int MAX_STEPS = 64;
    /** What {@link #reasonCode} puts in place of a reason that is not a code. */
    public static final String WITHHELD_REASON = "FREE_TEXT_WITHHELD";
    private static final java.util.regex.Pattern REASON_CODE = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final java.util.regex.Pattern DIGIT_RUN = java.util.regex.Pattern.compile("[0-9]{4}");

    private static void recordStep(CaseData c, String type, long t, String reason) {
        List<LifecycleStep> steps = c.getSteps();
        if (!(steps instanceof ArrayList)) {
            steps = new ArrayList<>(steps);
            c.setSteps(steps);
        }
        if (steps.size() >= MAX_STEPS) {
            steps.remove(1);
        }
        steps.add(new LifecycleStep(type, t, reasonCode(reason)));
    }

    /**
     * A lifecycle reason as casewatch keeps it (case state, its changelog, ComplianceRecord timelines): {@code reason} is
     * meant for codes ({@code EXTERNAL_APPRAISAL}, {@code CFPB_TIMELY_EXPLANATION}), but producers may put free text
     * there, with a customer's name or number in it. An upper-case code of at most 64 letters, digits and underscores,
     * without a run of four digits (an account or phone number written as a code), is kept; anything else becomes
     * {@link #WITHHELD_REASON}, so that the timeline still shows a reason was given (docs/decisions.md). Policies match
     * their exclusion reasons on the event's own value, before this.
     */
    public static String reasonCode(String reason) {
        if (reason == null) {
            return null;
        }
        return REASON_CODE.matcher(reason).matches() && !DIGIT_RUN.matcher(reason).find() ? reason : WITHHELD_REASON;
    }

    private void open(CaseData c, ComplaintEvent e, long t) {
        if (c.getOpened()) {
            return;
        }
        c.setOpened(true);
        c.setReceivedAt(t);
        c.setClockStartAt(t);
        c.setState(CaseState.OPEN);
        c.setMerchantId(e.getMerchantId());
        c.setJurisdiction(e.getJurisdiction());
        c.setCategory(e.getCategory());
        c.setCustomerRef(e.getCustomerRef());
        c.setPolicyId(policies.select(e.getJurisdiction(), e.getCategory(), e.getMerchantId(), t).id());
        // Contacts read before their OPENED started no wait (receipt unknown then): the first one after receipt does.
        Long followUp = CaseClocks.firstFollowUp(c);
        if (followUp != null && c.getAwaitingReplySince() == null && (c.getFirstResponseAt() == null || c.getFirstResponseAt() < followUp)) {
            c.setAwaitingReplySince(followUp);
            c.setWaits(c.getWaits() + 1);
        }
    }

    private void resume(CaseData c, long t) {
        for (Pause p : c.getPauses()) {
            if (p.getTo() == null && (p.getKind() == PauseKind.AWAITING_CUSTOMER || p.getKind() == PauseKind.EXCLUSION)) {
                p.setTo(Math.max(t, p.getFrom()));
            }
        }
        if (c.getState() == CaseState.AWAITING_CUSTOMER) {
            c.setState(CaseState.OPEN);
        }
    }

    private void reopen(CaseData c, long t, List<Alert> out) {
        Policy p = policyOf(c, t);
        closePauses(c, t);
        c.setState(CaseState.OPEN);
        c.setReopens(c.getReopens() + 1);
        c.setReopenedAt(t);
        c.setTerminalAt(null);
        c.setTerminalType(null);
        if (p.restartOnReopen()) {
            c.setClockStartAt(t);
            c.setExtensions(0);
        }
        int k = p.reopenLoopThreshold();
        if (c.getReopens() % k == 0) {
            raise(c, p, AlertKind.REOPEN_LOOP, c.getReopens() / k, null, t, evidence(c, t).setReopens(c.getReopens()).build(), out);
        }
    }

    // ---------------------------------------------------------------- contacts

    public List<Alert> onContact(CaseData c, ContactEvent e) {
        return onContact(c, e, false);
    }

    /** A contact; {@code textTruncated}: its text was cut to the limit before it came here, and the case counts it. */
    public List<Alert> onContact(CaseData c, ContactEvent e, boolean textTruncated) {
        if (textTruncated) {
            c.setTruncatedTexts(c.getTruncatedTexts() + 1);
        }
        List<Alert> out = new ArrayList<>();
        long t = e.getOccurredAt().toEpochMilli();
        c.setUpdatedAt(Math.max(c.getUpdatedAt(), t));
        if (c.getMerchantId() == null && e.getMerchantId() != null) {
            c.setMerchantId(e.getMerchantId());
        }
        Policy p = policyOf(c, t);
        if (e.getDirection() == Direction.INBOUND) {
            inbound(c, p, e, t, out);
        } else if (e.getDirection() == Direction.OUTBOUND) {
            outbound(c, p, e, t, out);
        } else {
            throw new InvalidEventException(InvalidEventException.Reason.UNKNOWN_ENUM, "contact direction " + e.getDirection());
        }
        return out;
    }

    private void inbound(CaseData c, Policy p, ContactEvent e, long t, List<Alert> out) {
        CaseTimeline.record(c, e, CaseTimeline.Reply.NONE);
        c.setInbound(c.getInbound() + 1);
        c.setFirstContactAt(c.getFirstContactAt() == null ? t : Math.min(c.getFirstContactAt(), t));
        c.setLastContactAt(c.getLastContactAt() == null ? t : Math.max(c.getLastContactAt(), t));
        if (c.getState() == CaseState.AWAITING_CUSTOMER && p.inboundResumes()) {
            resume(c, t);
        }
        if (CaseClocks.isOpen(c) && c.getAwaitingReplySince() == null && CaseClocks.startsWait(c, t)) {
            c.setAwaitingReplySince(t);
            c.setWaits(c.getWaits() + 1);
        }
        List<Long> contacts = new ArrayList<>(c.getStallInbound());
        contacts.add(t);
        long horizon = t - p.stall().window().toMillis();
        contacts.removeIf(x -> x < horizon);
        while (contacts.size() > MAX_STALL_CONTACTS) {
            contacts.remove(0);
        }
        c.setStallInbound(contacts);
        checkStall(c, p, t, out);
    }

    private void outbound(CaseData c, Policy p, ContactEvent e, long t, List<Alert> out) {
        c.setOutbound(c.getOutbound() + 1);
        HoldingReplyClassifier.Verdict v = classifier.classify(e.getText(), e.getLanguage(), e.getTemplateId(),
                longs(c.getFingerprints()), longs(c.getTemplates()));
        if (e.getText() != null && !e.getText().isBlank()) {
            c.setFingerprints(append(c.getFingerprints(), v.fingerprint(), MAX_FINGERPRINTS));
        }
        if (e.getTemplateId() != null && !e.getTemplateId().isBlank()) {
            long th = SimHash.hash64(e.getTemplateId());
            if (!contains(c.getTemplates(), th)) {
                c.setTemplates(append(c.getTemplates(), th, MAX_TEMPLATES));
            }
        }
        boolean counts = e.getActor() == Actor.AGENT || e.getActor() == Actor.MERCHANT
                || (e.getActor() == Actor.BOT && p.countBotReplies());
        CaseTimeline.record(c, e, v.holding() ? CaseTimeline.Reply.HOLDING : counts ? CaseTimeline.Reply.SUBSTANTIVE : CaseTimeline.Reply.NOT_COUNTED);
        if (v.holding()) {
            c.setHolding(c.getHolding() + 1);
            c.setStallHolding(c.getStallHolding() + 1);
            List<HoldingReplyEvidence> ev = new ArrayList<>(c.getStallEvidence());
            ev.add(new HoldingReplyEvidence(e.getOccurredAt(), v.reason(), v.detail(), v.similarity()));
            while (ev.size() > MAX_EVIDENCE) {
                ev.remove(0);
            }
            c.setStallEvidence(ev);
        } else if (counts) {
            c.setSubstantive(c.getSubstantive() + 1);
            c.setLastSubstantiveReplyAt(t);
            endStallEpisode(c, t, "substantive reply", out);
        }
        if (counts) {
            if (c.getFirstResponseAt() == null || t < c.getFirstResponseAt()) {
                c.setFirstResponseAt(t);
                closeAlerts(c, Set.of(AlertKind.FIRST_RESPONSE_AT_RISK, AlertKind.FIRST_RESPONSE_BREACH), t, "first response sent", out);
            }
            if (c.getAwaitingReplySince() != null && c.getAwaitingReplySince() <= t) {
                c.setAwaitingReplySince(null);
                closeAlerts(c, Set.of(AlertKind.UNANSWERED_CONTACT), t, "contact answered", out);
            }
        }
        if (v.holding()) {
            checkStall(c, p, t, out);
        }
    }

    /** SPEC section 4 STALL_LOOP: N contacts within the window, every reply since holding, no progress. */
    private void checkStall(CaseData c, Policy p, long t, List<Alert> out) {
        if (c.getState() != CaseState.OPEN || !c.getOpened() || c.getStallHolding() == 0) {
            return;
        }
        int n = p.stall().contacts();
        long horizon = t - p.stall().window().toMillis();
        long inWindow = c.getStallInbound().stream().filter(x -> x >= horizon).count();
        if (c.getStallAlertedAtHolding() == 0) {
            if (inWindow >= n) {
                c.setStallAlertedAtHolding(c.getStallHolding());
                raise(c, p, AlertKind.STALL_LOOP, c.getStallEpisode(), null, t, stallEvidence(c, t, inWindow), out);
            }
            return;
        }
        int further = (c.getStallHolding() - c.getStallAlertedAtHolding()) / n;
        if (further >= 1) {
            Level base = p.levelOf(AlertKind.STALL_LOOP);
            Level level = Level.values()[Math.min(Level.L3.ordinal(), base.ordinal() + further)];
            raiseAt(c, p, AlertKind.STALL_LOOP, c.getStallEpisode(), level, null, t, stallEvidence(c, t, inWindow), out);
        }
    }

    private void endStallEpisode(CaseData c, long t, String why, List<Alert> out) {
        if (c.getStallHolding() == 0 && c.getStallInbound().isEmpty()) {
            return;
        }
        if (c.getStallAlertedAtHolding() > 0) {
            closeAlerts(c, Set.of(AlertKind.STALL_LOOP), t, why, out);
        }
        c.setStallEpisode(c.getStallEpisode() + 1);
        c.setStallHolding(0);
        c.setStallAlertedAtHolding(0);
        c.setStallInbound(new ArrayList<>());
        c.setStallEvidence(new ArrayList<>());
    }

    // ---------------------------------------------------------------- acknowledgements

    public List<Alert> onAck(CaseData c, EscalationAck ack) {
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
        return List.of();
    }

    // ---------------------------------------------------------------- time

    /** Raises everything due at or before {@code now}, in the order it fell due. */
    public List<Alert> advance(CaseData c, long now) {
        List<Alert> out = new ArrayList<>();
        if (!c.getOpened()) {
            return out;
        }
        Policy p = policyOf(c, now);
        BusinessCalendar cal = policies.calendarOf(p);
        int known = c.getAlerts().size();
        for (ClockView v : CaseClocks.all(c, p, cal, now)) {
            fireClock(c, p, cal, v, now, out);
        }
        chronicStall(c, p, cal, now, out);
        escalateUnacked(c, p, now, out);
        inTimeOrder(c, known, out);
        return out;
    }

    /**
     * Puts what one look at the clocks raised in the order it fell due (the order of clocks for equal instants). How
     * many due points one look finds depends on how far stream time jumped, which depends on how many cases share the
     * task; looked at point by point they would have been raised in time order, and the case's alert list (which the
     * compliance record shows) must not depend on the partition count.
     */
    private static void inTimeOrder(CaseData c, int known, List<Alert> out) {
        if (out.size() < 2) {
            return;
        }
        out.sort(java.util.Comparator.comparing(Alert::getDetectedAt));
        List<AlertState> all = c.getAlerts();
        if (all.size() - known > 1) {
            List<AlertState> sorted = new ArrayList<>(all);
            sorted.subList(known, sorted.size()).sort(java.util.Comparator.comparingLong(AlertState::getRaisedAt));
            c.setAlerts(sorted);
        }
    }

    /**
     * Raises the clock's at-risk points and its breach that fell due at or before {@code now} and were not settled by
     * then. Each alert is stamped with the instant it fell due, never with {@code now}: how late a clock is looked at
     * depends on how many other cases share the task (a partition with few events moves stream time in larger steps),
     * and the alerts must not. So an at-risk point first looked at after the deadline is still raised, before the
     * breach, as it would have been had stream time passed it in between.
     */
    private static AlertKind atRiskKind(ClockKind k) {
        return switch (k) {
            case FIRST_RESPONSE -> AlertKind.FIRST_RESPONSE_AT_RISK;
            case RESOLUTION -> AlertKind.RESOLUTION_AT_RISK;
            default -> null;
        };
    }

    private static AlertKind breachKind(ClockKind k) {
        return switch (k) {
            case FIRST_RESPONSE -> AlertKind.FIRST_RESPONSE_BREACH;
            case RESOLUTION -> AlertKind.RESOLUTION_BREACH;
            case STATUTORY -> AlertKind.STATUTORY_BREACH;
            case NEXT_REPLY -> AlertKind.UNANSWERED_CONTACT;
            default -> null;
        };
    }

    /** At-risk points of one clock episode get episodes of their own, 16 to a clock episode. */
    private static int atRiskEpisode(ClockView v, int point) {
        return (v.episode() - 1) * 16 + point + 1;
    }

    private void fireClock(CaseData c, Policy p, BusinessCalendar cal, ClockView v, long now, List<Alert> out) {
        AlertKind atRisk = atRiskKind(v.kind());
        if (atRisk != null) {
            long[] times = v.atRiskAt();
            for (int i = 0; i < times.length; i++) {
                if (times[i] != ClockMath.NEVER && times[i] <= now && !v.settledBy(times[i])) {
                    raise(c, p, atRisk, atRiskEpisode(v, i), v.deadline(), times[i], clockEvidence(c, p, cal, v, times[i]).build(), out);
                }
            }
        }
        AlertKind breach = breachKind(v.kind());
        if (breach != null && v.deadline() != ClockMath.NEVER && v.fireAt() <= now && !v.settledBy(v.fireAt())) {
            Evidence.Builder ev = clockEvidence(c, p, cal, v, v.fireAt());
            if (v.kind() == ClockKind.STATUTORY) {
                ev.getNotes().put("phase", v.fireAt() >= v.deadline() ? "PASSED" : "LAST_BUSINESS_DAY");
            }
            raise(c, p, breach, v.episode(), v.deadline(), v.fireAt(), ev.build(), out);
        }
    }

    private void chronicStall(CaseData c, Policy p, BusinessCalendar cal, long now, List<Alert> out) {
        if (!CaseClocks.isOpen(c) || c.getHolding() == 0 || c.getSubstantive() > 0) {
            return;
        }
        long max = CaseClocks.statutoryMaximum(c, p, cal);
        if (max != ClockMath.NEVER && max <= now) {
            Evidence.Builder ev = Evidence.newBuilder(stallEvidence(c, max, c.getStallInbound().size()));
            ev.getNotes().put("chronic", "open past the statutory maximum with only holding replies");
            raiseAt(c, p, AlertKind.STALL_LOOP, CHRONIC_EPISODE, Level.L3, max, max, ev.build(), out);
        }
    }

    /** Climbs every unacknowledged alert as far as {@code now} allows: L1 to L2 to L3 in one call if both are due. */
    private void escalateUnacked(CaseData c, Policy p, long now, List<Alert> out) {
        int before;
        do {
            before = out.size();
            escalateUnackedOnce(c, p, now, out);
        } while (out.size() > before);
    }

    private void escalateUnackedOnce(CaseData c, Policy p, long now, List<Alert> out) {
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
            if (find(c, id) != null) {
                continue;
            }
            Evidence.Builder ev = evidence(c, due);
            ev.getNotes().put("unackedAlertId", a.getAlertId());
            ev.getNotes().put("unackedLevel", a.getLevel().name());
            Alert alert = baseAlert(c, p, id, AlertKind.ESCALATION_UNACKED, next, a.getEpisode(), due, due, ev.build());
            alert.setRelatedAlertId(a.getRootAlertId());
            remember(c, p, alert, a.getRootAlertId());
            out.add(alert);
        }
    }

    /**
     * The case's clocks as they stood when it reached a terminal state at {@code t}: a resolution opens a pause
     * that lasts until a reopening, which would hide the deadline a compliance record must show.
     */
    public List<ClockView> clocksAtTerminal(CaseData c, long t) {
        CaseData copy = CaseData.newBuilder(c).build();
        List<io.casewatch.schema.internal.Pause> pauses = new ArrayList<>(copy.getPauses());
        pauses.removeIf(x -> x.getKind() == PauseKind.RESOLVED_GAP && x.getTo() == null);
        copy.setPauses(pauses);
        Policy p = policyOf(copy, t);
        return CaseClocks.all(copy, p, policies.calendarOf(p), t);
    }

    /** The case as a person looks at it at {@code now}: events, clock bars with pauses, alerts (no text). */
    public CaseTimeline.View timeline(CaseData c, long now) {
        Policy p = policyOf(c, now);
        return CaseTimeline.view(c, c.getOpened() ? CaseClocks.all(c, p, policies.calendarOf(p), now) : List.of());
    }

    /** What a case looks like after a change: its status for dashboards and when it next needs {@link #advance}. */
    public record Settled(CaseStatus status, long nextDue, Policy policy, BusinessCalendar calendar, List<ClockView> views) {
    }

    /**
     * Computes the case's clocks once, for both its status at {@code now} and its next due instant: the earliest
     * alert that could still fall due after {@code firedUpTo}, the instant up to which {@link #advance} has run.
     */
    public Settled settle(CaseData c, long firedUpTo, long now) {
        Policy p = policyOf(c, now);
        BusinessCalendar cal = policies.calendarOf(p);
        List<ClockView> views = CaseClocks.all(c, p, cal, now);
        return new Settled(status(c, p, views, now), nextDue(c, p, cal, views, firedUpTo), p, cal, views);
    }

    private static long nextDue(CaseData c, Policy p, BusinessCalendar cal, List<ClockView> views, long firedUpTo) {
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
                AlertKind breach = breachKind(v.kind());
                if (v.fireAt() > firedUpTo) {
                    next = Math.min(next, v.fireAt());
                } else if (breach != null && v.deadline() != ClockMath.NEVER && !raised(c, p, breach, v.episode(), p.levelOf(breach))) {
                    next = Math.min(next, nextLook);
                }
            }
            AlertKind atRisk = atRiskKind(v.kind());
            long[] times = v.atRiskAt();
            for (int i = 0; i < times.length; i++) {
                long r = times[i];
                if (r == ClockMath.NEVER || v.settledBy(r)) {
                    continue;
                }
                if (r > firedUpTo) {
                    next = Math.min(next, r);
                } else if (atRisk != null && !raised(c, p, atRisk, atRiskEpisode(v, i), p.levelOf(atRisk))) {
                    next = Math.min(next, nextLook);
                }
            }
        }
        if (CaseClocks.isOpen(c) && c.getHolding() > 0 && c.getSubstantive() == 0) {
            long max = CaseClocks.statutoryMaximum(c, p, cal);
            if (max > firedUpTo) {
                next = Math.min(next, max);
            } else if (max != ClockMath.NEVER && !raised(c, p, AlertKind.STALL_LOOP, CHRONIC_EPISODE, Level.L3)) {
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

    private static CaseStatus status(CaseData c, Policy p, List<ClockView> views, long now) {
        List<ClockStatus> clocks = new ArrayList<>(views.size());
        for (ClockView v : views) {
            clocks.add(new ClockStatus(v.kind(), v.state(),
                    v.deadline() == ClockMath.NEVER ? null : java.time.Instant.ofEpochMilli(v.deadline()),
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
                .setOpenedAt(c.getReceivedAt() == null ? null : java.time.Instant.ofEpochMilli(c.getReceivedAt()))
                .setUpdatedAt(java.time.Instant.ofEpochMilli(Math.max(c.getUpdatedAt(), now)))
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

    // ---------------------------------------------------------------- alerts

    private void raise(CaseData c, Policy p, AlertKind kind, int episode, Long deadline, long detectedAt, Evidence ev, List<Alert> out) {
        raiseAt(c, p, kind, episode, p.levelOf(kind), deadline, detectedAt, ev, out);
    }

    private static String alertId(CaseData c, Policy p, AlertKind kind, int episode, Level level) {
        Level floor = p.minimumLevel();
        return AlertIds.of(c.getCaseId(), kind, episode, level.ordinal() < floor.ordinal() ? floor : level);
    }

    /** Whether {@link #raiseAt} has raised this alert on the case (it raises each once). */
    private static boolean raised(CaseData c, Policy p, AlertKind kind, int episode, Level level) {
        return find(c, alertId(c, p, kind, episode, level)) != null;
    }

    private void raiseAt(CaseData c, Policy p, AlertKind kind, int episode, Level level, Long deadline, long detectedAt,
            Evidence ev, List<Alert> out) {
        Level floor = p.minimumLevel();
        Level effective = level.ordinal() < floor.ordinal() ? floor : level;
        String id = alertId(c, p, kind, episode, level);
        if (find(c, id) != null) {
            return;
        }
        Alert a = baseAlert(c, p, id, kind, effective, episode, deadline, detectedAt, ev);
        remember(c, p, a, id);
        out.add(a);
    }

    private Alert baseAlert(CaseData c, Policy p, String id, AlertKind kind, Level level, int episode, Long deadline,
            long detectedAt, Evidence ev) {
        return Alert.newBuilder()
                .setAlertId(id)
                .setCaseId(c.getCaseId())
                .setMerchantId(c.getMerchantId() == null ? "" : c.getMerchantId())
                .setKind(kind)
                .setLevel(level)
                .setStatus(AlertStatus.OPEN)
                .setPolicyId(p.id())
                .setDeadline(deadline == null || deadline == ClockMath.NEVER ? null : java.time.Instant.ofEpochMilli(deadline))
                .setDetectedAt(java.time.Instant.ofEpochMilli(detectedAt))
                .setJurisdiction(c.getJurisdiction())
                .setCategory(c.getCategory())
                .setCustomerRef(c.getCustomerRef())
                .setEpisode(episode)
                .setEvidence(ev)
                .build();
    }

    private void remember(CaseData c, Policy p, Alert a, String rootId) {
        Duration ack = p.ackTime(a.getLevel());
        // An L1 alert held for quiet hours reaches people at the next opening; its ack time counts from then.
        long shown = a.getLevel() == Level.L1 ? rules.releaseAt(a.getDetectedAt().toEpochMilli()) : a.getDetectedAt().toEpochMilli();
        Long due = a.getLevel() == Level.L3 || ack == null || !rules.ackEscalation() ? null : shown + ack.toMillis();
        List<AlertState> alerts = new ArrayList<>(c.getAlerts());
        alerts.add(new AlertState(a.getAlertId(), rootId, a.getKind(), a.getLevel(), a.getEpisode(),
                a.getDetectedAt().toEpochMilli(), due, false, false, null));
        c.setAlerts(alerts);
    }

    /** Closes open alerts of these kinds (all kinds when null), their re-escalations included. */
    private void closeAlerts(CaseData c, Set<AlertKind> kinds, long t, String reason, List<Alert> out) {
        Map<String, AlertKind> rootKind = new HashMap<>();
        for (AlertState a : c.getAlerts()) {
            if (a.getAlertId().equals(a.getRootAlertId())) {
                rootKind.put(a.getAlertId(), a.getKind());
            }
        }
        Policy p = policyOf(c, t);
        for (AlertState a : c.getAlerts()) {
            AlertKind k = rootKind.getOrDefault(a.getRootAlertId(), a.getKind());
            if (a.getClosed() || (kinds != null && !kinds.contains(k))) {
                continue;
            }
            a.setClosed(true);
            a.setClosedAt(t);
            a.setAckDueAt(null);
            Alert closed = baseAlert(c, p, a.getAlertId(), a.getKind(), a.getLevel(), a.getEpisode(), null, t, evidence(c, t).build());
            closed.setStatus(AlertStatus.CLOSED);
            closed.setCloseReason(reason);
            closed.setRelatedAlertId(a.getRootAlertId().equals(a.getAlertId()) ? null : a.getRootAlertId());
            out.add(closed);
        }
    }

    private static AlertState find(CaseData c, String id) {
        for (AlertState a : c.getAlerts()) {
            if (a.getAlertId().equals(id)) {
                return a;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- evidence

    private Evidence.Builder evidence(CaseData c, long at) {
        Evidence.Builder b = Evidence.newBuilder()
                .setInboundContacts(c.getInbound())
                .setFirstContactAt(instant(c.getFirstContactAt()))
                .setLastContactAt(instant(c.getLastContactAt()))
                .setLastSubstantiveReplyAt(instant(c.getLastSubstantiveReplyAt()))
                .setReopens(c.getReopens())
                .setNotes(new HashMap<>());
        if (c.getReceivedAt() != null) {
            b.setDaysOpen((int) Math.max(0, (at - c.getReceivedAt()) / DAY));
        }
        return b;
    }

    /** Evidence of a clock's alert as of {@code at}, the instant it fell due, however late the clock is looked at. */
    private Evidence.Builder clockEvidence(CaseData c, Policy p, BusinessCalendar cal, ClockView v, long at) {
        long used = v.usedMillis();
        for (ClockView then : CaseClocks.all(c, p, cal, at)) {
            if (then.kind() == v.kind()) {
                used = then.usedMillis();
            }
        }
        Evidence.Builder b = evidence(c, at)
                .setClock(v.kind())
                .setBudgetMillis(v.budgetMillis())
                .setElapsedMillis(Math.min(v.budgetMillis(), Math.max(0, used)))
                .setTimeBasis(v.budget().basis().name());
        b.getNotes().put("budget", v.budget().toString());
        return b;
    }

    private Evidence stallEvidence(CaseData c, long at, long contactsInWindow) {
        Evidence.Builder b = evidence(c, at).setHoldingReplies(new ArrayList<>(c.getStallEvidence()));
        b.getNotes().put("contactsInWindow", Long.toString(contactsInWindow));
        b.getNotes().put("holdingRepliesInEpisode", Integer.toString(c.getStallHolding()));
        return b.build();
    }

    private static java.time.Instant instant(Long t) {
        return t == null ? null : java.time.Instant.ofEpochMilli(t);
    }

    // ---------------------------------------------------------------- pauses and hashes

    private static void openPause(CaseData c, PauseKind kind, long t) {
        for (Pause p : c.getPauses()) {
            if (p.getKind() == kind && p.getTo() == null) {
                return;
            }
        }
        List<Pause> pauses = new ArrayList<>(c.getPauses());
        pauses.add(new Pause(t, null, kind));
        c.setPauses(pauses);
    }

    private static void closePauses(CaseData c, long t) {
        for (Pause p : c.getPauses()) {
            if (p.getTo() == null) {
                p.setTo(Math.max(t, p.getFrom()));
            }
        }
    }

    static long[] longs(ByteBuffer buf) {
        ByteBuffer b = buf.duplicate();
        b.rewind();
        long[] out = new long[b.remaining() / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getLong();
        }
        return out;
    }

    static boolean contains(ByteBuffer buf, long h) {
        for (long x : longs(buf)) {
            if (x == h) {
                return true;
            }
        }
        return false;
    }

    static ByteBuffer append(ByteBuffer buf, long h, int max) {
        long[] old = longs(buf);
        int keep = Math.min(old.length, max - 1);
        ByteBuffer out = ByteBuffer.allocate((keep + 1) * 8);
        for (int i = old.length - keep; i < old.length; i++) {
            out.putLong(old[i]);
        }
        out.putLong(h);
        out.flip();
        return out;
    }
}
