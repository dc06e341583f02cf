package io.casewatch.app;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.casewatch.replay.Replay;

/** {@code replay}: the topology over a JSON Lines file of events, outputs as JSON Lines (SPEC section 7). */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run the casewatch topology over a JSON Lines file of events; write each output topic as <topic>.jsonl.")
public final class ReplayCommand implements Callable<Integer> {

    /** More threads than this would only share the cores. */
    static final int MAX_PARTITIONS = 256;

    @Mixin
    HistoryOptions history = new HistoryOptions();

    @Option(names = "--out", required = true, description = "Folder for the output files (created; existing files are replaced).")
    Path out;

    @Option(names = "--policies", description = "Policy file (JSON); the shipped presets apply without it.")
    Path policies;

    @Option(names = "--partitions", description = "Split the run as a deployment with this many partitions splits it: a task "
            + "per case partition, each on its own thread. Output is byte-identical for a given count; alerts, compliance "
            + "records and final statuses are the same for any count (storm summaries are per partition, as in run). "
            + "Default: the cores available.")
    Integer partitions;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = config.flags();
        if (policies != null) {
            flags.put(AppConfig.POLICIES_FILE, policies.toString());
        }
        AppConfig cfg = config.load(System.getenv(), flags);
        Instant cutoff = history.cutoff();
        if (!history.readable()) {
            return 2;
        }
        int parts = partitions == null ? Runtime.getRuntime().availableProcessors() : partitions;
        if (parts < 1 || parts > MAX_PARTITIONS) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new ReplayCommand()),
                    "--partitions: " + parts + " is not between 1 and " + MAX_PARTITIONS);
        }
        var settings = history.withAcks(Pipeline.replaySettings(cfg));
        Replay.Summary s = new Replay(settings).run(history.events, out, cutoff, Replay.Driver.DIRECT, parts, ProgressLine.forStderr("replay"));
        System.err.printf("replay: %d lines, %d events replayed, %d bad lines (dead-lettered), %d after --until (not replayed); "
                + "%.0f events/s%n", s.lines(), s.events(), s.badLines(), s.afterCutoff(), s.eventsPerSecond());
        s.written().forEach((topic, n) -> System.err.printf("  %s.jsonl: %d records%n", topic, n));
        return 0;
    }
}
