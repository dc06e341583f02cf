package io.casewatch.cases;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.loops.SimHash;
import io.casewatch.policy.Policy;
import io.casewatch.schema.Actor;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.CaseState;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.internal.CaseData;

/**
 * Customer and agent contacts on a case: an inbound contact may start a wait for a reply and counts towards a stall;
 * an outbound one is classified as holding or substantive, and a reply that counts ends the waits it answers.
 */
final class Contacts {

    static final int MAX_FINGERPRINTS = 8;
    static final int MAX_TEMPLATES = 16;

    private final CasePolicy policy;
    private final HoldingReplyClassifier classifier;
    private final AlertBook alerts;
    private final StallDetection stalls;

    Contacts(CasePolicy policy, HoldingReplyClassifier classifier, AlertBook alerts, StallDetection stalls) {
        this.policy = policy;
        this.classifier = classifier;
        this.alerts = alerts;
        this.stalls = stalls;
    }

    /** A contact; {@code textTruncated}: its text was cut to the limit before it came here, and the case counts it. */
    List<Alert> apply(CaseData c, ContactEvent e, boolean textTruncated) {
        return apply(c, e, textTruncated, null);
    }

    /**
     * A contact; {@code textTruncated}: its text was cut to the limit before it came here, and the case counts it;
     * {@code reading}: what the classifier read of its text while the text was still there (null: read it now).
     */
    List<Alert> apply(CaseData c, ContactEvent e, boolean textTruncated, HoldingReplyClassifier.Reading reading) {
        if (textTruncated) {
            c.setTruncatedTexts(c.getTruncatedTexts() + 1);
        }
        List<Alert> out = new ArrayList<>();
        long t = e.getOccurredAt().toEpochMilli();
        c.setUpdatedAt(Math.max(c.getUpdatedAt(), t));
        if (c.getMerchantId() == null && e.getMerchantId() != null) {
            c.setMerchantId(e.getMerchantId());
        }
        Policy p = policy.of(c, t);
        if (e.getDirection() == Direction.INBOUND) {
            inbound(c, p, e, t, out);
        } else if (e.getDirection() == Direction.OUTBOUND) {
            outbound(c, p, e, reading == null ? classifier.read(e.getText(), e.getLanguage()) : reading, t, out);
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
            Lifecycle.resume(c, t);
        }
        if (CaseClocks.isOpen(c) && c.getAwaitingReplySince() == null && CaseClocks.startsWait(c, t)) {
            c.setAwaitingReplySince(t);
            c.setWaits(c.getWaits() + 1);
        }
        stalls.countInbound(c, p, t);
        stalls.check(c, p, t, out);
    }

    private void outbound(CaseData c, Policy p, ContactEvent e, HoldingReplyClassifier.Reading reading, long t, List<Alert> out) {
        c.setOutbound(c.getOutbound() + 1);
        HoldingReplyClassifier.Verdict v = classifier.classify(reading, e.getTemplateId(), Hashes.longs(c.getFingerprints()),
                Hashes.longs(c.getTemplates()));
        if (reading.hasText()) {
            c.setFingerprints(Hashes.append(c.getFingerprints(), v.fingerprint(), MAX_FINGERPRINTS));
        }
        if (e.getTemplateId() != null && !e.getTemplateId().isBlank()) {
            long th = SimHash.hash64(e.getTemplateId());
            if (!Hashes.contains(c.getTemplates(), th)) {
                c.setTemplates(Hashes.append(c.getTemplates(), th, MAX_TEMPLATES));
            }
        }
        boolean counts = countsAsReply(p, e.getActor());
        CaseTimeline.record(c, e, v.holding() ? CaseTimeline.Reply.HOLDING : counts ? CaseTimeline.Reply.SUBSTANTIVE : CaseTimeline.Reply.NOT_COUNTED);
        if (v.holding()) {
            stalls.countHolding(c, e.getOccurredAt(), v);
        } else if (counts) {
            c.setSubstantive(c.getSubstantive() + 1);
            c.setLastSubstantiveReplyAt(t);
            stalls.endEpisode(c, t, "substantive reply", out);
        }
        if (counts) {
            if (c.getFirstResponseAt() == null || t < c.getFirstResponseAt()) {
                c.setFirstResponseAt(t);
                alerts.close(c, Set.of(AlertKind.FIRST_RESPONSE_AT_RISK, AlertKind.FIRST_RESPONSE_BREACH), t, "first response sent", out);
            }
            if (c.getAwaitingReplySince() != null && c.getAwaitingReplySince() <= t) {
                c.setAwaitingReplySince(null);
                alerts.close(c, Set.of(AlertKind.UNANSWERED_CONTACT), t, "contact answered", out);
            }
        }
        if (v.holding()) {
            stalls.check(c, p, t, out);
        }
    }

    /** Whether a reply by {@code actor} answers the customer: people do, a bot only where the policy says so. */
    static boolean countsAsReply(Policy p, Actor actor) {
        return actor == Actor.AGENT || actor == Actor.MERCHANT || (actor == Actor.BOT && p.countBotReplies());
    }
}
