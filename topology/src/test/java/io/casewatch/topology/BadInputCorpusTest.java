package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.casewatch.policy.PolicySet;
import io.casewatch.testing.BadInputCorpus;
import io.casewatch.topology.TopologyRuntime;

/**
 * The checked-in bad-input corpus is what its generator writes, and each record meets the fate its manifest says:
 * processed, or dead-lettered with that reason (SPEC section 8). {@code BadInputCorpusIT} feeds the same corpus to a
 * real broker between good traffic.
 */
class BadInputCorpusTest {

    private static final Topics TOPICS = Topics.defaults();

    @Test
    void checkedInCorpusIsWhatTheGeneratorWrites(@TempDir Path dir) throws Exception {
        BadInputCorpus.main(new String[] {dir.toString()});
        List<BadInputCorpus.Entry> loaded = BadInputCorpus.load();
        List<BadInputCorpus.Entry> generated = BadInputCorpus.generate();
        assertThat(loaded).hasSameSizeAs(generated);
        for (int i = 0; i < generated.size(); i++) {
            BadInputCorpus.Entry g = generated.get(i);
            BadInputCorpus.Entry l = loaded.get(i);
            assertThat(l.value()).as("%s: regenerate the corpus (see BadInputCorpus)", g.file()).isEqualTo(g.value());
            assertThat(List.of(l.file(), l.stream(), String.valueOf(l.key()), l.timestamp(), l.expected()))
                    .isEqualTo(List.of(g.file(), g.stream(), String.valueOf(g.key()), g.timestamp(), g.expected()));
        }
        assertThat(Files.readString(dir.resolve("manifest.tsv"))).isNotBlank();
    }

    @Test
    void everyCorpusRecordIsProcessedOrDeadLetteredWithItsReason() {
        CasewatchTopology.Settings s = CasewatchTopology.Settings.defaults(TOPICS, PolicySet.presets());
        TopologyRuntime runtime = TopologyRuntime.live(Clock.fixed(BadInputCorpus.T.plus(Duration.ofDays(1)), ZoneOffset.UTC));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-corpus");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        List<BadInputCorpus.Entry> corpus = BadInputCorpus.load();
        try (TopologyTestDriver driver = new TopologyTestDriver(CasewatchTopology.build(s, runtime), props, BadInputCorpus.T)) {
            Map<String, TestInputTopic<byte[], byte[]>> in = new HashMap<>();
            in.put("complaint", driver.createInputTopic(TOPICS.complaints().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer()));
            in.put("contact", driver.createInputTopic(TOPICS.contacts().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer()));
            in.put("ack", driver.createInputTopic(TOPICS.acks().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer()));
            Map<String, Long> offsets = new HashMap<>();
            Map<String, String> expected = new HashMap<>();
            for (BadInputCorpus.Entry e : corpus) {
                String topic = topicOf(e.stream());
                long offset = offsets.merge(topic, 1L, Long::sum) - 1;
                expected.put(topic + "@" + offset, e.expected());
                in.get(e.stream()).pipeInput(new TestRecord<>(e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8), e.value(),
                        new RecordHeaders(), Instant.ofEpochMilli(e.timestamp())));
            }
            // Events' time, not heartbeats, expires the orphan contact: a good case two hours later.
            var later = io.casewatch.testing.Events.opened("corpus-test-later", BadInputCorpus.T.plus(Duration.ofHours(2)), "GB");
            in.get("complaint").pipeInput(new TestRecord<>(later.getCaseId().getBytes(StandardCharsets.UTF_8),
                    io.casewatch.schema.serde.RecordSerdes.COMPLAINT_EVENT.toBytes(later), new RecordHeaders(), later.getOccurredAt()));
            RecordHeaders tick = new RecordHeaders();
            tick.add(Intake.TICK_HEADER, new byte[] {1});
            driver.createInputTopic(TOPICS.ticks().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                    .pipeInput(new TestRecord<>(null, new byte[0], tick, BadInputCorpus.T.plus(Duration.ofHours(2))));

            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(TOPICS.deadLetters().name(), Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());
            Map<String, String> actual = new HashMap<>();
            for (TestRecord<byte[], byte[]> r : dlq.readRecordsToList()) {
                actual.put(header(r, DeadLetters.TOPIC) + "@" + header(r, DeadLetters.OFFSET), header(r, DeadLetters.REASON));
            }
            expected.forEach((where, fate) -> {
                if (!fate.equals(BadInputCorpus.PROCESSED)) {
                    assertThat(actual.get(where)).as("dead-letter reason of %s", where).isEqualTo(fate);
                }
            });
            long deadExpected = expected.values().stream().filter(f -> !f.equals(BadInputCorpus.PROCESSED)).count();
            assertThat(actual).hasSize((int) deadExpected);
            long processed = runtime.counters().partitions().values().stream().mapToLong(IntakeCounters.PartitionCounts::processed).sum();
            long dead = runtime.counters().partitions().values().stream().mapToLong(IntakeCounters.PartitionCounts::deadLettered).sum();
            assertThat(processed).isEqualTo(corpus.size() + 1 - deadExpected);
            assertThat(processed + dead).as("every record accounted for").isEqualTo(corpus.size() + 1);
        }
    }

    static String topicOf(String stream) {
        return switch (stream) {
            case "complaint" -> TOPICS.complaints().name();
            case "contact" -> TOPICS.contacts().name();
            case "ack" -> TOPICS.acks().name();
            default -> throw new IllegalArgumentException(stream);
        };
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
