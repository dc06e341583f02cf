package io.casewatch.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import io.casewatch.Main;

/**
 * {@code compare} over a small history whose outcome under each policy set is worked out by hand. A is the presets
 * (DEFAULT: first response 24 hours, at risk at 75% = 18 hours; resolution 15 days); B gives merchant m1 48 hours (at
 * risk at 36 hours). m1's c1 is answered after 30 hours (late under A, in time under B), c2 after 2 hours and
 * resolved on day 3, c3 never; the other merchant's c4 is never answered.
 */
class CompareCommandTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final String OTHER = "Smith & Sons, \"Ltd\"";
    private static final String POLICY_B = """
            {"policies": [{"id": "DEFAULT-48H", "extends": "DEFAULT", "match": {"merchants": ["m1"]},
              "firstResponse": {"budget": "48 hours"}}]}
            """;

    private static String opened(String caseId, String merchant) {
        return "{\"stream\":\"complaint\",\"eventId\":\"o-" + caseId + "\",\"caseId\":\"" + caseId + "\",\"merchantId\":\""
                + merchant.replace("\"", "\\\"") + "\",\"occurredAt\":\"" + T0 + "\",\"type\":\"OPENED\"}\n";
    }

    private static String reply(String caseId, Duration after) {
        return "{\"stream\":\"contact\",\"eventId\":\"r-" + caseId + "\",\"caseId\":\"" + caseId + "\",\"occurredAt\":\"" + T0.plus(after)
                + "\",\"direction\":\"OUTBOUND\",\"actor\":\"AGENT\",\"channel\":\"EMAIL\",\"text\":\"Your refund of $20 was sent today.\","
                + "\"language\":\"en\"}\n";
    }

    private static String resolved(String caseId, Duration after) {
        return "{\"stream\":\"complaint\",\"eventId\":\"z-" + caseId + "\",\"caseId\":\"" + caseId + "\",\"merchantId\":\"m1\",\"occurredAt\":\""
                + T0.plus(after) + "\",\"type\":\"RESOLVED\",\"outcome\":\"UPHELD\"}\n";
    }

    private record Run(int rc, String stderr) {
    }

    private static Path history(Path dir) throws Exception {
        return Files.writeString(dir.resolve("history.jsonl"), opened("c1", "m1") + opened("c2", "m1") + opened("c3", "m1") + opened("c4", OTHER)
                + reply("c2", Duration.ofHours(2)) + reply("c1", Duration.ofHours(30)) + resolved("c2", Duration.ofDays(3)));
    }

    private static Run compare(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.commandLine().setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true)).execute(args);
        // The command writes its own lines to System.err; picocli's go to the writer above.
        return new Run(rc, err.toString(StandardCharsets.UTF_8));
    }

    private static Run compareInto(Path dir, Path out) throws Exception {
        Path b = Files.writeString(dir.resolve("proposed.json"), POLICY_B);
        return compare("compare", "--events", history(dir).toString(), "--policies-a", "presets", "--policies-b", b.toString(),
                "--until", "2026-03-12T10:00:00Z", "--out", out.toString());
    }

    static List<List<String>> csv(Path file) throws Exception {
        try (MappingIterator<List<String>> it = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).readerForListOf(String.class)
                .readValues(file.toFile())) {
            return new ArrayList<>(it.readAll());
        }
    }

    @Test
    void alertsGainedAndLostPerMerchantPolicyAndKindMatchTheHandCount(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        assertThat(compareInto(dir, out).rc()).isZero();

        assertThat(csv(out.resolve(CompareReport.KINDS_CSV))).containsExactly(
                List.of(CompareReport.KINDS_HEADER),
                // Rows in Java string order of the merchant: "Smith ..." before "m1".
                List.of(OTHER, "DEFAULT", "DEFAULT", "FIRST_RESPONSE_AT_RISK", "1", "1", "0", "0", "1", "1"),
                List.of(OTHER, "DEFAULT", "DEFAULT", "FIRST_RESPONSE_BREACH", "1", "1", "0", "0", "1", "1"),
                List.of("m1", "DEFAULT", "DEFAULT-48H", "FIRST_RESPONSE_AT_RISK", "2", "1", "0", "1", "2", "1"),
                List.of("m1", "DEFAULT", "DEFAULT-48H", "FIRST_RESPONSE_BREACH", "2", "1", "0", "1", "2", "1"));
        assertThat(csv(out.resolve(CompareReport.GROUPS_CSV))).containsExactly(
                List.of(CompareReport.GROUPS_HEADER),
                List.of(OTHER, "DEFAULT", "DEFAULT", "1", "2", "2", "1", "1", "0", "0", "0", "0", "", "0", "0", "", "0"),
                List.of("m1", "DEFAULT", "DEFAULT-48H", "3", "4", "2", "2", "1", "0", "1", "1", "0", "1.0000", "1", "0", "1.0000", "1"));
        assertThat(csv(out.resolve(CompareReport.CASES_CSV))).containsExactly(
                List.of(CompareReport.CASES_HEADER),
                List.of("c1", "m1", "DEFAULT", "DEFAULT-48H", "", "FIRST_RESPONSE_AT_RISK FIRST_RESPONSE_BREACH", "L1", "", "NONE", "NONE"));
    }

    @Test
    void thePageIsSelfContainedWithChartsAndEscapedNames(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        assertThat(compareInto(dir, out).rc()).isZero();

        String page = Files.readString(out.resolve(CompareReport.HTML));
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg", "FIRST_RESPONSE_BREACH", "proposed.json", "Smith &amp; Sons, &quot;Ltd&quot;")
                .doesNotContain("<script", "src=", "href=", "<link", dir.toString(), "Your refund");
    }

    @Test
    void twoComparesOfTheSameInputWriteIdenticalFiles(@TempDir Path dir) throws Exception {
        assertThat(compareInto(dir, dir.resolve("one")).rc()).isZero();
        assertThat(compareInto(dir, dir.resolve("two")).rc()).isZero();

        for (String f : List.of(CompareReport.KINDS_CSV, CompareReport.GROUPS_CSV, CompareReport.CASES_CSV, CompareReport.HTML)) {
            assertThat(Files.readAllBytes(dir.resolve("two").resolve(f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve("one").resolve(f)));
        }
        try (var left = Files.list(dir.resolve("one"))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("the replays' own folders are removed")
                    .containsExactlyInAnyOrder(CompareReport.KINDS_CSV, CompareReport.GROUPS_CSV, CompareReport.CASES_CSV, CompareReport.HTML);
        }
    }

    @Test
    void anUnreadablePolicyFileIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        java.io.PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try {
            System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            rc = compare("compare", "--events", history(dir).toString(), "--policies-a", "presets", "--policies-b",
                    dir.resolve("missing.json").toString(), "--out", dir.resolve("out").toString()).rc();
        } finally {
            System.setErr(saved);
        }
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement().asString().contains("missing.json");
    }
}
