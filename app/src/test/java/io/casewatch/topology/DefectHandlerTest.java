package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.cases.InvalidEventException.Reason;
import io.casewatch.policy.PolicySet;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.internal.Figure;
import io.casewatch.schema.internal.MerchantFact;
import io.casewatch.testing.Events;

/**
 * The Streams properties {@code run} uses send a record that breaks a processor (a defect) or cannot be decoded on
 * an internal topic to the dead-letter topic (KIP-1033/1034) and go on; without them the same record fails the
 * stream thread. The real topology: a merchant fact with a time zone nobody knows makes the merchant statistics
 * throw, and garbage bytes on the facts topic cannot be decoded.
 */
class DefectHandlerTest {

    private static final Topics TOPICS = Topics.defaults();
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private static Properties runProperties(IntakeCounters counters) {
        Properties p = Pipeline.streamsProperties(AppConfig.load(null, Map.of(), Map.of("bootstrap.servers", "unused:9092")));
        p.put(DefectHandler.COUNTERS_CONFIG, counters);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir("handled"));
        // The test driver's clock does not move by itself: a task idling for its empty partitions would wait forever.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
        return p;
    }

    private static MerchantFact brokenFact() {
        return new MerchantFact("m-1", Figure.OPENED, T0.toEpochMilli(), 20_000, null, null, "Nowhere/Zone", 0);
    }

    @Test
    void aDefectIsDeadLetteredAndTheStreamGoesOn() {
        CasewatchTopology.Settings s = CasewatchTopology.Settings.defaults(TOPICS, PolicySet.presets());
        TopologyRuntime runtime = TopologyRuntime.replay();
        try (TopologyTestDriver driver = new TopologyTestDriver(CasewatchTopology.build(s, runtime), runProperties(runtime.counters()), T0)) {
            TestInputTopic<String, MerchantFact> facts = driver.createInputTopic(TOPICS.facts().name(), Serdes.String().serializer(),
                    TOPICS.facts().valueSerde().serializer());
            TestInputTopic<String, byte[]> rawFacts = driver.createInputTopic(TOPICS.facts().name(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestInputTopic<String, byte[]> complaints = driver.createInputTopic(TOPICS.complaints().name(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(TOPICS.deadLetters().name(), Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());
            TestOutputTopic<String, CaseStatus> status = driver.createOutputTopic(TOPICS.status().name(), Serdes.String().deserializer(),
                    TOPICS.status().valueSerde().deserializer());

            facts.pipeInput(new TestRecord<>("m-1", brokenFact(), T0));
            rawFacts.pipeInput(new TestRecord<>("m-1", new byte[] {1, 2, 3}, T0));
            var opened = Events.opened("after-defect", T0, "GB");
            complaints.pipeInput(new TestRecord<>(opened.getCaseId(), io.casewatch.schema.serde.RecordSerdes.COMPLAINT_EVENT.toBytes(opened), T0));

            List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
            // The undecodable fact is logged and skipped; TopologyTestDriver 4.3.1 does not pass on the dead-letter
            // records of the deserialization handler (a broker does, see docs/reliability.md), only of the processing one.
            assertThat(dead).hasSize(1);
            TestRecord<byte[], byte[]> defect = dead.get(0);
            assertThat(header(defect, DeadLetters.REASON)).isEqualTo(Reason.PROCESSING_ERROR.name());
            assertThat(header(defect, DeadLetters.TOPIC)).isEqualTo(TOPICS.facts().name());
            assertThat(header(defect, DeadLetters.ERROR)).contains("ZoneRulesException").contains(Names.STATS);
            assertThat(header(defect, "__streams.errors.exception")).contains("ZoneRulesException");
            assertThat(defect.value()).as("the original bytes").isEqualTo(TOPICS.facts().valueSerde().serializer().serialize("", brokenFact()));

            assertThat(status.readValuesToList()).as("the stream went on").extracting(CaseStatus::getCaseId).contains("after-defect");
            assertThat(runtime.counters().deadLettered(Reason.PROCESSING_ERROR)).isEqualTo(1);
        }
    }

    @Test
    void withoutTheHandlerTheSameDefectStopsProcessing() {
        CasewatchTopology.Settings s = CasewatchTopology.Settings.defaults(TOPICS, PolicySet.presets());
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-defect-unhandled");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // Its own state folder: a driver whose processing failed may not release its stores' locks on close.
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir("unhandled"));
        try (TopologyTestDriver driver = new TopologyTestDriver(CasewatchTopology.build(s, TopologyRuntime.replay()), p, T0)) {
            TestInputTopic<String, MerchantFact> facts = driver.createInputTopic(TOPICS.facts().name(), Serdes.String().serializer(),
                    TOPICS.facts().valueSerde().serializer());
            assertThatThrownBy(() -> facts.pipeInput(new TestRecord<>("m-1", brokenFact(), T0))).isInstanceOf(RuntimeException.class);
        }
    }

    private static String stateDir(String name) {
        try {
            return java.nio.file.Files.createTempDirectory("casewatch-defect-" + name).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
