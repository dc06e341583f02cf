package io.casewatch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.casewatch.topology.Topics;

class ReplayTest {

    @TempDir
    Path dir;

    @Test
    void sameInputGivesByteIdenticalOutput() throws Exception {
        Path events = ReplayFixtures.write(ReplayFixtures.workload(3_000, 40, 11), dir.resolve("events.jsonl"));
        Instant until = ReplayFixtures.START.plus(java.time.Duration.ofDays(140));
        new Replay(ReplayFixtures.settings()).run(events, dir.resolve("a"), until);
        new Replay(ReplayFixtures.settings()).run(events, dir.resolve("b"), until);

        for (String topic : Topics.defaults().outputNames()) {
            byte[] a = Files.readAllBytes(dir.resolve("a").resolve(topic + ".jsonl"));
            byte[] b = Files.readAllBytes(dir.resolve("b").resolve(topic + ".jsonl"));
            assertThat(b).as(topic).isEqualTo(a);
        }
        assertThat(Files.size(dir.resolve("a").resolve("escalations.l1.v1.jsonl"))).isPositive();
        assertThat(Files.size(dir.resolve("a").resolve("merchants.stats.v1.jsonl"))).isPositive();
        assertThat(Files.size(dir.resolve("a").resolve("compliance.cases.v1.jsonl"))).isPositive();
    }

    @Test
    void theDirectRunnerWritesExactlyWhatKafkaStreamsTestDriverWrites() throws Exception {
        Path events = ReplayFixtures.write(ReplayFixtures.workload(3_000, 40, 5), dir.resolve("events.jsonl"));
        Files.writeString(events, Files.readString(events) + "{broken\n");
        Instant until = ReplayFixtures.START.plus(java.time.Duration.ofDays(140));
        new Replay(ReplayFixtures.settings()).run(events, dir.resolve("direct"), until, Replay.Driver.DIRECT);
        new Replay(ReplayFixtures.settings()).run(events, dir.resolve("ttd"), until, Replay.Driver.TEST_DRIVER);

        for (String topic : Topics.defaults().outputNames()) {
            assertThat(Files.readAllLines(dir.resolve("direct").resolve(topic + ".jsonl")))
                    .as(topic).isEqualTo(Files.readAllLines(dir.resolve("ttd").resolve(topic + ".jsonl")));
        }
    }

    @Test
    void badLinesAreDeadLetteredWithTheirLineNumberAndTheRunGoesOn() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, String.join("\n",
                "{\"stream\":\"complaint\",\"eventId\":\"e1\",\"caseId\":\"c1\",\"merchantId\":\"m1\",\"occurredAt\":\"2026-02-02T09:00:00+08:00\",\"type\":\"OPENED\",\"jurisdiction\":\"CN\"}",
                "{not json",
                "{\"stream\":\"complaint\",\"eventId\":\"e2\",\"caseId\":\"c2\",\"merchantId\":\"m1\",\"occurredAt\":\"yesterday\",\"type\":\"OPENED\"}",
                "{\"stream\":\"letter\",\"eventId\":\"e3\"}",
                "{\"stream\":\"contact\",\"eventId\":\"e4\",\"caseId\":\"c1\",\"occuredAt\":\"2026-02-02T10:00:00+08:00\",\"direction\":\"INBOUND\",\"actor\":\"CUSTOMER\"}",
                "{\"stream\":\"complaint\",\"eventId\":\"e5\",\"caseId\":\"c1\",\"merchantId\":\"m1\",\"occurredAt\":1770000000000,\"type\":\"ASSIGNED\"}"));

        Replay.Summary s = new Replay(ReplayFixtures.settings()).run(events, dir.resolve("out"), Instant.parse("2026-02-10T00:00:00Z"));

        assertThat(s.lines()).isEqualTo(6);
        assertThat(s.badLines()).isEqualTo(4);
        assertThat(s.events()).isEqualTo(2);
        List<JsonNode> dlq = ReplayFixtures.read(dir.resolve("out").resolve("casewatch.dlq.v1.jsonl"));
        assertThat(dlq).extracting(n -> n.get("line").asInt()).containsExactly(2, 3, 4, 5);
        assertThat(dlq).allSatisfy(n -> assertThat(n.get("reason").asText()).isEqualTo(Replay.BAD_LINE));
        assertThat(dlq.get(1).get("error").asText()).contains("line 3").contains("occurredAt");
        assertThat(dlq.get(3).get("error").asText()).contains("occuredAt").contains("unknown field");
        assertThat(new String(Base64.getDecoder().decode(dlq.get(0).get("value").asText()), StandardCharsets.UTF_8)).isEqualTo("{not json");
        // The good case ran: unanswered past its 24-hour first response deadline.
        assertThat(ReplayFixtures.read(dir.resolve("out").resolve("escalations.l1.v1.jsonl")))
                .anySatisfy(a -> assertThat(a.get("kind").asText()).isEqualTo("FIRST_RESPONSE_BREACH"));
    }

    @Test
    void untilFiresWhatFallsDueAfterTheLastEventAndLeavesLaterEventsOut() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, String.join("\n",
                "{\"stream\":\"complaint\",\"eventId\":\"e1\",\"caseId\":\"c1\",\"merchantId\":\"m1\",\"occurredAt\":\"2026-02-02T09:00:00Z\",\"type\":\"OPENED\"}",
                "{\"stream\":\"contact\",\"eventId\":\"e2\",\"caseId\":\"c1\",\"occurredAt\":\"2026-02-04T09:00:00Z\",\"direction\":\"OUTBOUND\",\"actor\":\"AGENT\"}"));

        Replay.Summary before = new Replay(ReplayFixtures.settings()).run(events, dir.resolve("early"), Instant.parse("2026-02-02T12:00:00Z"));
        Replay.Summary after = new Replay(ReplayFixtures.settings()).run(events, dir.resolve("late"), Instant.parse("2026-02-03T12:00:00Z"));

        assertThat(before.afterCutoff()).isEqualTo(1);
        assertThat(ReplayFixtures.read(dir.resolve("early").resolve("escalations.l1.v1.jsonl"))).isEmpty();
        assertThat(after.afterCutoff()).isEqualTo(1);
        assertThat(ReplayFixtures.read(dir.resolve("late").resolve("escalations.l1.v1.jsonl")))
                .extracting(a -> a.get("kind").asText()).contains("FIRST_RESPONSE_BREACH");
    }

    @Test
    void statusesHeldBackByTheIntervalArePublishedWhenTheInputEnds() throws Exception {
        Path events = ReplayFixtures.write(ReplayFixtures.workload(400, 10, 23), dir.resolve("events.jsonl"));
        new Replay(ReplayFixtures.settings()).run(events, dir.resolve("every"), null);
        new Replay(ReplayFixtures.settings().withStatusInterval(java.time.Duration.ofDays(1))).run(events, dir.resolve("daily"), null);

        List<JsonNode> every = ReplayFixtures.read(dir.resolve("every").resolve("cases.status.v1.jsonl"));
        List<JsonNode> daily = ReplayFixtures.read(dir.resolve("daily").resolve("cases.status.v1.jsonl"));
        assertThat(daily.size()).as("fewer statuses, at most one per case per day").isLessThan(every.size());
        assertThat(latestByCase(daily)).as("the last status of every case, held back or not").isEqualTo(latestByCase(every));
    }

    private static java.util.Map<String, JsonNode> latestByCase(List<JsonNode> statuses) {
        java.util.Map<String, JsonNode> m = new java.util.TreeMap<>();
        for (JsonNode s : statuses) {
            m.put(s.get("caseId").asText(), s);
        }
        return m;
    }
}
