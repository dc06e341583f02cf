package io.casewatch.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.casewatch.replay.AckMode;
import io.casewatch.replay.Replay;
import io.casewatch.topology.CasewatchTopology;

/** {@code replay}: the topology over a JSON Lines file of events, outputs as JSON Lines (SPEC section 7). */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run the casewatch topology over a JSON Lines file of events; write each output topic as <topic>.jsonl.")
public final class ReplayCommand implements Callable<Integer> {

    /** More threads than this would only share the cores. */
    static final int MAX_PARTITIONS = 256;

    @Option(names = "--events", required = true, description = "JSON Lines input: one event a line with \"stream\": complaint|contact|ack.")
    Path events;

    @Option(names = "--out", required = true, description = "Folder for the output files (created; existing files are replaced).")
    Path out;

    @Option(names = "--policies", description = "Policy file (JSON); the shipped presets apply without it.")
    Path policies;

    @Option(names = "--until", description = "Move stream time to this instant (ISO-8601 with offset) after the last event, "
            + "so that deadlines due by then fire; later events are not replayed.")
    String until;

    @Option(names = "--acks", description = "recorded: apply the input's acks and escalate alerts nobody acknowledged; "
            + "ignore: no ack escalation. Default: recorded when the input holds an ack event, otherwise ignore (said in one line).")
    AckMode acks;

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
        Instant cutoff = until == null ? null : parseInstant(until);
        if (!Files.isReadable(events)) {
            System.err.println(events + ": not readable");
            return 2;
        }
        int parts = partitions == null ? Runtime.getRuntime().availableProcessors() : partitions;
        if (parts < 1 || parts > MAX_PARTITIONS) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new ReplayCommand()),
                    "--partitions: " + parts + " is not between 1 and " + MAX_PARTITIONS);
        }
        var settings = withAcks(Pipeline.replaySettings(cfg), acks, events, "replay");
        Replay.Summary s = new Replay(settings).run(events, out, cutoff, Replay.Driver.DIRECT, parts, ProgressLine.forStderr("replay"));
        System.err.printf("replay: %d lines, %d events replayed, %d bad lines (dead-lettered), %d after --until (not replayed); "
                + "%.0f events/s%n", s.lines(), s.events(), s.badLines(), s.afterCutoff(), s.eventsPerSecond());
        s.written().forEach((topic, n) -> System.err.printf("  %s.jsonl: %d records%n", topic, n));
        return 0;
    }

    /** The settings with ack escalation as {@code --acks} (or the input) decides; the decision's note on stderr. */
    static CasewatchTopology.Settings withAcks(CasewatchTopology.Settings s,
            AckMode asked, Path events, String command) throws IOException {
        AckMode.Decision d = AckMode.decide(asked, events);
        if (d.note() != null) {
            System.err.println(command + ": " + d.note());
        }
        return s.withEscalation(s.escalation().withAckEscalation(d.ackEscalation()));
    }

    static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new ReplayCommand()),
                    "--until: '" + text + "' is not an ISO-8601 time with offset (e.g. 2026-03-31T23:59:59+08:00)");
        }
    }
}
