package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import io.casewatch.Main;

class CommandLineTest {

    @Test
    void everyCommandIsRegistered() {
        assertThat(new CommandLine(new Main()).getSubcommands().keySet())
                .contains("run", "demo", "replay", "compare", "report", "generate", "import-csv", "topics", "notify", "probe", "strimzi");
    }

    @Test
    void generateReplayAndReportChainOnFiles(@TempDir Path dir) throws Exception {
        CommandLine cli = new CommandLine(new Main());
        Path events = dir.resolve("events.jsonl");
        Path out = dir.resolve("out");
        Path csv = dir.resolve("q1.csv");

        assertThat(cli.execute("generate", "--cases", "300", "--merchants", "12", "--out", events.toString())).isZero();
        assertThat(cli.execute("replay", "--events", events.toString(), "--out", out.toString(), "--until", "2026-06-30T00:00:00Z")).isZero();
        assertThat(cli.execute("report", "--records", out.resolve("compliance.cases.v1.jsonl").toString(), "--statuses",
                out.resolve("cases.status.v1.jsonl").toString(), "--from", "2026-01-01", "--to", "2026-03-31", "--out", csv.toString())).isZero();

        assertThat(Files.readAllLines(csv).get(0)).startsWith("merchantId,jurisdiction,received");
        assertThat(Files.readAllLines(csv)).hasSizeGreaterThan(5);
        assertThat(Files.size(out.resolve("merchants.stats.v1.jsonl"))).isPositive();
    }

    @Test
    void replayRejectsAnUntilWithoutOffset(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("e.jsonl"), "");
        int rc = new CommandLine(new Main()).execute("replay", "--events", dir.resolve("e.jsonl").toString(), "--out",
                dir.resolve("o").toString(), "--until", "2026-06-30");
        assertThat(rc).isNotZero();
    }

    @Test
    void replayRejectsAPartitionCountBelowOneAsAUsageError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("e.jsonl"), "");
        CommandLine cli = io.casewatch.Main.commandLine();
        int rc = cli.execute("replay", "--events", dir.resolve("e.jsonl").toString(), "--out", dir.resolve("o").toString(),
                "--partitions", "0");
        assertThat(rc).as("a usage error, not a failure to run").isEqualTo(2);
    }
}
