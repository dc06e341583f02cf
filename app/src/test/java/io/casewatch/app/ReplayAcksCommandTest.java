package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.casewatch.Main;

/**
 * {@code replay --acks} (issue 21 item 7): a history without acknowledgements does not claim that nobody acknowledged
 * anything. One case under the DEFAULT policy (first response 24 hours, L1 ack time 30 minutes), never answered.
 */
class ReplayAcksCommandTest {

    private static final String HISTORY = "{\"stream\":\"complaint\",\"eventId\":\"e1\",\"caseId\":\"c1\",\"merchantId\":\"m1\","
            + "\"occurredAt\":\"2026-03-02T10:00:00Z\",\"type\":\"OPENED\"}\n";

    private record Run(int rc, String stderr, String alerts) {
    }

    private static Run replay(Path dir, String... extra) throws Exception {
        Path events = Files.writeString(dir.resolve("events.jsonl"), HISTORY);
        Path out = dir.resolve("out");
        String[] base = {"replay", "--events", events.toString(), "--out", out.toString(), "--until", "2026-03-12T00:00:00Z"};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra)).toArray(String[]::new);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            rc = Main.commandLine().setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)).execute(args);
        } finally {
            System.setErr(err);
        }
        StringBuilder alerts = new StringBuilder();
        for (String level : new String[] {"l1", "l2", "l3"}) {
            Path f = out.resolve("escalations." + level + ".v1.jsonl");
            if (Files.exists(f)) {
                alerts.append(Files.readString(f));
            }
        }
        return new Run(rc, captured.toString(StandardCharsets.UTF_8), alerts.toString());
    }

    @Test
    void historyWithoutAcksRaisesNoEscalationUnackedAndSaysWhyInOneLine(@TempDir Path dir) throws Exception {
        Run r = replay(dir);

        assertThat(r.rc()).isZero();
        assertThat(r.alerts()).contains("FIRST_RESPONSE_BREACH").doesNotContain("ESCALATION_UNACKED");
        assertThat(r.stderr().lines().filter(l -> l.contains("ack escalation"))).hasSize(1);
    }

    @Test
    void acksRecordedKeepsTheLadderOnAHistoryWithoutAcks(@TempDir Path dir) throws Exception {
        Run r = replay(dir, "--acks", "recorded");

        assertThat(r.rc()).isZero();
        assertThat(r.alerts()).contains("ESCALATION_UNACKED");
        assertThat(r.stderr()).doesNotContain("ack escalation");
    }

    @Test
    void anUnknownAcksModeIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Run r = replay(dir, "--acks", "sometimes");

        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.stderr().lines().filter(l -> !l.isBlank())).singleElement().asString().startsWith("casewatch replay: ").contains("--acks");
    }
}
