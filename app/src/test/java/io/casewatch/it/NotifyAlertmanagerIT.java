package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.casewatch.notify.Notifier;
import io.casewatch.notify.NotifySettings;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.Level;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.topology.DeadLetters;

/**
 * {@code notify} against a real Kafka broker and a real Alertmanager (issue 19 item 6): an alert appears with its
 * labels and annotations, its CLOSED record resolves it, a re-read after a restart creates no duplicate, and an
 * alert that cannot be delivered is dead-lettered with the reason.
 */
class NotifyAlertmanagerIT {
    @RegisterExtension
    static final RealBroker BROKER = RealBroker.withTopics(1);

    @TempDir
    static Path dir;



    private static NotifySettings settings(URI am, String group) {
        NotifySettings d = NotifySettings.defaults(List.of(am));
        return new NotifySettings(d.alertmanagers(), "https://casewatch.example.com/#case={caseId}", "it", group, Duration.ofSeconds(30),
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(400));
    }

    private static Notifier notifier(NotifySettings s, List<String> topics) {
        Properties p = new Properties();
        p.put("bootstrap.servers", BROKER.bootstrapServers());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new Notifier(s, p, topics, ItSupport.TOPICS.deadLetters().name(), new SimpleMeterRegistry(), Clock.systemUTC()).start();
    }

    static Alert alert(String id, String caseId, AlertStatus status, String related) {
        return Alert.newBuilder().setAlertId(id).setCaseId(caseId).setMerchantId("M-7").setKind(AlertKind.STATUTORY_BREACH)
                .setLevel(Level.L3).setStatus(status).setPolicyId("us-cfpb").setDetectedAt(Instant.parse("2026-11-30T10:00:00Z"))
                .setDeadline(Instant.parse("2026-11-30T09:00:00Z")).setJurisdiction("US").setRelatedAlertId(related)
                .setEvidence(Evidence.newBuilder().setClock(io.casewatch.schema.ClockKind.values()[0]).setBudgetMillis(Duration.ofDays(15).toMillis())
                        .setElapsedMillis(Duration.ofDays(16).toMillis()).setTimeBasis("CALENDAR").setInboundContacts(3).build())
                .build();
    }

