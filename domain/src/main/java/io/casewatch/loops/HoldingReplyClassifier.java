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
     * What the classifier takes from a message's text, apart from the case's history: whether there was any text,
     * whether anything was left of it after normalisation, its SimHash fingerprint (0 when nothing was left), and the
     * holding phrase it contains that nothing in it contradicts (null if none). It holds no text, so an event can be
     * kept waiting in a store with its text taken out and be classified as if it still had it.
     */
    public record Reading(boolean hasText, boolean normalizedEmpty, long fingerprint, String holdingPhrase) {
    }

    /** What {@link #classify(Reading, String, long[], long[])} needs of {@code text} in {@code language}. */
    public Reading read(String text, String language) {
        boolean hasText = text != null && !text.isBlank();
        String normalized = TextNormalizer.normalize(text);
        if (normalized.isEmpty()) {
            return new Reading(hasText, true, 0L, null);
        }
        String phrase = phrases.matchPhrase(normalized, HoldingPhrases.family(language));
        return new Reading(hasText, false, SimHash.of(normalized), phrase != null && !makesProgress(normalized) ? phrase : null);
    }

    /**
     * @param priorFingerprints SimHash fingerprints of the case's earlier outbound messages
     * @param priorTemplates    64-bit hashes of the template ids already sent on the case
     */
    public Verdict classify(String text, String language, String templateId, long[] priorFingerprints, long[] priorTemplates) {
        return classify(read(text, language), templateId, priorFingerprints, priorTemplates);
    }

    /** The same verdict as {@link #classify(String, String, String, long[], long[])} on the text {@code r} was read from. */
    public Verdict classify(Reading r, String templateId, long[] priorFingerprints, long[] priorTemplates) {
        long fingerprint = r.fingerprint();
        if (templateId != null && !templateId.isBlank()) {
            long t = SimHash.hash64(templateId);
            for (long prior : priorTemplates) {
                if (prior == t) {
                    return new Verdict(true, HoldingReason.TEMPLATE, templateId, null, fingerprint);
                }
            }
        }
        if (r.normalizedEmpty()) {
            return new Verdict(false, null, null, null, fingerprint);
        }
        if (r.holdingPhrase() != null) {
            return new Verdict(true, HoldingReason.PHRASE, r.holdingPhrase(), null, fingerprint);
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
