package io.casewatch.loops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Precision and recall of the holding-reply classifier on the labelled set in
 * {@code casewatch/holding-eval.tsv} (realistic outbound replies in English, simplified and traditional Chinese,
 * with hard negatives and hard positives), each message judged alone as the first outbound of its case, so only
 * the phrase rules decide. Figures are printed per language; docs/holding-replies.md says how the set was built.
 */
class HoldingReplyEvaluationTest {

    record Row(boolean holding, String language, String text) {
    }

    /** Confusion counts of one slice. */
    static final class Counts {
        int tp;
        int fp;
        int fn;
        int tn;

        double precision() {
            return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
        }
    }

    static List<Row> rows() throws IOException {
        try (InputStream in = HoldingReplyEvaluationTest.class.getResourceAsStream("/casewatch/holding-eval.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            return java.util.Arrays.stream(lines).skip(1).filter(l -> !l.isBlank()).map(l -> {
                String[] f = l.split("\t", 3);
                return new Row(f[0].equals("HOLDING"), f[1], f[2]);
            }).toList();
        }
    }

    @Test
    void classifierReachesPrecision95AndRecall90OnTheLabelledSet() throws IOException {
        HoldingReplyClassifier classifier = HoldingReplyClassifier.shipped();
        List<Row> rows = rows();
        Map<String, Counts> byLanguage = new TreeMap<>();
        Counts all = new Counts();
        for (Row r : rows) {
            boolean predicted = classifier.classify(r.text(), r.language(), null, new long[0], new long[0]).holding();
            for (Counts c : List.of(all, byLanguage.computeIfAbsent(r.language(), k -> new Counts()))) {
                if (predicted && r.holding()) {
                    c.tp++;
                } else if (predicted) {
                    c.fp++;
                } else if (r.holding()) {
                    c.fn++;
                } else {
                    c.tn++;
                }
            }
        }
        byLanguage.forEach((lang, c) -> System.out.printf("holding-eval %-8s precision %.3f recall %.3f (tp %d fp %d fn %d tn %d)%n",
                lang, c.precision(), c.recall(), c.tp, c.fp, c.fn, c.tn));
        System.out.printf("holding-eval %-8s precision %.3f recall %.3f over %d rows%n", "all", all.precision(), all.recall(), rows.size());

        assertThat(rows).hasSizeGreaterThanOrEqualTo(300);
        assertThat(byLanguage.keySet()).contains("en", "zh-Hans", "zh-Hant");
        assertThat(all.precision()).isGreaterThanOrEqualTo(0.95);
        assertThat(all.recall()).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void hardNegativeRefundProcessedTodayIsSubstantive() {
        HoldingReplyClassifier c = HoldingReplyClassifier.shipped();
        assertThat(c.classify("Your refund of ¥128 was processed today and will arrive in 3 days", "en", null, new long[0], new long[0])
                .holding()).isFalse();
        assertThat(c.classify("您的问题正在处理中，请耐心等待", "zh-Hans", null, new long[0], new long[0]).holding()).isTrue();
        assertThat(c.classify("您的問題正在處理中，請耐心等候", "zh-Hant", null, new long[0], new long[0]).holding()).isTrue();
    }

    @Test
    void aRepeatedTemplateIsHoldingWhateverItSays() {
        HoldingReplyClassifier c = HoldingReplyClassifier.shipped();
        long[] sent = {SimHash.hash64("tpl-refund-update")};
        var v = c.classify("Thanks, we refunded $10.", "en", "tpl-refund-update", new long[0], sent);
        assertThat(v.holding()).isTrue();
        assertThat(v.reason()).isEqualTo(io.casewatch.schema.HoldingReason.TEMPLATE);
    }
}
