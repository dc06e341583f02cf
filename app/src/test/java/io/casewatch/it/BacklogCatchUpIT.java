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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.testing.Events;
import io.casewatch.topology.Topics;

/**
 * SPEC §8: catching up on a backlog never raises a breach for a deadline that the backlog shows was met, and does
 * raise every one it shows was missed (issue 18, item 5: a positive control). 100,000 cases opened weeks ago are in
 * the topics before the application starts; 99% were answered within an hour and resolved within two days, every
 * 100th was never answered nor resolved. The ticker stamps "now" from the first second: exactly the unanswered cases
 * alert (first-response and resolution breaches among them), none of the answered ones, and every record is
 * accounted for from the outputs.
 */
class BacklogCatchUpIT {

    private static final int CASES = 100_000;
    @RegisterExtension
    static final RealBroker BROKER = RealBroker.withTopics(3);
    private static final Topics TOPICS = ItSupport.TOPICS;



    @Test
    void backlogRaisesExactlyTheBreachesOfTheUnansweredCasesWhileCatchingUp() throws Exception {
        // 30 s apart: the last case opened 25 days ago, so its 15-day resolution deadline has passed too.
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofDays(60));
        java.util.Set<String> unanswered = new java.util.TreeSet<>();
        Map<String, Instant> openedAt = new java.util.HashMap<>();
        long records = 0;
        // Every send confirmed: a record the broker refused would make its case a true breach the test calls false.
        java.util.concurrent.atomic.AtomicReference<Exception> refused = new java.util.concurrent.atomic.AtomicReference<>();
        org.apache.kafka.clients.producer.Callback confirm = (metadata, e) -> {
            if (e != null) {
                refused.compareAndSet(null, e);
            }
        };
        try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(BROKER.kafka())) {
            for (int i = 0; i < CASES; i++) {
                String id = "backlog-" + i;
                Instant opened = base.plus(Duration.ofSeconds(30L * i));
                var open = Events.opened(id, opened, null);
                producer.send(rec(TOPICS.complaints().name(), id, RecordSerdes.COMPLAINT_EVENT.toBytes(open), opened), confirm);
                records++;
                if (i % 100 == 37) {
                    // The positive control: never answered, never resolved.
                    unanswered.add(id);
                    openedAt.put(id, opened);
                    continue;
                }
                var reply = Events.agentReply(id, opened.plus(Duration.ofMinutes(30 + i % 30)), "We refunded $10 to your card today.", "en");
                var resolved = Events.resolved(id, opened.plus(Duration.ofHours(40)));
                producer.send(rec(TOPICS.contacts().name(), id, RecordSerdes.CONTACT_EVENT.toBytes(reply), reply.getOccurredAt()), confirm);
                producer.send(rec(TOPICS.complaints().name(), id, RecordSerdes.COMPLAINT_EVENT.toBytes(resolved), resolved.getOccurredAt()), confirm);
                records += 2;
            }
            producer.flush();
        }
        assertThat(refused.get()).as("a backlog record the broker refused").isNull();
        assertThat(unanswered).hasSize(CASES / 100);

        String appId = "casewatch-it-backlog";
        Map<String, String> flags = Map.of("bootstrap.servers", BROKER.bootstrapServers(),
                StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("casewatch-backlog-").toString(),
                StreamsConfig.APPLICATION_ID_CONFIG, appId, AppConfig.STORM_CAP, "1000000");
        long started = System.nanoTime();
        long caughtUpMs;
        try (Pipeline pipeline = Pipeline.start(AppConfig.load(null, Map.of(), flags), Clock.systemUTC());
             Admin admin = Admin.create(Map.of("bootstrap.servers", BROKER.bootstrapServers()))) {
            awaitCaughtUp(admin, appId, Duration.ofSeconds(600));
            caughtUpMs = (System.nanoTime() - started) / 1_000_000;
            // Let heartbeats stamped "now" move stream time well past every deadline of the backlog.
            long ticksBefore = pipeline.runtime().counters().ticks();
            ItSupport.awaitUpTo(Duration.ofSeconds(60), () -> pipeline.runtime().counters().ticks() >= ticksBefore + 12);
            assertThat(pipeline.runtime().counters().ticks()).isGreaterThanOrEqualTo(ticksBefore + 12);

            // Every unanswered case: its first-response breach (24 hours after opening) and its resolution breach.
            Map<String, java.util.Set<AlertKind>> kinds = new java.util.TreeMap<>();
            Map<String, Instant> firstResponseBreachAt = new java.util.HashMap<>();
            try (KafkaConsumer<String, Alert> c = ItSupport.alertConsumer(BROKER.kafka(), "it-backlog-alerts")) {
                java.util.function.BooleanSupplier complete = () -> {
                    c.poll(Duration.ofMillis(200)).forEach(r -> {
                        kinds.computeIfAbsent(r.value().getCaseId(), k -> java.util.EnumSet.noneOf(AlertKind.class)).add(r.value().getKind());
                        if (r.value().getKind() == AlertKind.FIRST_RESPONSE_BREACH) {
                            firstResponseBreachAt.put(r.value().getCaseId(), r.value().getDetectedAt());
                        }
                    });
                    return unanswered.stream().allMatch(id -> kinds.containsKey(id)
                            && kinds.get(id).containsAll(java.util.Set.of(AlertKind.FIRST_RESPONSE_BREACH, AlertKind.RESOLUTION_BREACH)));
                };
                ItSupport.awaitUpTo(Duration.ofSeconds(120), complete);
                // A little longer: an alert on an answered case would show up now.
                long settle = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (System.nanoTime() < settle) {
                    complete.getAsBoolean();
                }
            }
            java.util.Set<String> answeredAlerted = new java.util.TreeSet<>(kinds.keySet());
            answeredAlerted.removeAll(unanswered);
            java.util.Set<String> silent = new java.util.TreeSet<>(unanswered);
            silent.removeAll(kinds.keySet());
            System.out.printf("backlog IT: %,d cases (%,d records) before start-up, caught up %d ms after start; %d unanswered,"
                    + " alerted %d cases, answered cases alerted %d, unanswered silent %d%n", CASES, records, caughtUpMs, unanswered.size(),
                    kinds.size(), answeredAlerted.size(), silent.size());
            assertThat(answeredAlerted).as("answered cases that alerted (false breaches while catching up)").isEmpty();
            assertThat(silent).as("unanswered cases that raised nothing").isEmpty();
            for (String id : unanswered) {
                assertThat(kinds.get(id)).as("alerts of %s", id).contains(AlertKind.FIRST_RESPONSE_BREACH, AlertKind.RESOLUTION_BREACH);
                assertThat(firstResponseBreachAt.get(id)).as("first-response breach of %s: 24 hours after opening", id)
                        .isEqualTo(openedAt.get(id).plus(Duration.ofHours(24)));
            }
            try (OutputAccounting accounting = new OutputAccounting(BROKER.bootstrapServers(), 3)) {
                OutputAccounting.Figures f = accounting.awaitBalanced(Duration.ofSeconds(120));
                System.out.println("backlog IT: accounting from outputs: in " + f.in() + ", applied " + f.applied() + ", duplicates "
                        + f.duplicates() + ", dead-lettered " + f.deadLettered());
                assertThat(f.unexplained()).as("records in - (applied + duplicates + dead-lettered), per input partition").isEmpty();
                assertThat(f.totalIn()).isEqualTo(records);
                assertThat(f.deadLettered()).as("dead letters").isEmpty();
                assertThat(f.statuses()).as("a status for every case").hasSize(CASES);
            }
        }
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

    private static ProducerRecord<byte[], byte[]> rec(String topic, String key, byte[] value, Instant at) {
        return ItSupport.record(topic, key, value, at);
    }
}
