package io.casewatch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.topology.Topics;
import io.casewatch.workload.Workload;

/**
 * The alerts of a case depend on that case's events only, never on which other cases share its partition: replaying
 * each partition's share of a workload on its own (as a 3-partition deployment's tasks see it) gives, together,
 * exactly the alerts of one replay of everything. A task that sees a third of the cases moves stream time in larger
 * steps, so a clock is looked at later; this is what lets the fault tests demand live == replay exactly.
 */
class PartitionIndependenceTest {

    private static final Instant CUTOFF = Instant.parse("2026-11-23T12:00:00Z");
    private static final int PARTITIONS = 3;
    /** Storms are folded per task, replay of everything has one task: a cap nobody reaches keeps the two comparable. */
    private static final Map<String, String> FLAGS = Map.of(AppConfig.STORM_CAP, "1000000", AppConfig.TICK, "PT24H");

    @Test
    void eachPartitionReplayedAloneRaisesExactlyTheAlertsOfTheWholeReplay(@TempDir Path dir) throws Exception {
        Workload w = Workload.generate(Workload.Shape.of(300, 12, CUTOFF.minus(Duration.ofDays(200)), Duration.ofDays(30), 81L));
        Path all = dir.resolve("all.jsonl");
        try (OutputStream out = Files.newOutputStream(all)) {
            w.writeJsonLines(out);
        }
        List<String> lines = Files.readAllLines(all);
        List<List<String>> shares = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < lines.size(); i++) {
            String caseId = ((GenericRecord) w.events().get(i).event()).get("caseId").toString();
            shares.get(partitionOf(caseId)).add(lines.get(i));
        }

        Set<String> whole = alerts(all, dir.resolve("whole"));
        Set<String> split = new TreeSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            Path share = dir.resolve("p" + p + ".jsonl");
            Files.write(share, shares.get(p));
            split.addAll(alerts(share, dir.resolve("p" + p)));
        }

        assertThat(whole).as("a workload that raises alerts of every kind").hasSizeGreaterThan(1000);
        Set<String> missing = new TreeSet<>(whole);
        missing.removeAll(split);
        Set<String> extra = new TreeSet<>(split);
        extra.removeAll(whole);
        assertThat(missing).as("raised by the whole replay only").isEmpty();
        assertThat(extra).as("raised by a partition's replay only").isEmpty();
    }

    /** Kafka's default partitioner for a keyed record. */
    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static Set<String> alerts(Path events, Path out) throws Exception {
        new Replay(Pipeline.settings(AppConfig.load(null, Map.of(), new HashMap<>(FLAGS)))).run(events, out, CUTOFF);
        Set<String> lines = new TreeSet<>();
        Topics t = Topics.defaults();
        for (String topic : List.of(t.l1().name(), t.l2().name(), t.l3().name())) {
            lines.addAll(Files.readAllLines(out.resolve(topic + ".jsonl")));
        }
        return lines;
    }
}
