package io.casewatch.cases;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.casewatch.escalation.AlertIds;
import io.casewatch.escalation.EscalationRules;
import io.casewatch.policy.Policy;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.Level;
import io.casewatch.schema.internal.AlertState;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.sla.ClockMath;

/**
 * The alerts of one case: each raised once under its deterministic id, remembered with when its acknowledgement falls
 * due, and closed with a reason. The alerts it builds are the effects the callers publish.
 */
final class AlertBook {

    private final CasePolicy policy;
    private final EscalationRules rules;

    AlertBook(CasePolicy policy, EscalationRules rules) {
        this.policy = policy;
        this.rules = rules;
    }

    /** Raises the alert at the level the policy gives its kind, unless the case has raised it before. */
    void raise(CaseData c, Policy p, AlertKind kind, int episode, Long deadline, long detectedAt, Evidence ev, List<Alert> out) {
        raiseAt(c, p, kind, episode, p.levelOf(kind), deadline, detectedAt, ev, out);
    }

    /** Raises the alert at {@code level} (lifted to the policy's floor), unless the case has raised it before. */
    void raiseAt(CaseData c, Policy p, AlertKind kind, int episode, Level level, Long deadline, long detectedAt,
            Evidence ev, List<Alert> out) {
        String id = alertId(c, p, kind, episode, level);
        if (find(c, id) != null) {
            return;
        }
        Alert a = baseAlert(c, p, id, kind, atLeastFloor(p, level), episode, deadline, detectedAt, ev);
        remember(c, p, a, id);
        out.add(a);
    }

    /** Whether {@link #raiseAt} has raised this alert on the case (it raises each once). */
    static boolean raised(CaseData c, Policy p, AlertKind kind, int episode, Level level) {
        return find(c, alertId(c, p, kind, episode, level)) != null;
    }

    static String alertId(CaseData c, Policy p, AlertKind kind, int episode, Level level) {
        return AlertIds.of(c.getCaseId(), kind, episode, atLeastFloor(p, level));
    }

    private static Level atLeastFloor(Policy p, Level level) {
        Level floor = p.minimumLevel();
        return level.ordinal() < floor.ordinal() ? floor : level;
    }

    static Alert baseAlert(CaseData c, Policy p, String id, AlertKind kind, Level level, int episode, Long deadline,
            long detectedAt, Evidence ev) {
        return Alert.newBuilder()
                .setAlertId(id)
                .setCaseId(c.getCaseId())
                .setMerchantId(c.getMerchantId() == null ? "" : c.getMerchantId())
                .setKind(kind)
                .setLevel(level)
                .setStatus(AlertStatus.OPEN)
                .setPolicyId(p.id())
                .setDeadline(deadline == null || deadline == ClockMath.NEVER ? null : Instant.ofEpochMilli(deadline))
                .setDetectedAt(Instant.ofEpochMilli(detectedAt))
                .setJurisdiction(c.getJurisdiction())
                .setCategory(c.getCategory())
                .setCustomerRef(c.getCustomerRef())
                .setEpisode(episode)
                .setEvidence(ev)
                .build();
    }

    /** Keeps the raised alert on the case, with the instant its acknowledgement falls due (none for L3). */
    void remember(CaseData c, Policy p, Alert a, String rootId) {
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
    void close(CaseData c, Set<AlertKind> kinds, long t, String reason, List<Alert> out) {
        Map<String, AlertKind> rootKind = new HashMap<>();
        for (AlertState a : c.getAlerts()) {
            if (a.getAlertId().equals(a.getRootAlertId())) {
                rootKind.put(a.getAlertId(), a.getKind());
            }
        }
        Policy p = policy.of(c, t);
        for (AlertState a : c.getAlerts()) {
            AlertKind k = rootKind.getOrDefault(a.getRootAlertId(), a.getKind());
            if (a.getClosed() || (kinds != null && !kinds.contains(k))) {
                continue;
            }
            a.setClosed(true);
            a.setClosedAt(t);
            a.setAckDueAt(null);
            Alert closed = baseAlert(c, p, a.getAlertId(), a.getKind(), a.getLevel(), a.getEpisode(), null, t, Evidences.of(c, t).build());
            closed.setStatus(AlertStatus.CLOSED);
            closed.setCloseReason(reason);
            closed.setRelatedAlertId(a.getRootAlertId().equals(a.getAlertId()) ? null : a.getRootAlertId());
            out.add(closed);
        }
    }

    /**
     * Puts what one look at the clocks raised in the order it fell due (the order of clocks for equal instants). How
     * many due points one look finds depends on how far stream time jumped, which depends on how many cases share the
     * task; looked at point by point they would have been raised in time order, and the case's alert list (which the
     * compliance record shows) must not depend on the partition count.
     *
     * @param known how many alerts the case had before the look
     */
    static void inTimeOrder(CaseData c, int known, List<Alert> out) {
        if (out.size() < 2) {
            return;
        }
        out.sort(Comparator.comparing(Alert::getDetectedAt));
        List<AlertState> all = c.getAlerts();
        if (all.size() - known > 1) {
            List<AlertState> sorted = new ArrayList<>(all);
            sorted.subList(known, sorted.size()).sort(Comparator.comparingLong(AlertState::getRaisedAt));
            c.setAlerts(sorted);
        }
    }

    static AlertState find(CaseData c, String id) {
        for (AlertState a : c.getAlerts()) {
            if (a.getAlertId().equals(id)) {
                return a;
            }
        }
        return null;
    }
}
