package io.casewatch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.casewatch.policy.PolicySet;
import io.casewatch.topology.CasewatchTopology;
import io.casewatch.topology.Topics;

/**
 * Issue 17, one execution path: replay's own runner writes, on the 50,000-case workload the benchmarks replay
 * ({@code generate --cases 50000 --merchants 200 --seed 7}, {@code --until 2026-08-01T00:00:00Z}, the shipped
 * presets, replay's defaults), every output topic byte for byte as Kafka Streams' TopologyTestDriver does on the
 * same topology. {@code ReplayTest} checks the same on a small workload in the unit tests; this is the whole one
 * (351,641 events, about a minute on each engine here).
 */
class ReplayDriverEquivalenceIT {

    private static final Instant UNTIL = Instant.parse("2026-08-01T00:00:00Z");

    @Test
    void onTheFiftyThousandCaseWorkloadTheDirectRunnerWritesWhatTheTestDriverWrites(@TempDir Path dir) throws Exception {
        Path events = ReplayFixtures.write(ReplayFixtures.workload(50_000, 200, 7), dir.resolve("events.jsonl"));
        CasewatchTopology.Settings replay = CasewatchTopology.Settings
                .builder(Topics.defaults(), PolicySet.presets(), CasewatchTopology.Settings.Preset.REPLAY).build();

        Replay.Summary direct = new Replay(replay).run(events, dir.resolve("direct"), UNTIL, Replay.Driver.DIRECT);
        Replay.Summary driver = new Replay(replay).run(events, dir.resolve("ttd"), UNTIL, Replay.Driver.TEST_DRIVER);

        assertThat(direct.events()).isEqualTo(driver.events()).isGreaterThan(300_000);
        for (String topic : Topics.defaults().outputNames()) {
            Path a = dir.resolve("direct").resolve(topic + ".jsonl");
            Path b = dir.resolve("ttd").resolve(topic + ".jsonl");
            assertThat(Files.mismatch(a, b)).as("first differing byte of %s (-1: none; %d against %d bytes)", topic, Files.size(a),
                    Files.size(b)).isEqualTo(-1L);
        }
        assertThat(Files.size(dir.resolve("direct").resolve("escalations.l1.v1.jsonl"))).isPositive();
    }
}
