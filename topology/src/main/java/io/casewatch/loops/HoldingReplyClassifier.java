package io.casewatch.loops;

import java.util.Objects;
import java.util.regex.Pattern;

import io.casewatch.schema.HoldingReason;

/**
 * Decides whether an OUTBOUND message is a holding reply: one that promises progress without making any (SPEC
 * section 4). In order: a template id already sent on the case; a holding phrase of the message's language that no
 * progress marker, money amount or concrete date contradicts; or a near-duplicate of an earlier outbound message
 * of the case (SimHash similarity at or above the threshold). Needs only the case's fingerprints and template
 * hashes, never earlier texts.
 *
 * <p>Precision and recall are measured on the labelled set in the tests (docs/holding-replies.md).
 */
public final class HoldingReplyClassifier {

    public static final double DEFAULT_SIMILARITY = 0.8;

    /** Money amounts: "¥128", "$35", "RMB 50", "128元", "20 euros". */
    static final Pattern AMOUNT = Pattern.compile(
            "(?:[¥$€£₩]|(?<![a-z])(?:rmb|cny|usd|eur|gbp|hkd|twd|nt\\$|hk\\$|us\\$)) ?[0-9][0-9,]*(?:\\.[0-9]+)?"
            + "|[0-9][0-9,]*(?:\\.[0-9]+)? ?(?:[万萬千百] ?)?(?:元|块|塊|圆|圓|(?:rmb|cny|usd|eur|gbp|hkd|twd|dollars?|pounds?|euros?|yuan)(?![a-z]))");

    /** Concrete dates, times and durations: "12 March", "3月12日", "tomorrow", "明天", "3个工作日", "14:00". */
    static final Pattern CONCRETE_TIME = Pattern.compile(
            "(?<![0-9])[0-9]{1,2}(?:st|nd|rd|th)? (?:of )?(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![a-z])"
            + "|(?<![a-z])(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.? [0-9]{1,2}(?:st|nd|rd|th)?(?![0-9])"
            + "|[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}|月 ?[0-9]{1,2} ?[日号號]|[0-9]{4} ?年 ?[0-9]{1,2} ?月"
            + "|(?<![a-z])(?:tomorrow|tonight|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![a-z])"
            + "|明天|明日|后天|後天|昨天|昨日|前天|[周週][一二三四五六日]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|禮拜[一二三四五六日天]"
            + "|[0-9]{1,2}:[0-9]{2}|(?<![0-9])[0-9]{1,2} ?(?:am|pm)(?![a-z])|[0-9]{1,2} ?[点點]"
            + "|[0-9]+(?: ?[-–~到至] ?[0-9]+)? ?(?:working |business |calendar )?(?:days?|weeks?|months?)(?![a-z])"
            + "|[0-9]+(?: ?[-–~到至] ?[0-9]+)? ?(?:个|個)?(?:工作日|工作天|天|周|週|星期)|[0-9]+(?: ?[-–~到至] ?[0-9]+)? ?(?:个|個)月");

    /** What was decided and why; {@code fingerprint} is kept by the case for later near-duplicate checks. */
    public record Verdict(boolean holding, HoldingReason reason, String detail, Double similarity, long fingerprint) {
    }

    private final HoldingPhrases phrases;
    private final double similarityThreshold;

    public HoldingReplyClassifier(HoldingPhrases phrases, double similarityThreshold) {
        this.phrases = Objects.requireNonNull(phrases);
        if (!(similarityThreshold > 0.5 && similarityThreshold <= 1.0)) {
            throw new IllegalArgumentException("similarity threshold must lie in (0.5, 1], was " + similarityThreshold);
        }
        this.similarityThreshold = similarityThreshold;
    }

    public static HoldingReplyClassifier shipped() {
        return new HoldingReplyClassifier(HoldingPhrases.shipped(), DEFAULT_SIMILARITY);
    }

    /**
     * @param priorFingerprints SimHash fingerprints of the case's earlier outbound messages
     * @param priorTemplates    64-bit hashes of the template ids already sent on the case
     */
    public Verdict classify(String text, String language, String templateId, long[] priorFingerprints, long[] priorTemplates) {
        String normalized = TextNormalizer.normalize(text);
        long fingerprint = normalized.isEmpty() ? 0L : SimHash.of(normalized);
        if (templateId != null && !templateId.isBlank()) {
            long t = SimHash.hash64(templateId);
            for (long prior : priorTemplates) {
                if (prior == t) {
                    return new Verdict(true, HoldingReason.TEMPLATE, templateId, null, fingerprint);
                }
            }
        }
        if (normalized.isEmpty()) {
            return new Verdict(false, null, null, null, fingerprint);
        }
        String phrase = phrases.matchPhrase(normalized, HoldingPhrases.family(language));
        if (phrase != null && !makesProgress(normalized)) {
            return new Verdict(true, HoldingReason.PHRASE, phrase, null, fingerprint);
        }
        double best = 0;
        for (long prior : priorFingerprints) {
            best = Math.max(best, SimHash.similarity(prior, fingerprint));
        }
        if (priorFingerprints.length > 0 && best >= similarityThreshold) {
            return new Verdict(true, HoldingReason.SIMILAR, null, best, fingerprint);
        }
        return new Verdict(false, null, null, null, fingerprint);
    }

    /** A progress marker, an amount or a concrete date or duration says the message carries news. */
    boolean makesProgress(String normalized) {
        return phrases.matchMarker(normalized) != null || AMOUNT.matcher(normalized).find()
                || CONCRETE_TIME.matcher(normalized).find();
    }
}
