package io.casewatch.oracle;

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

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.replay.Replay;
import io.casewatch.topology.Topics;
import io.casewatch.workload.Workload;

/**
 * The independent oracle against the topology, without a broker: replay of a {@link ModelWorkload} raises exactly the
 * alerts {@link ReferenceModel} computes (first-response, resolution and next-reply breaches, stall loops), and no
 * alert of another kind. The fault tests compare the live pipeline with the same model; this test says the model
 * and the topology agree before any fault is added, and that each kind is present (a positive control).
 */
class ReferenceModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void replayRaisesExactlyTheAlertsTheReferenceModelComputes() throws Exception {
        Instant cutoff = Instant.parse("2026-11-30T00:00:00Z");
        List<Workload.Event> events = ModelWorkload.generate(600, cutoff.minus(Duration.ofDays(200)), Duration.ofDays(30), 18L);
        Set<String> expected = ModelWorkload.model().expectedAlerts(ModelWorkload.records(events), cutoff);

        Set<String> actual = replayOpenAlerts(events, cutoff, Files.createTempDirectory("casewatch-oracle-"));

        Map<String, Long> byKind = new TreeMap<>();
        expected.forEach(k -> byKind.merge(k.split(" ")[1], 1L, Long::sum));
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        System.out.printf("oracle: %d events, expected %d alerts %s, replay %d, missing %d %s, extra %d %s%n", events.size(), expected.size(),
                byKind, actual.size(), missing.size(), missing.stream().limit(10).toList(), extra.size(), extra.stream().limit(10).toList());
        assertThat(byKind.keySet()).as("every modelled kind occurs (positive control)").isEqualTo(ReferenceModel.MODELLED_KINDS);
        assertThat(missing).as("alerts the model expects and replay does not raise").isEmpty();
        assertThat(extra).as("alerts replay raises and the model does not expect").isEmpty();
    }

    /** Replay's OPEN alerts as {@code caseId kind level detectedAt}; alerts of other kinds count as extra. */
    static Set<String> replayOpenAlerts(List<Workload.Event> events, Instant cutoff, Path dir) throws Exception {
        Path in = dir.resolve("events.jsonl");
        try (OutputStream out = Files.newOutputStream(in)) {
            ModelWorkload.writeJsonLines(events, out);
        }
        Map<String, String> flags = new HashMap<>(Map.of(AppConfig.POLICIES_FILE, ModelWorkload.writePolicies(dir).toString(),
                AppConfig.STORM_CAP, "1000000"));
        new Replay(Pipeline.settings(AppConfig.load(null, Map.of(), flags))).run(in, dir.resolve("out"), cutoff);
        Topics topics = Topics.defaults();
        Set<String> actual = new TreeSet<>();
        for (String topic : List.of(topics.l1().name(), topics.l2().name(), topics.l3().name())) {
            for (String line : Files.readAllLines(dir.resolve("out").resolve(topic + ".jsonl"))) {
                JsonNode a = JSON.readTree(line);
                if (a.get("status").asText().equals("OPEN")) {
                    actual.add(ReferenceModel.alert(a.get("caseId").asText(), a.get("kind").asText(), a.get("level").asText(),
                            Instant.parse(a.get("detectedAt").asText())));
                }
            }
        }
        return actual;
    }
}
