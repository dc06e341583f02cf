package io.casewatch.cases;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.casewatch.policy.Policy;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.CaseState;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.LifecycleStep;
import io.casewatch.schema.internal.Pause;
import io.casewatch.schema.internal.PauseKind;

/**
 * A complaint's lifecycle (SPEC section 3): opening starts the clocks, waiting on the customer or an exclusion pauses
 * them, resolution and closure end them, a reopening starts them again and counts towards a reopen loop. Every step is
 * kept, reason reduced to a code, for the compliance record.
 */
final class Lifecycle {

    /** Lifecycle steps kept for the compliance record: the first one (receipt) and the latest ones. */
    static final int MAX_STEPS = 64;
    /** What {@link #reasonCode} puts in place of a reason that is not a code. */
    static final String WITHHELD_REASON = "FREE_TEXT_WITHHELD";
    private static final Pattern REASON_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{4}");

    private final CasePolicy policy;
    private final AlertBook alerts;
    private final StallDetection stalls;

    Lifecycle(CasePolicy policy, AlertBook alerts, StallDetection stalls) {
        this.policy = policy;
        this.alerts = alerts;
        this.stalls = stalls;
    }

    List<Alert> apply(CaseData c, ComplaintEvent e) {
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
                Policy p = policy.of(c, t);
                c.setState(CaseState.AWAITING_CUSTOMER);
                Pauses.open(c, PauseKind.AWAITING_CUSTOMER, t);
                if (e.getReason() != null && p.exclusionReasons().contains(e.getReason())) {
                    Pauses.open(c, PauseKind.EXCLUSION, t);
                }
                stalls.endEpisode(c, t, "progress: AWAITING_CUSTOMER", out);
            }
            case RESUMED -> resume(c, t);
            case EXTENDED -> {
                Policy p = policy.of(c, t);
                int limit = Math.max(p.resolution() == null ? 0 : p.resolution().extensions().size(),
                        p.statutory() == null ? 0 : p.statutory().extensions().size());
                if (c.getExtensions() < limit) {
                    c.setExtensions(c.getExtensions() + 1);
                }
                stalls.endEpisode(c, t, "progress: EXTENDED", out);
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
                Pauses.closeAll(c, t);
                Pauses.open(c, PauseKind.RESOLVED_GAP, t);
                stalls.endEpisode(c, t, "progress: RESOLVED", out);
                alerts.close(c, null, t, "case resolved", out);
            }
            case CLOSED, WITHDRAWN -> {
                boolean wasResolved = c.getState() == CaseState.RESOLVED;
                c.setState(e.getType() == ComplaintEventType.CLOSED ? CaseState.CLOSED : CaseState.WITHDRAWN);
                if (!wasResolved) {
                    c.setTerminalAt(t);
                    Pauses.closeAll(c, t);
                }
                c.setTerminalType(e.getType().name());
                c.setAwaitingReplySince(null);
                alerts.close(c, null, t, "case " + e.getType().name().toLowerCase(Locale.ROOT), out);
            }
            case REOPENED -> reopen(c, t, out);
            default -> throw new InvalidEventException(InvalidEventException.Reason.UNKNOWN_ENUM,
                    "complaint event type " + e.getType() + " has no meaning here");
        }
        return out;
    }

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
    static String reasonCode(String reason) {
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
        c.setPolicyId(policy.set().select(e.getJurisdiction(), e.getCategory(), e.getMerchantId(), t).id());
        // Contacts read before their OPENED started no wait (receipt unknown then): the first one after receipt does.
        Long followUp = CaseClocks.firstFollowUp(c);
        if (followUp != null && c.getAwaitingReplySince() == null && (c.getFirstResponseAt() == null || c.getFirstResponseAt() < followUp)) {
            c.setAwaitingReplySince(followUp);
            c.setWaits(c.getWaits() + 1);
        }
    }

    /** The customer answered (or the merchant resumed): the waits on the customer end and the case is open again. */
    static void resume(CaseData c, long t) {
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
        Policy p = policy.of(c, t);
        Pauses.closeAll(c, t);
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
            alerts.raise(c, p, AlertKind.REOPEN_LOOP, c.getReopens() / k, null, t, Evidences.of(c, t).setReopens(c.getReopens()).build(), out);
        }
    }
}
