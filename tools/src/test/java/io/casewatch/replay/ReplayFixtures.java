package io.casewatch.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.policy.PolicyFile;
import io.casewatch.topology.CasewatchTopology;
import io.casewatch.topology.Topics;
import io.casewatch.workload.Workload;

/** Shared set-up of replay tests: a simple calendar-time policy the oracles can compute by hand, and file helpers. */
public final class ReplayFixtures {

    public static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    public static final long HOUR = 3_600_000L;
    /** First response in 24 h, resolution and statutory deadline in 360 h (15 days), exact time: deadlines are additions. */
    public static final String POLICY = """
            {"replacePresets": true,
             "defaultMerchantTimeZone": "Asia/Shanghai",
             "merchantTimeZones": {"m-000": "Europe/London", "m-001": "America/New_York"},
             "policies": [{"id": "DEFAULT", "source": "oracle test", "calendar": "UTC",
                           "firstResponse": {"budget": "24 hours"}, "resolution": {"budget": "360 hours"},
                           "statutory": {"budget": "360 hours"}}]}
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplayFixtures() {
    }

    public static CasewatchTopology.Settings settings() {
        return CasewatchTopology.Settings.defaults(Topics.defaults(), PolicyFile.parse(POLICY));
    }

    public static Workload workload(int cases, int merchants, long seed) {
        return Workload.generate(Workload.Shape.of(cases, merchants, START, Duration.ofDays(90), seed));
    }

    public static Path write(Workload w, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            w.writeJsonLines(out);
        }
        return file;
    }

    public static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }
}
