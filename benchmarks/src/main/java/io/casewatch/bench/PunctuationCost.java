package io.casewatch.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Properties;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.topology.CasewatchTopology;
import io.casewatch.topology.Topics;
import io.casewatch.topology.TopologyRuntime;

/**
 * Cost of a punctuation when nothing is due, with N open cases in the (RocksDB) stores: opens N cases, then moves
 * stream time by one punctuation interval at a time with heartbeats, far from any deadline, and times each
 * heartbeat (its own processing plus the punctuation's range scan of the timer index).
 *
 * <pre>java -cp ... io.casewatch.bench.PunctuationCost 1000000</pre>
 */
public final class PunctuationCost {

    private PunctuationCost() {
    }

    public static void main(String[] args) throws Exception {
        int cases = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int ticks = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Path state = Files.createTempDirectory("casewatch-punct-");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "punctuation-bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        Topics topics = Topics.defaults();
        Instant t0 = Instant.parse("2026-03-02T00:00:00Z");
        try (TopologyTestDriver d = new TopologyTestDriver(
                CasewatchTopology.build(CasewatchTopology.Settings.defaults(topics, PolicySet.presets()), TopologyRuntime.replay()), props, t0)) {
            TestInputTopic<String, byte[]> complaints = d.createInputTopic(topics.complaints().name(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestInputTopic<String, byte[]> tickTopic = d.createInputTopic(topics.ticks().name(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            long loadStart = System.nanoTime();
            for (int i = 0; i < cases; i++) {
                Instant at = t0.plusMillis(i); // all opened within minutes: the first deadline is 18 hours away
                ComplaintEvent e = ComplaintEvent.newBuilder().setEventId("e" + i).setCaseId("c" + i).setMerchantId("m" + (i % 200))
                        .setOccurredAt(at).setType(ComplaintEventType.OPENED).build();
                complaints.pipeInput(new TestRecord<>(e.getCaseId(), io.casewatch.schema.serde.RecordSerdes.COMPLAINT_EVENT.toBytes(e), at));
            }
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            RecordHeaders h = new RecordHeaders();
            h.add("casewatch.tick", "1".getBytes(StandardCharsets.UTF_8));
            Instant base = t0.plusMillis(cases).plus(Duration.ofSeconds(1));
            long[] nanos = new long[ticks];
            for (int i = 0; i < ticks; i++) {
                Instant at = base.plusMillis(500L * i);
                long s = System.nanoTime();
                tickTopic.pipeInput(new TestRecord<>("tick", new byte[0], h, at));
                nanos[i] = System.nanoTime() - s;
            }
            Arrays.sort(nanos);
            System.out.printf("open cases %d (loaded in %.1f s, %.0f events/s)%n", cases, loadSeconds, cases / loadSeconds);
            System.out.printf("heartbeat + punctuation, nothing due, %d samples: p50 %.1f us, p99 %.1f us, max %.1f us%n", ticks,
                    nanos[ticks / 2] / 1e3, nanos[(int) (ticks * 0.99)] / 1e3, nanos[ticks - 1] / 1e3);
        }
    }
}
