package io.casewatch.cases;

import java.util.ArrayList;
import java.util.List;

import io.casewatch.escalation.EscalationRules;
import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.loops.SimHash;
import io.casewatch.policy.Policy;
import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Alert;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.Pause;
import io.casewatch.schema.internal.PauseKind;
import io.casewatch.sla.BusinessCalendar;

/**
 * The domain of one case, free of Kafka: applies events to a {@link CaseData}, fires what is due, and says when
 * the case next needs a look. Every decision uses the case's own timestamps, never the time a call happens, so the
 * same events give the same alerts in live operation, after a restart and in replay.
 *
 * <p>Callers first {@link #advance} a case to the event's time (minus the lateness grace) and then apply the event,
 * so an alert due before the event is raised before the event changes the case.
 *
 * <p>The work is done by one class per concern, each unit-tested alone: {@link Lifecycle}, {@link Contacts},
 * {@link StallDetection}, {@link ClockFiring}, {@link AckLadder}, {@link AlertBook} (raising and closing alerts) and
 * {@link StatusView}; this class is their entry point and the order in which they run.
 */
public final class CaseEngine {

    static final int MAX_SEEN_EVENTS = 64;
    /** What {@link #reasonCode} puts in place of a reason that is not a code. */
    public static final String WITHHELD_REASON = Lifecycle.WITHHELD_REASON;

    private final CasePolicy policy;
    private final HoldingReplyClassifier classifier;
    private final Lifecycle lifecycle;
    private final Contacts contacts;
    private final StallDetection stalls;
    private final ClockFiring clocks;
    private final AckLadder acks;

    public CaseEngine(PolicySet policies, HoldingReplyClassifier classifier, EscalationRules rules) {
        this.classifier = classifier;
        this.policy = new CasePolicy(policies);
        AlertBook alerts = new AlertBook(policy, rules);
        this.stalls = new StallDetection(alerts);
        this.lifecycle = new Lifecycle(policy, alerts, stalls);
        this.contacts = new Contacts(policy, classifier, alerts, stalls);
        this.clocks = new ClockFiring(alerts);
        this.acks = new AckLadder(alerts);
    }

    public PolicySet policies() {
        return policy.set();
    }

    public static CaseData newCase(String caseId, long firstSeenAt) {
        return CaseData.newBuilder().setCaseId(caseId).setFirstSeenAt(firstSeenAt).setUpdatedAt(firstSeenAt).build();
    }

    /** True (and remembered) the first time an event id is seen on this case; false for a duplicate. */
    public boolean markSeen(CaseData c, String eventId) {
        long h = SimHash.hash64(eventId);
        if (Hashes.contains(c.getSeenEvents(), h)) {
            return false;
        }
        c.setSeenEvents(Hashes.append(c.getSeenEvents(), h, MAX_SEEN_EVENTS));
        return true;
    }

    public Policy policyOf(CaseData c, long at) {
        return policy.of(c, at);
    }

    public List<Alert> onComplaint(CaseData c, ComplaintEvent e) {
        return lifecycle.apply(c, e);
    }

    /** See {@link Lifecycle#reasonCode}. */
    public static String reasonCode(String reason) {
        return Lifecycle.reasonCode(reason);
    }

    public List<Alert> onContact(CaseData c, ContactEvent e) {
        return onContact(c, e, false);
    }

    /** A contact; {@code textTruncated}: its text was cut to the limit before it came here, and the case counts it. */
    public List<Alert> onContact(CaseData c, ContactEvent e, boolean textTruncated) {
        return contacts.apply(c, e, textTruncated);
    }

    /**
     * A contact whose text was read by {@link #classifier()} before it was taken out of the event (an event kept
     * waiting in a store); null {@code reading}: the text is in the event.
     */
    public List<Alert> onContact(CaseData c, ContactEvent e, boolean textTruncated, HoldingReplyClassifier.Reading reading) {
        return contacts.apply(c, e, textTruncated, reading);
    }

    public HoldingReplyClassifier classifier() {
        return classifier;
    }

    /**
     * What of a lifecycle {@code reason} this engine can ever act on: the reason itself if it is a code or a reason
     * some policy version excludes from the statutory clock, {@link #WITHHELD_REASON} otherwise. An event whose
     * reason is replaced by this is handled exactly as the original.
     */
    public String actionableReason(String reason) {
        if (reason == null || reason.equals(Lifecycle.reasonCode(reason))) {
            return reason;
        }
        for (Policy p : policy.set().policies()) {
            if (p.exclusionReasons().contains(reason)) {
                return reason;
            }
        }
        return WITHHELD_REASON;
    }

    public List<Alert> onAck(CaseData c, EscalationAck ack) {
        AckLadder.acknowledge(c, ack);
        return List.of();
    }

    /** Raises everything due at or before {@code now}, in the order it fell due. */
    public List<Alert> advance(CaseData c, long now) {
        List<Alert> out = new ArrayList<>();
        if (!c.getOpened()) {
            return out;
        }
        Policy p = policy.of(c, now);
        BusinessCalendar cal = policy.calendarOf(p);
        int known = c.getAlerts().size();
        for (ClockView v : CaseClocks.all(c, p, cal, now)) {
            clocks.fire(c, p, cal, v, now, out);
        }
        stalls.raiseChronic(c, p, cal, now, out);
        acks.escalate(c, p, now, out);
        AlertBook.inTimeOrder(c, known, out);
        return out;
    }

    /**
     * The case's clocks as they stood when it reached a terminal state at {@code t}: a resolution opens a pause
     * that lasts until a reopening, which would hide the deadline a compliance record must show.
     */
    public List<ClockView> clocksAtTerminal(CaseData c, long t) {
        CaseData copy = CaseData.newBuilder(c).build();
        List<Pause> pauses = new ArrayList<>(copy.getPauses());
        pauses.removeIf(x -> x.getKind() == PauseKind.RESOLVED_GAP && x.getTo() == null);
        copy.setPauses(pauses);
        Policy p = policy.of(copy, t);
        return CaseClocks.all(copy, p, policy.calendarOf(p), t);
    }

    /** The case as a person looks at it at {@code now}: events, clock bars with pauses, alerts (no text). */
    public CaseTimeline.View timeline(CaseData c, long now) {
        Policy p = policy.of(c, now);
        return CaseTimeline.view(c, c.getOpened() ? CaseClocks.all(c, p, policy.calendarOf(p), now) : List.of());
    }

    /** What a case looks like after a change: its status for dashboards and when it next needs {@link #advance}. */
    public record Settled(CaseStatus status, long nextDue, Policy policy, BusinessCalendar calendar, List<ClockView> views) {
    }

    /**
     * Computes the case's clocks once, for both its status at {@code now} and its next due instant: the earliest
     * alert that could still fall due after {@code firedUpTo}, the instant up to which {@link #advance} has run.
     */
    public Settled settle(CaseData c, long firedUpTo, long now) {
        Policy p = policy.of(c, now);
        BusinessCalendar cal = policy.calendarOf(p);
        List<ClockView> views = CaseClocks.all(c, p, cal, now);
        return new Settled(StatusView.status(c, p, views, now), StatusView.nextDue(c, p, cal, views, firedUpTo), p, cal, views);
    }
}
