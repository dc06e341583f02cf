package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.broker.LocalKafka;
import io.casewatch.schema.Alert;
import io.casewatch.schema.serde.Serdes;
import io.casewatch.testing.Events;
import io.casewatch.topology.Topics;

/**
 * SPEC §8: catching up on a backlog never raises a breach for a deadline that the backlog shows was met. 10,000
 * cases, each answered within an hour and resolved within two days, weeks ago, are in the topics before the
 * application starts; the ticker stamps "now" from the first second, yet nothing may fire.
 */
class BacklogCatchUpIT {

    private static final int CASES = 10_000;
    private static LocalKafka kafka;
    private static final Topics TOPICS = ItSupport.TOPICS;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = ItSupport.brokerWithTopics(3);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void backlogOfAnsweredCasesRaisesNoBreachWhileCatchingUp() throws Exception {
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofDays(40));
        try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(kafka)) {
            for (int i = 0; i < CASES; i++) {
                String id = "backlog-" + i;
                Instant opened = base.plus(Duration.ofMinutes(2L * i));
                var open = Events.opened(id, opened, null);
                var reply = Events.agentReply(id, opened.plus(Duration.ofMinutes(30 + i % 30)), "We refunded $10 to your card today.", "en");
                var resolved = Events.resolved(id, opened.plus(Duration.ofHours(40)));
                producer.send(rec(TOPICS.complaints().name(), id, Serdes.COMPLAINT_EVENT.toBytes(open), opened));
                producer.send(rec(TOPICS.contacts().name(), id, Serdes.CONTACT_EVENT.toBytes(reply), reply.getOccurredAt()));
                producer.send(rec(TOPICS.complaints().name(), id, Serdes.COMPLAINT_EVENT.toBytes(resolved), resolved.getOccurredAt()));
            }
            producer.flush();
        }

        String appId = "casewatch-it-backlog";
        Map<String, String> flags = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("casewatch-backlog-").toString(),
                StreamsConfig.APPLICATION_ID_CONFIG, appId);
        try (Pipeline pipeline = Pipeline.start(AppConfig.load(null, Map.of(), flags), Clock.systemUTC());
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            awaitCaughtUp(admin, appId, Duration.ofSeconds(180));
            // Let heartbeats stamped "now" move stream time well past every deadline of the backlog.
            long ticksBefore = pipeline.settings().counters().ticks();
            ItSupport.awaitUpTo(Duration.ofSeconds(60), () -> pipeline.settings().counters().ticks() >= ticksBefore + 12);
            assertThat(pipeline.settings().counters().ticks()).isGreaterThanOrEqualTo(ticksBefore + 12);
            assertThat(pipeline.settings().counters().accepted()).isEqualTo(3L * CASES);
        }
        assertThat(readAlerts()).isEmpty();
    }

    private static void awaitCaughtUp(Admin admin, String appId, Duration timeout) throws Exception {
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : List.of(TOPICS.complaints().name(), TOPICS.contacts().name())) {
            for (int i = 0; i < 3; i++) {
                parts.add(new TopicPartition(t, i));
            }
        }
        Map<TopicPartition, Long> ends = admin.listOffsets(parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        ItSupport.await(timeout, () -> "the application catching up with the backlog", () -> {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
                return parts.stream().allMatch(tp -> committed.containsKey(tp) && committed.get(tp).offset() >= ends.get(tp));
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static List<Alert> readAlerts() {
        List<Alert> out = new ArrayList<>();
        try (KafkaConsumer<String, Alert> c = ItSupport.alertConsumer(kafka, "it-backlog-alerts")) {
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
        }
        return out;
    }

    private static ProducerRecord<byte[], byte[]> rec(String topic, String key, byte[] value, Instant at) {
        return ItSupport.record(topic, key, value, at);
    }
}
