package io.casewatch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AckModeTest {

    private static final String OPENED = "{\"stream\":\"complaint\",\"eventId\":\"e1\",\"caseId\":\"c1\",\"merchantId\":\"m1\","
            + "\"occurredAt\":\"2026-03-02T10:00:00Z\",\"type\":\"OPENED\"}\n";
    private static final String ACK = "{\"stream\": \"ack\", \"eventId\":\"e2\",\"caseId\":\"c1\",\"alertId\":\"x\",\"level\":\"L1\","
            + "\"occurredAt\":\"2026-03-03T10:00:00Z\"}\n";

    @Test
    void anInputWithoutAckEventsTurnsAckEscalationOffAndSaysSo(@TempDir Path dir) throws Exception {
        // A contact whose text mentions "ack" is not an ack event.
        Path f = Files.writeString(dir.resolve("e.jsonl"), OPENED
                + "{\"stream\":\"contact\",\"eventId\":\"e3\",\"caseId\":\"c1\",\"text\":\"\\\"ack\\\"\"}\n");

        AckMode.Decision d = AckMode.decide(null, f);

        assertThat(d.ackEscalation()).isFalse();
        assertThat(d.note()).contains("no ack events").contains("--acks recorded");
    }

    @Test
    void anInputWithAnAckEventKeepsAckEscalation(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("e.jsonl"), OPENED + ACK);

        AckMode.Decision d = AckMode.decide(null, f);

        assertThat(d.ackEscalation()).isTrue();
        assertThat(d.note()).isNull();
    }

    @Test
    void anExplicitModeWinsOverTheInput(@TempDir Path dir) throws Exception {
        Path noAcks = Files.writeString(dir.resolve("a.jsonl"), OPENED);
        Path acks = Files.writeString(dir.resolve("b.jsonl"), OPENED + ACK);

        assertThat(AckMode.decide(AckMode.RECORDED, noAcks)).isEqualTo(new AckMode.Decision(true, null));
        assertThat(AckMode.decide(AckMode.IGNORE, acks)).isEqualTo(new AckMode.Decision(false, null));
    }
}
