package io.casewatch.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.casewatch.compare.Compare;
import io.casewatch.compare.CompareReport;
import io.casewatch.topology.CasewatchTopology;

/** {@code compare}: one history replayed under two policy sets, what the change gains and loses (SPEC section 7). */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Replay one history under two policy sets; write per merchant, policy and alert kind what B gains and loses "
                + "against A, as CSV and one self-contained HTML page.")
public final class CompareCommand implements Callable<Integer> {

    @Mixin
    HistoryOptions history = new HistoryOptions();

    @Option(names = "--policies-a", required = true, description = "The current policy file (JSON), or 'presets'.")
    String policiesA;

    @Option(names = "--policies-b", required = true, description = "The proposed policy file (JSON), or 'presets'.")
    String policiesB;

    @Option(names = "--out", required = true, description = "Folder for compare-alerts.csv, compare-merchants.csv, compare-cases.csv, compare.html.")
    Path out;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Override
    public Integer call() throws Exception {
        Instant cutoff = history.cutoff();
        if (!history.readable()) {
            return 2;
        }
        CasewatchTopology.Settings a;
        CasewatchTopology.Settings b;
        try {
            a = settings(policiesA);
            b = settings(policiesB);
        } catch (IllegalArgumentException e) { // PolicyFile.PolicyException included
            System.err.println("compare: " + e.getMessage());
            return 2;
        }
        boolean ackEscalation = history.ackEscalation();
        a = a.withEscalation(a.escalation().withAckEscalation(ackEscalation));
        b = b.withEscalation(b.escalation().withAckEscalation(ackEscalation));
        Files.createDirectories(out);
        Path work = Files.createTempDirectory(out, ".compare-");
        try {
            Compare.Result r = Compare.run(history.events, a, b, cutoff, work);
            CompareReport.write(r.comparison(), out, label(policiesA), label(policiesB));
            System.err.printf("compare: %d events, %d cases, %d changed; %s, %s, %s, %s in %s%n", r.a().events(),
                    r.comparison().groups().stream().mapToLong(g -> g.cases()).sum(), r.comparison().changed().size(),
                    CompareReport.KINDS_CSV, CompareReport.GROUPS_CSV, CompareReport.CASES_CSV, CompareReport.HTML, out);
        } finally {
            Files.deleteIfExists(work);
        }
        return 0;
    }

    private CasewatchTopology.Settings settings(String policies) throws IOException {
        Map<String, String> flags = config.flags();
        if (!policies.equals("presets")) {
            Path p = Path.of(policies);
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException(policies + ": not readable");
            }
            flags.put(AppConfig.POLICIES_FILE, policies);
        }
        return Pipeline.replaySettings(config.load(System.getenv(), flags));
    }

    /** A policy set's name on the page: its file name, never a folder of the machine it ran on. */
    private static String label(String policies) {
        return policies.equals("presets") ? "the shipped presets" : Path.of(policies).getFileName().toString();
    }
}
