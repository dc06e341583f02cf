package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.testing.Events;

/**
 * The application is stopped after an alert is published and before its ack deadline, then started again from its
 * state: exactly one re-escalation follows, exactly once (exactly_once_v2, timers kept in the changelogged stores).
 */
class ReEscalationAcrossRestartIT {

    @RegisterExtension
    static final RealBroker BROKER = RealBroker.withTopics(2);



    @Test
    void restartBetweenAlertAndAckDeadlineYieldsExactlyOneReEscalation() throws Exception {
        Path dir = Files.createTempDirectory("casewatch-restart-");
        Path policies = dir.resolve("policies.json");
        Files.writeString(policies, """
                {"replacePresets": true, "policies": [{"id": "DEFAULT", "calendar": "UTC",
                  "firstResponse": {"budget": "24 hours", "atRisk": []}, "nextReply": null, "resolution": null,
                  "statutory": null, "ackTimes": {"L1": "PT20S", "L2": "PT1H", "L3": "PT1H"}}]}
                """);
        Instant opened = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(24)).plusSeconds(8);
        Instant deadline = opened.plus(Duration.ofHours(24));
        try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(BROKER.kafka())) {
            var e = Events.opened("restart-1", opened, null);
            producer.send(ItSupport.record(ItSupport.TOPICS.complaints().name(), e.getCaseId(), RecordSerdes.COMPLAINT_EVENT.toBytes(e), opened)).get();
        }
        Map<String, String> flags = Map.of("bootstrap.servers", BROKER.bootstrapServers(),
                StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString(),
                StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-it-restart",
                AppConfig.POLICIES_FILE, policies.toString());

        List<Alert> alerts = new ArrayList<>();
        try (KafkaConsumer<String, Alert> consumer = ItSupport.alertConsumer(BROKER.kafka(), "it-restart-alerts")) {
            try (Pipeline first = Pipeline.start(AppConfig.load(null, Map.of(), flags), Clock.systemUTC())) {
                pollUntil(consumer, alerts, a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH, Duration.ofSeconds(60));
            }
            assertThat(Instant.now()).as("stopped before the ack deadline").isBefore(deadline.plusSeconds(20));
            try (Pipeline second = Pipeline.start(AppConfig.load(null, Map.of(), flags), Clock.systemUTC())) {
                pollUntil(consumer, alerts, a -> a.getKind() == AlertKind.ESCALATION_UNACKED, Duration.ofSeconds(90));
                // Keep reading a while: a duplicate re-escalation would show up now.
                long settle = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (System.nanoTime() < settle) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> alerts.add(r.value()));
                }
            }
        }
        List<Alert> breaches = alerts.stream().filter(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH).toList();
        List<Alert> unacked = alerts.stream().filter(a -> a.getKind() == AlertKind.ESCALATION_UNACKED).toList();
        assertThat(breaches).hasSize(1);
        assertThat(unacked).singleElement().satisfies(a -> {
            assertThat(a.getRelatedAlertId()).isEqualTo(breaches.get(0).getAlertId());
            assertThat(a.getDetectedAt()).isEqualTo(breaches.get(0).getDetectedAt().plusSeconds(20));
        });
    }

    private static void pollUntil(KafkaConsumer<String, Alert> consumer, List<Alert> sink, Predicate<Alert> seen, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until && sink.stream().noneMatch(seen)) {
            consumer.poll(Duration.ofMillis(100)).forEach(r -> sink.add(r.value()));
        }
        assertThat(sink).as("waited %s", timeout).anyMatch(seen);
    }
}
