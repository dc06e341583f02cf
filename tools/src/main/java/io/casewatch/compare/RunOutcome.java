package io.casewatch.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.topology.Topic;
import io.casewatch.topology.Topics;

/**
 * What one replay decided about each case, read back from its output folder: the alerts raised (by alertId, each
 * once), the case's policy and merchant (its last status), and whether it was resolved within its resolution SLA.
 * Identifiers and figures only: no text of the input reaches it.
 */
public final class RunOutcome {

    /** Resolution verdict of a case at the end of the run. */
    public enum Resolution { MET, BREACHED, NONE }

    /** One raised alert. */
    public record RaisedAlert(String alertId, String caseId, String kind, String level) {
    }

    /** One case's outcome. */
    public static final class CaseOutcome {
        String merchantId = "";
        String policyId = "";
        Resolution resolution = Resolution.NONE;
        boolean resolutionBreachAlerted;
        final Map<String, RaisedAlert> alerts = new TreeMap<>();

        public String merchantId() {
            return merchantId;
        }

        public String policyId() {
            return policyId;
        }

        /** MET or BREACHED by the last compliance record, BREACHED by a resolution breach alert, else NONE. */
        public Resolution resolution() {
            return resolution == Resolution.NONE && resolutionBreachAlerted ? Resolution.BREACHED : resolution;
        }

        public Map<String, RaisedAlert> alerts() {
            return alerts;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, CaseOutcome> cases;

    RunOutcome(Map<String, CaseOutcome> cases) {
        this.cases = cases;
    }

    public Map<String, CaseOutcome> cases() {
        return cases;
    }

    /** Reads a replay's output folder written with {@code topics}. */
    public static RunOutcome read(Path dir, Topics topics) throws IOException {
        Map<String, CaseOutcome> cases = new HashMap<>();
        lines(dir, topics.status(), s -> {
            CaseOutcome c = cases.computeIfAbsent(s.get("caseId").asText(), k -> new CaseOutcome());
            c.merchantId = s.path("merchantId").asText("");
            c.policyId = s.path("policyId").asText("");
        });
        lines(dir, topics.compliance(), r -> {
            CaseOutcome c = cases.computeIfAbsent(r.get("caseId").asText(), k -> new CaseOutcome());
            Resolution verdict = Resolution.NONE;
            for (JsonNode d : r.path("deadlines")) {
                if (d.path("clock").asText().equals("RESOLUTION") && d.path("met").isBoolean()) {
                    verdict = d.get("met").asBoolean() ? Resolution.MET : Resolution.BREACHED;
                }
            }
            // The last record of a case is its verdict: a reopened case is judged by how it ended.
            c.resolution = verdict;
        });
        for (Topic<?, ?> t : List.<Topic<?, ?>>of(topics.l1(), topics.l2(), topics.l3())) {
            lines(dir, t, a -> {
                if (!a.path("status").asText().equals("OPEN")) {
                    return;
                }
                String caseId = a.get("caseId").asText();
                CaseOutcome c = cases.computeIfAbsent(caseId, k -> new CaseOutcome());
                if (c.merchantId.isEmpty()) {
                    c.merchantId = a.path("merchantId").asText("");
                }
                String kind = a.path("kind").asText();
                c.alerts.putIfAbsent(a.get("alertId").asText(), new RaisedAlert(a.get("alertId").asText(), caseId, kind, a.path("level").asText()));
                if (kind.equals("RESOLUTION_BREACH")) {
                    c.resolutionBreachAlerted = true;
                }
            });
        }
        // ALERT_STORM summaries belong to a merchant, not a case; compare runs with the storm cap lifted.
        return new RunOutcome(cases);
    }

    private static void lines(Path dir, Topic<?, ?> topic, Consumer<JsonNode> sink) throws IOException {
        Path f = dir.resolve(topic.name() + ".jsonl");
        if (!Files.exists(f)) {
            return;
        }
        try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    sink.accept(JSON.readTree(line));
                }
            }
        }
    }
}
