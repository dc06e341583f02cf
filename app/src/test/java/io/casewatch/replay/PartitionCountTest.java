package io.casewatch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.topology.Topics;
import io.casewatch.workload.Workload;

/**
 * Replay split over partitions is what a deployment with that many partitions computes: for a given count the output
 * is byte-identical run after run, and whatever the count the alerts, the compliance records and the final status of
 * every case are the same (storm summaries are per partition by design, so the cap is set out of reach here).
 */
class PartitionCountTest {

    private static final Instant CUTOFF = Instant.parse("2026-11-23T12:00:00Z");
    private static final Map<String, String> FLAGS = Map.of(AppConfig.STORM_CAP, "1000000", AppConfig.TICK, "PT24H");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Topics T = Topics.defaults();

    @TempDir
    static Path dir;
    static Path events;

    @BeforeAll
    static void workload() throws Exception {
        Workload w = Workload.generate(Workload.Shape.of(400, 12, CUTOFF.minus(Duration.ofDays(200)), Duration.ofDays(30), 17L));
        events = dir.resolve("events.jsonl");
        try (OutputStream out = Files.newOutputStream(events)) {
            w.writeJsonLines(out);
        }
        // A bad line in the middle: dead-lettered with its line number whatever the partition count.
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(events));
        lines.add(lines.size() / 2, "{\"stream\":\"contact\",\"caseId\":");
        Files.write(events, lines);
    }

    private static Path replay(int partitions, String name) throws Exception {
        Path out = dir.resolve(name);
        new Replay(Pipeline.settings(AppConfig.load(null, Map.of(), new HashMap<>(FLAGS))))
                .run(events, out, CUTOFF, Replay.Driver.DIRECT, partitions, Replay.Progress.NONE);
        return out;
    }

    @Test
    void twoRunsWithTheSamePartitionCountWriteTheSameBytes() throws Exception {
        Path a = replay(3, "three-a");
        Path b = replay(3, "three-b");
        for (String topic : T.outputNames()) {
            assertThat(Files.readAllBytes(b.resolve(topic + ".jsonl"))).as(topic).isEqualTo(Files.readAllBytes(a.resolve(topic + ".jsonl")));
        }
    }

    @Test
    void alertsComplianceRecordsAndFinalStatusesDoNotDependOnThePartitionCount() throws Exception {
        Path one = replay(1, "one");
        Set<String> alerts = lines(one, T.l1().name(), T.l2().name(), T.l3().name());
        Set<String> compliance = lines(one, T.compliance().name());
        Map<String, String> statuses = finalStatuses(one);
        assertThat(alerts).as("a workload that raises alerts").hasSizeGreaterThan(500);
        assertThat(lines(one, T.deadLetters().name())).as("the bad line").hasSize(1);
        assertThat(statuses).hasSizeGreaterThan(300);
        for (int n : new int[] {2, 4}) {
            Path split = replay(n, "n" + n);
            assertSame("alerts with " + n + " partitions", alerts, lines(split, T.l1().name(), T.l2().name(), T.l3().name()));
            assertSame("compliance records with " + n + " partitions", compliance, lines(split, T.compliance().name()));
            assertSame("final statuses with " + n + " partitions", new TreeSet<>(statuses.values()), new TreeSet<>(finalStatuses(split).values()));
            assertSame("dead letters with " + n + " partitions", lines(one, T.deadLetters().name()), lines(split, T.deadLetters().name()));
        }
    }

    /** Equal sets, or a failure that names a few differences (the records are long). */
    private static void assertSame(String what, Set<String> expected, Set<String> actual) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        assertThat(missing.size() + extra.size())
                .as("%s: %d missing, e.g. %s; %d extra, e.g. %s", what, missing.size(), first(missing), extra.size(), first(extra))
                .isZero();
    }

    private static List<String> first(Set<String> s) {
        return s.stream().limit(2).map(l -> l.length() > 400 ? l.substring(0, 400) + "..." : l).toList();
    }

    private static Set<String> lines(Path out, String... topics) throws Exception {
        Set<String> s = new TreeSet<>();
        for (String topic : topics) {
            s.addAll(Files.readAllLines(out.resolve(topic + ".jsonl")));
        }
        return s;
    }

    /** The latest status of each case, as a compacted topic keeps it. */
    private static Map<String, String> finalStatuses(Path out) throws Exception {
        Map<String, String> last = new TreeMap<>();
        for (String line : Files.readAllLines(out.resolve(T.status().name() + ".jsonl"))) {
            last.put(JSON.readTree(line).get("caseId").asText(), line);
        }
        return last;
    }
}
