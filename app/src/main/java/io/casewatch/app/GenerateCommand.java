package io.casewatch.app;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.casewatch.workload.Workload;

/** {@code generate}: a realistic synthetic workload as replay input (JSON Lines), for tries and benchmarks. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a generated complaint workload (skewed merchants, stalls, reopenings, zh/en texts) as replay JSON Lines.")
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--cases", defaultValue = "10000")
    int cases;

    @Option(names = "--merchants", defaultValue = "200")
    int merchants;

    @Option(names = "--start", defaultValue = "2026-01-05T00:00:00Z", description = "First possible receipt (ISO-8601 instant).")
    Instant start;

    @Option(names = "--days", defaultValue = "90", description = "Receipts spread over this many days.")
    int days;

    @Option(names = "--hot-share", defaultValue = "0", description = "Share of cases of one hot merchant (m-000), 0..1; 0 = Zipf only.")
    double hotShare;

    @Option(names = "--contacts-scale", defaultValue = "1", description = "Multiplies contacts per case.")
    double contactsScale;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--out", required = true)
    Path out;

    @Override
    public Integer call() throws Exception {
        Workload w = Workload.generate(new Workload.Shape(cases, merchants, start, Duration.ofDays(days), seed, hotShare, contactsScale));
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            w.writeJsonLines(o);
        }
        System.err.printf("generate: %d cases, %d events -> %s%n", cases, w.events().size(), out);
        return 0;
    }
}