    private static void publish(String topic, Alert a) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = ItSupport.producer(BROKER.kafka())) {
            p.send(new ProducerRecord<>(topic, a.getCaseId().toString().getBytes(StandardCharsets.UTF_8), RecordSerdes.ALERT.toBytes(a))).get();
        }
    }

    private static List<JsonNode> withAlertId(AlertmanagerProcess am, String id) {
        return am.activeAlerts().stream().filter(a -> id.equals(a.path("labels").path("alertId").asText())).toList();
    }

    @Test
    void anAlertAppearsItsCloseResolvesItAndARestartCreatesNoDuplicate() throws Exception {
        try (AlertmanagerProcess am = AlertmanagerProcess.start(dir.resolve("am1"))) {
            String l3 = ItSupport.TOPICS.l3().name();
            NotifySettings s = settings(am.url(), "notify-it-1");
            publish(l3, alert("A-1", "C-1", AlertStatus.OPEN, null));
            try (Notifier n = notifier(s, List.of(l3))) {
                ItSupport.await(Duration.ofSeconds(20), () -> "alert A-1 in Alertmanager: " + am.activeAlerts(), () -> withAlertId(am, "A-1").size() == 1);
            }
            JsonNode a = withAlertId(am, "A-1").get(0);
            assertThat(a.path("labels").path("kind").asText()).isEqualTo("STATUTORY_BREACH");
            assertThat(a.path("labels").path("level").asText()).isEqualTo("L3");
            assertThat(a.path("labels").path("caseId").asText()).isEqualTo("C-1");
            assertThat(a.path("labels").path("merchantId").asText()).isEqualTo("M-7");
            assertThat(a.path("labels").path("policy").asText()).isEqualTo("us-cfpb");
            assertThat(a.path("annotations").path("caseUrl").asText()).isEqualTo("https://casewatch.example.com/#case=C-1");
            assertThat(a.path("annotations").path("evidence").asText()).contains("budget PT360H calendar, used PT384H", "3 inbound contacts");
            assertThat(a.path("status").path("state").asText()).isEqualTo("active");
            // Open for 4 re-send intervals (2 minutes here) from the post, not Alertmanager's 5-minute resolve_timeout.
            assertThat(Instant.parse(a.path("endsAt").asText())).isBetween(Instant.now().plusSeconds(60), Instant.now().plusSeconds(130));

            // A restart that reads A-1 again (its offset rewound, as after a crash before the commit) posts it again:
            // Alertmanager holds one alert, not two.
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", BROKER.bootstrapServers()))) {
                admin.alterConsumerGroupOffsets("notify-it-1", Map.of(new TopicPartition(l3, 0), new OffsetAndMetadata(0))).all().get();
            }
            publish(l3, alert("A-2", "C-2", AlertStatus.OPEN, null));
            try (Notifier n = notifier(s, List.of(l3))) {
                ItSupport.await(Duration.ofSeconds(20), () -> "alert A-2 after the restart", () -> withAlertId(am, "A-2").size() == 1);
                assertThat(withAlertId(am, "A-1")).hasSize(1);
                assertThat(am.activeAlerts()).hasSize(2);
            }

            // The CLOSED record, read by yet another start (which took A-1's labels over from Alertmanager), resolves it.
            publish(l3, alert("A-1-closed", "C-1", AlertStatus.CLOSED, "A-1"));
            try (Notifier n = notifier(s, List.of(l3))) {
                ItSupport.await(Duration.ofSeconds(20), () -> "A-1 resolved: " + am.activeAlerts(), () -> withAlertId(am, "A-1").isEmpty());
                assertThat(withAlertId(am, "A-2")).hasSize(1);
                assertThat(n.openAlerts()).isEqualTo(1);
            }
        }
    }

    @Test
    void anOpenAlertIsRepostedSoAlertmanagerNeverLetsItLapse() throws Exception {
        String l1 = ItSupport.TOPICS.l1().name();
        try (AlertmanagerProcess am = AlertmanagerProcess.start(dir.resolve("am3"))) {
            NotifySettings d = settings(am.url(), "notify-it-3");
            // Re-posted every 300 ms, each post good for 4 intervals (1.2 s) ahead.
            NotifySettings s = new NotifySettings(d.alertmanagers(), d.caseUrl(), d.deployment(), d.group(), Duration.ofMillis(300),
                    d.giveUpAfter(), d.requestTimeout(), d.firstBackoff(), d.maxBackoff());
            publish(l1, alert("R-1", "C-20", AlertStatus.OPEN, null));
            try (Notifier n = notifier(s, List.of(l1))) {
                ItSupport.await(Duration.ofSeconds(20), () -> "R-1 in Alertmanager", () -> withAlertId(am, "R-1").size() == 1);
                Instant firstEnd = Instant.parse(withAlertId(am, "R-1").get(0).path("endsAt").asText());
                // Past the first post's endsAt the alert is still active, its endsAt moved on by the re-posts.
                ItSupport.await(Duration.ofSeconds(10), () -> "now past " + firstEnd, () -> Instant.now().isAfter(firstEnd.plusMillis(300)));
                List<JsonNode> still = withAlertId(am, "R-1");
                assertThat(still).hasSize(1);
                assertThat(still.get(0).path("status").path("state").asText()).isEqualTo("active");
                assertThat(Instant.parse(still.get(0).path("endsAt").asText())).isAfter(firstEnd);
            }
        }
    }

    @Test
    void anAlertThatCannotBeDeliveredIsDeadLetteredWithTheReason() throws Exception {
        String l2 = ItSupport.TOPICS.l2().name();
        publish(l2, alert("B-1", "C-9", AlertStatus.OPEN, null));
        try (KafkaProducer<byte[], byte[]> p = ItSupport.producer(BROKER.kafka())) {
            p.send(new ProducerRecord<>(l2, "C-10".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }
        // Nothing listens on the first URL: every post to it fails until giveUpAfter (2 s) has passed, while the second,
        // real Alertmanager accepts. An alert counts as delivered only when every Alertmanager has it.
        try (AlertmanagerProcess am = AlertmanagerProcess.start(dir.resolve("am2"))) {
            URI dead = URI.create("http://127.0.0.1:1");
            NotifySettings d = settings(am.url(), "notify-it-2");
            NotifySettings s = new NotifySettings(List.of(dead, am.url()), d.caseUrl(), d.deployment(), d.group(), d.resendEvery(),
                    d.giveUpAfter(), d.requestTimeout(), d.firstBackoff(), d.maxBackoff());
            try (KafkaConsumer<byte[], byte[]> dlq = new KafkaConsumer<>(Map.of("bootstrap.servers", BROKER.bootstrapServers(), "group.id", "dlq-reader",
                    "auto.offset.reset", "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
                    Notifier n = notifier(s, List.of(l2))) {
                dlq.subscribe(List.of(ItSupport.TOPICS.deadLetters().name()));
                Map<String, String> reasons = new java.util.TreeMap<>();
                ItSupport.await(Duration.ofSeconds(30), () -> "two dead letters, got " + reasons, () -> {
                    for (ConsumerRecord<byte[], byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                        reasons.put(header(r, DeadLetters.REASON) + " " + header(r, DeadLetters.OFFSET), header(r, DeadLetters.ERROR));
                        assertThat(header(r, DeadLetters.TOPIC)).isEqualTo(l2);
                    }
                    return reasons.size() == 2;
                });
                assertThat(reasons.get(Notifier.UNDELIVERABLE + " 0")).contains("not accepted within PT2S", "127.0.0.1:1");
                assertThat(reasons.get(Notifier.UNDECODABLE + " 1")).contains("Alert");
            }
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
