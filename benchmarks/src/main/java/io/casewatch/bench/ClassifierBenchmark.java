package io.casewatch.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.loops.SimHash;
import io.casewatch.loops.TextNormalizer;

/**
 * Holding-reply classification of one short outbound message against a case history of 8 fingerprints (the most
 * the case keeps): normalisation, phrase lists, progress vetoes, SimHash and the near-duplicate comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClassifierBenchmark {

    @Param({"zh-holding", "zh-substantive", "en-holding", "en-substantive"})
    public String message;

    private HoldingReplyClassifier classifier;
    private String text;
    private String language;
    private long[] history;

    @Setup
    public void setUp() {
        classifier = HoldingReplyClassifier.shipped();
        switch (message) {
            case "zh-holding" -> { text = "您好，您反馈的问题正在处理中，请您耐心等待，我们会尽快给您答复。"; language = "zh-Hans"; }
            case "zh-substantive" -> { text = "您好，您的退款128元已处理完成，预计3个工作日内原路退回到您的支付账户。"; language = "zh-Hans"; }
            case "en-holding" -> { text = "Hi Sam, thanks for your patience. Your case is still being looked into by the relevant team."; language = "en"; }
            default -> { text = "Hi Sam, we reversed the $35 fee today; it will show on your statement within 3 days."; language = "en"; }
        }
        String[] earlier = {"我们已收到您的反馈", "请提供订单截图", "Your ticket was created", "We have escalated your case",
            "感谢您的耐心等待", "The merchant replied to us", "您的问题已记录", "We are checking with the bank"};
        history = new long[earlier.length];
        for (int i = 0; i < earlier.length; i++) {
            history[i] = SimHash.of(TextNormalizer.normalize(earlier[i]));
        }
    }

    @Benchmark
    public HoldingReplyClassifier.Verdict classify() {
        return classifier.classify(text, language, null, history, new long[0]);
    }
}
