package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.broker.LocalKafka;
import io.casewatch.oracle.ModelWorkload;
import io.casewatch.oracle.ReferenceModel;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertStatus;
import io.casewatch.workload.Workload;

/**
 * Issue 18, item 4 (first part): bad input at volume. The reference model's traffic is fed at a steady rate with
 * garbage interleaved so that 30% of all records are bad: random bytes, empty values, truncated Avro and records
 * keyed by another case, on all three input topics. Every bad record must be dead-lettered with its reason (counted
 * here as it was made), the good traffic's alerts must be exactly the reference model's, and every record must be
 * accounted for from the outputs.
 */
class BadInputAtVolumeIT {

    private static final double GARBAGE_SHARE = 0.30;

    @Test
    void thirtyPercentGarbageAtASteadyRateIsDeadLetteredAndTheGoodTrafficAlertsAsTheModelSays() throws Exception {
        Instant cutoff = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Workload.Event> good = ModelWorkload.generate(300, cutoff.minus(Duration.ofDays(200)), Duration.ofDays(30), 44L);
        Set<String> expected = ModelWorkload.model().expectedAlerts(ModelWorkload.records(good), cutoff);
        Path dir = Files.createTempDirectory("casewatch-volume-");
        Map<String, Long> garbageByReason = new TreeMap<>();
        long fed = 0;
        try (LocalKafka kafka = ItSupport.brokerWithTopics(3)) {
            // No ticker (PT0S): the traffic is history, stamped 200 days ago, and a heartbeat at "now" would prove the
            // input partitions past everything still to come, making every later record late (docs/time.md). The
            // history ends with the test's own heartbeats; deadlines follow stream time until then.
            Map<String, String> flags = new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString(), StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-volume-it",
                    AppConfig.STORM_CAP, "1000000", AppConfig.TICK, "PT0S", AppConfig.POLICIES_FILE, ModelWorkload.writePolicies(dir).toString()));
            long started = System.nanoTime();
            try (Pipeline pipeline = Pipeline.start(AppConfig.load(null, Map.of(), flags), Clock.systemUTC());
                 KafkaProducer<byte[], byte[]> producer = ItSupport.producer(kafka)) {
                SplittableRandom r = new SplittableRandom(30L);
                int sent = 0;
                // Every send confirmed: a record the broker refused would show up as an unexplained gap in the accounting.
                AtomicReference<Exception> refused = new AtomicReference<>();
                Callback confirm = (metadata, error) -> {
                    if (error != null) {
                        refused.compareAndSet(null, error);
                    }
                };
                for (Workload.Event e : good) {
                    // Before each good record, garbage with the probability that makes it 30% of all records.
                    while (r.nextDouble() < GARBAGE_SHARE) {
                        garbageByReason.merge(sendGarbage(producer, r, e, confirm), 1L, Long::sum);
                        fed++;
                        sent++;
                    }
                    producer.send(ItSupport.record(BadInputCorpusIT.topicOf(e.stream()), BadInputCorpusIT.caseIdOf(e), BadInputCorpusIT.bytesOf(e),
                            Instant.ofEpochMilli(e.at())), confirm);
                    fed++;
                    if (++sent % 50 == 0) {
                        producer.flush();
                        // About 1,000 records a second, steadily, while the pipeline runs.
                        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                    }
                }
                producer.flush();
                assertThat(refused.get()).as("a record the broker refused").isNull();
                long garbage = garbageByReason.values().stream().mapToLong(Long::longValue).sum();
                try (OutputAccounting accounting = new OutputAccounting(kafka.bootstrapServers(), 3)) {
                    OutputAccounting.Figures f = accounting.awaitBalanced(Duration.ofSeconds(120));
                    ItSupport.heartbeats(kafka, 3, cutoff);
                    Set<String> seen = new TreeSet<>();
                    try (KafkaConsumer<String, Alert> c = ItSupport.alertConsumer(kafka, "volume-alerts")) {
                        ItSupport.awaitUpTo(Duration.ofSeconds(120), () -> {
                            c.poll(Duration.ofMillis(200)).forEach(rec -> {
                                Alert a = rec.value();
                                if (a.getStatus() == AlertStatus.OPEN) {
                                    seen.add(ReferenceModel.alert(a.getCaseId(), a.getKind().name(), a.getLevel().name(), a.getDetectedAt()));
                                }
                            });
                            return seen.containsAll(expected);
                        });
                        long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                        while (System.nanoTime() < settle) {
                            c.poll(Duration.ofMillis(200)).forEach(rec -> seen.add(ReferenceModel.alert(rec.value().getCaseId(),
                                    rec.value().getKind().name(), rec.value().getLevel().name(), rec.value().getDetectedAt())));
                        }
                    }
                    f = accounting.awaitBalanced(Duration.ofSeconds(60));
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    Set<String> missing = new TreeSet<>(expected);
                    missing.removeAll(seen);
                    Set<String> extra = new TreeSet<>(seen);
                    extra.removeAll(expected);
                    System.out.printf("volume IT: fed %,d records, %,d garbage (%.1f%%) %s; dead letters %s; alerts expected by the model %d,"
                            + " missing %d, extra %d; %d ms; accounting %s%n", fed, garbage, 100.0 * garbage / fed, garbageByReason,
                            f.deadLetterReasons(), expected.size(), missing.size(), extra.size(), ms, f);
                    assertThat((double) garbage / fed).as("share of garbage").isBetween(0.27, 0.33);
                    assertThat(f.unexplained()).as("records in - (applied + duplicates + dead-lettered), per input partition").isEmpty();
                    assertThat(f.totalIn()).isEqualTo(fed);
                    assertThat(f.deadLetterReasons()).as("every bad record dead-lettered with its reason, no good one").isEqualTo(garbageByReason);
                    assertThat(missing).as("alerts the model expects and the pipeline did not raise").isEmpty();
                    assertThat(extra).as("alerts the model does not expect").isEmpty();
                    assertThat(pipeline.failure()).as("the pipeline keeps running").isNotDone();
                }
            }
        }
    }

    /** One bad record next to {@code near} (its topic, case and time), and the dead-letter reason it must get. */
    private static String sendGarbage(KafkaProducer<byte[], byte[]> producer, SplittableRandom r, Workload.Event near, Callback confirm) {
        String topic = BadInputCorpusIT.topicOf(List.of("complaint", "contact", "ack").get(r.nextInt(3)));
        String caseId = BadInputCorpusIT.caseIdOf(near);
        byte[] bytes = BadInputCorpusIT.bytesOf(near);
        int kind = r.nextInt(4);
        byte[] value;
        String key = caseId;
        String reason;
        switch (kind) {
            case 0 -> {
                value = new byte[1 + r.nextInt(80)];
                for (int i = 0; i < value.length; i++) {
                    value[i] = (byte) r.nextInt(256);
                }
                // Random bytes that happen to start with Avro's single-object marker would still not match a schema.
                reason = "UNDECODABLE";
            }
            case 1 -> {
                value = null;
                reason = "EMPTY_VALUE";
            }
            case 2 -> {
                value = Arrays.copyOf(bytes, Math.max(11, bytes.length / 2));
                reason = "UNDECODABLE";
            }
            default -> {
                // A good event of its own topic, under another case's key: it sits on the wrong case's partition.
                topic = BadInputCorpusIT.topicOf(near.stream());
                value = bytes;
                key = caseId + "-other";
                reason = "KEY_MISMATCH";
            }
        }
        producer.send(new ProducerRecord<>(topic, null, near.at(), key.getBytes(StandardCharsets.UTF_8), value), confirm);
        return reason;
    }
}
