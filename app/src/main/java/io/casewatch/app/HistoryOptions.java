package io.casewatch.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.casewatch.replay.AckMode;
import io.casewatch.topology.CasewatchTopology;

/** {@code --events}, {@code --until} and {@code --acks} of the commands that replay a history (replay, compare). */
public final class HistoryOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--events", required = true, description = "JSON Lines input: one event a line with \"stream\": complaint|contact|ack.")
    Path events;

    @Option(names = "--until", description = "Move stream time to this instant (ISO-8601 with offset) after the last event, "
            + "so that deadlines due by then fire; later events are not replayed.")
    String until;

    @Option(names = "--acks", description = "recorded: apply the input's acks and escalate alerts nobody acknowledged; "
            + "ignore: no ack escalation. Default: recorded when the input holds an ack event, otherwise ignore (said in one line).")
    AckMode acks;

    /** {@code --until} as an instant; null without it. A malformed one is the user's mistake: one line, exit 2. */
    Instant cutoff() {
        if (until == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(until).toInstant();
        } catch (DateTimeParseException e) {
            throw new ParameterException(command.commandLine(),
                    "--until: '" + until + "' is not an ISO-8601 time with offset (e.g. 2026-03-31T23:59:59+08:00)");
        }
    }

    /** Whether {@code --events} can be read; if not, says so on stderr. */
    boolean readable() {
        if (Files.isReadable(events)) {
            return true;
        }
        System.err.println(command.name() + ": " + events + ": not readable");
        return false;
    }

    /** The settings with ack escalation as {@code --acks} (or the input) decides; the decision's note on stderr. */
    CasewatchTopology.Settings withAcks(CasewatchTopology.Settings s) throws IOException {
        return s.withEscalation(s.escalation().withAckEscalation(ackEscalation()));
    }

    /** Whether alerts nobody acknowledged escalate, as {@code --acks} (or the input) decides; the decision's note on stderr. */
    boolean ackEscalation() throws IOException {
        AckMode.Decision d = AckMode.decide(acks, events);
        if (d.note() != null) {
            System.err.println(command.name() + ": " + d.note());
        }
        return d.ackEscalation();
    }
}
