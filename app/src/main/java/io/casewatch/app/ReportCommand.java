package io.casewatch.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.compliance.PeriodReport;

/** {@code report}: the period complaints return, as CSV, from a replay's (or a topic dump's) JSON Lines. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Period complaints report per merchant and jurisdiction (CSV) from compliance.cases.v1.jsonl and cases.status.v1.jsonl.")
public final class ReportCommand implements Callable<Integer> {

    @Option(names = "--records", required = true, description = "Compliance records, JSON Lines (e.g. replay's compliance.cases.v1.jsonl).")
    Path records;

    @Option(names = "--statuses", required = true, description = "Case statuses, JSON Lines (e.g. replay's cases.status.v1.jsonl).")
    Path statuses;

    @Option(names = "--from", required = true, description = "First day of the period (YYYY-MM-DD), inclusive.")
    LocalDate from;

    @Option(names = "--to", required = true, description = "Last day of the period (YYYY-MM-DD), inclusive.")
    LocalDate to;

    @Option(names = "--zone", defaultValue = "UTC", description = "Time zone of the period's days (default UTC).")
    ZoneId zone;

    @Option(names = "--out", description = "CSV file; standard output without it.")
    Path out;

    @Override
    public Integer call() throws IOException {
        PeriodReport report = new PeriodReport(from, to.plusDays(1), zone);
        read(records, report::addComplianceRecord);
        read(statuses, report::addStatus);
        try (Writer w = out == null ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8) : Files.newBufferedWriter(out)) {
            report.writeCsv(w);
        }
        return 0;
    }

    private static void read(Path file, Consumer<JsonNode> sink) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (!line.isBlank()) {
                    try {
                        sink.accept(json.readTree(line));
                    } catch (IOException | RuntimeException e) {
                        throw new IOException(file + " line " + n + ": " + e.getMessage(), e);
                    }
                }
            }
        }
    }
}
