package io.casewatch.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import io.casewatch.schema.Alert;
import io.casewatch.schema.Evidence;

/**
 * An escalation {@link Alert} as an Alertmanager alert: labels to group, route and silence on, annotations for the
 * person paged. The customer reference and contact texts are not sent: a pager or a Slack channel is no place for
 * them, and the case link leads to everything.
 */
final class AlertMapping {
    static final String ALERTNAME = "CasewatchCaseAlert";
    static final String ALERT_ID = "alertId";

    private AlertMapping() {
    }

    /** The labels of an OPEN alert; its CLOSED record resolves the alert with these same labels. */
    static Map<String, String> labels(Alert a, String deployment) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("alertname", ALERTNAME);
        l.put("deployment", deployment);
        l.put("kind", a.getKind().name());
        l.put("level", a.getLevel().name());
        l.put("caseId", a.getCaseId().toString());
        l.put("merchantId", a.getMerchantId().toString());
        l.put("policy", a.getPolicyId().toString());
        l.put(ALERT_ID, a.getAlertId().toString());
        return l;
    }

    static AmAlert open(Alert a, NotifySettings s, Instant now) {
        String link = caseLink(s.caseUrl(), a.getCaseId().toString());
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put("summary", a.getLevel() + " " + a.getKind() + " on case " + a.getCaseId() + " (merchant " + a.getMerchantId() + ", policy "
                + a.getPolicyId() + (a.getJurisdiction() == null ? "" : ", " + a.getJurisdiction()) + ")");
        ann.put("evidence", evidence(a));
        ann.put("caseUrl", link);
        return new AmAlert(labels(a, s.deployment()), ann, a.getDetectedAt(), now.plus(s.openFor()), link);
    }

    static String caseLink(String template, String caseId) {
        return template.replace("{caseId}", URLEncoder.encode(caseId, StandardCharsets.UTF_8));
    }

    /** The evidence in one line: what the clock says, what the contacts show. */
    static String evidence(Alert a) {
        Evidence e = a.getEvidence();
        StringJoiner j = new StringJoiner("; ");
        if (e.getClock() != null) {
            j.add("clock " + e.getClock());
        }
        if (e.getBudgetMillis() != null) {
            String basis = e.getTimeBasis() == null ? "" : " " + e.getTimeBasis().toString().toLowerCase(Locale.ROOT).replace('_', ' ');
            j.add("budget " + Duration.ofMillis(e.getBudgetMillis()) + basis
                    + (e.getElapsedMillis() == null ? "" : ", used " + Duration.ofMillis(e.getElapsedMillis())));
        }
        if (a.getDeadline() != null) {
            j.add("deadline " + a.getDeadline());
        }
        if (e.getInboundContacts() != null) {
            j.add(e.getInboundContacts() + " inbound contacts");
        }
        if (!e.getHoldingReplies().isEmpty()) {
            j.add(e.getHoldingReplies().size() + " holding replies");
        }
        if (e.getLastSubstantiveReplyAt() != null) {
            j.add("last substantive reply " + e.getLastSubstantiveReplyAt());
        }
        if (e.getDaysOpen() != null) {
            j.add(e.getDaysOpen() + " days open");
        }
        if (e.getReopens() != null) {
            j.add(e.getReopens() + " reopens");
        }
        if (e.getCount() != null) {
            j.add(e.getCount() + " alerts folded");
        }
        if (a.getEpisode() > 1) {
            j.add("episode " + a.getEpisode());
        }
        j.add("detected " + a.getDetectedAt());
        return j.toString();
    }
}
