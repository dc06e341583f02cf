package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.replay.Replay;
import io.casewatch.schema.Alert;
import io.casewatch.testing.BadInputCorpus;
import io.casewatch.topology.DeadLetters;
import io.casewatch.topology.IntakeCounters;
import io.casewatch.topology.Topics;
import io.casewatch.workload.Workload;

/**
 * SPEC section 8 on a real broker: the checked-in bad-input corpus, fed between generated good traffic, is every
 * record accounted for (processed + dead-lettered = fed, per input partition, and each bad record dead-lettered with
 * its manifest's reason), and the good traffic's alerts are exactly those {@code replay} computes from the good
 * traffic alone. The figures go to docs/reliability.md.
 */
class BadInputCorpusIT {

    private static final Topics TOPICS = ItSupport.TOPICS;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Storms are folded per task, replay has one task: a cap nobody reaches keeps the two comparable. No ticker: the
     * corpus is history, and a heartbeat at "now" would make every record produced after it late (docs/time.md).
     */
    private static final Map<String, String> SETTINGS = Map.of(AppConfig.STORM_CAP, "1000000", AppConfig.TICK, "PT0S");
    @RegisterExtension
    static final RealBroker BROKER = RealBroker.withTopics(3);



    @Test
    void corpusBetweenGoodTrafficIsAccountedForAndGoodAlertsMatchReplay() throws Exception {
        Path dir = Files.createTempDirectory("casewatch-corpus-it-");
        Instant cutoff = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Workload good = Workload.generate(Workload.Shape.of(300, 12, cutoff.minus(Duration.ofDays(200)), Duration.ofDays(30), 81L));
        assertThat(good.events().get(good.events().size() - 1).at()).as("all good traffic before the cutoff").isLessThan(cutoff.toEpochMilli());
        Path jsonl = dir.resolve("good.jsonl");
        try (OutputStream out = Files.newOutputStream(jsonl)) {
            good.writeJsonLines(out);
        }

        // Replay of the good traffic alone: the alerts the live pipeline must publish for it.
        Map<String, String> replayFlags = new HashMap<>(SETTINGS);
        Replay.Summary replayed = new Replay(Pipeline.settings(AppConfig.load(null, Map.of(), replayFlags)))
                .run(jsonl, dir.resolve("replay"), cutoff);
        Set<String> expectedAlerts = new TreeSet<>();
        Map<String, String> expectedKinds = new HashMap<>();
        Map<String, String> seenKinds = new HashMap<>();
        for (String level : List.of(TOPICS.l1().name(), TOPICS.l2().name(), TOPICS.l3().name())) {
            for (String line : Files.readAllLines(dir.resolve("replay").resolve(level + ".jsonl"))) {
                JsonNode a = JSON.readTree(line);
                if (!Instant.parse(a.get("detectedAt").asText()).isAfter(cutoff)) {
                    expectedAlerts.add(a.get("alertId").asText() + "/" + a.get("status").asText());
                    expectedKinds.put(a.get("alertId").asText() + "/" + a.get("status").asText(),
                            a.get("caseId").asText() + " " + a.get("kind").asText() + " " + a.get("level").asText() + " " + a.get("detectedAt").asText());
                }
            }
        }
        long replayDeadLetters = Files.readAllLines(dir.resolve("replay").resolve(TOPICS.deadLetters().name() + ".jsonl")).size();

        // Feed: good traffic in time order, a corpus record after every 40 good ones.
        List<BadInputCorpus.Entry> corpus = BadInputCorpus.load();
        Map<String, Long> fed = new TreeMap<>();
        Map<String, String> expectedFate = new HashMap<>();
        int c = 0;
        long goodFed = 0;
        try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(BROKER.kafka())) {
            List<Workload.Event> events = good.events();
            for (int i = 0; i < events.size(); i++) {
                Workload.Event e = events.get(i);
                send(producer, fed, null, ItSupport.record(topicOf(e.stream()), caseIdOf(e), bytesOf(e), Instant.ofEpochMilli(e.at())));
                goodFed++;
                if (i % 40 == 39 && c < corpus.size()) {
                    BadInputCorpus.Entry b = corpus.get(c++);
                    send(producer, fed, expectedFate, corpusRecord(b), b.expected());
                }
            }
            while (c < corpus.size()) {
                BadInputCorpus.Entry b = corpus.get(c++);
                send(producer, fed, expectedFate, corpusRecord(b), b.expected());
            }
            producer.flush();
        }
        long totalFed = fed.values().stream().mapToLong(Long::longValue).sum();
        long corpusDead = corpus.stream().filter(b -> !b.expected().equals(BadInputCorpus.PROCESSED)).count();

        Map<String, String> flags = new HashMap<>(SETTINGS);
        flags.putAll(Map.of("bootstrap.servers", BROKER.bootstrapServers(), StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString(),
                StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-corpus-it"));
        Set<String> seenAlerts = new TreeSet<>();
        List<String> duplicates = new ArrayList<>();
        Map<String, String> deadLettered = new HashMap<>();
        long started = System.nanoTime();
        try (Pipeline pipeline = Pipeline.start(AppConfig.load(null, Map.of(), flags), Clock.systemUTC());
             KafkaConsumer<String, Alert> alerts = ItSupport.alertConsumer(BROKER.kafka(), "corpus-alerts");
             KafkaConsumer<byte[], byte[]> dlq = dlqConsumer()) {
            IntakeCounters counters = pipeline.runtime().counters();
            BooleanSupplier done = () -> {
                alerts.poll(Duration.ofMillis(100)).forEach(r -> {
                    Alert a = r.value();
                    if (!BadInputCorpus.isCorpusCase(a.getCaseId()) && !a.getDetectedAt().isAfter(cutoff)
                            && !seenAlerts.add(a.getAlertId() + "/" + a.getStatus())) {
                        duplicates.add(a.getAlertId() + "/" + a.getStatus());
                    }
                    seenKinds.put(a.getAlertId() + "/" + a.getStatus(), a.getCaseId() + " " + a.getKind() + " " + a.getLevel() + " " + a.getDetectedAt());
                });
                for (ConsumerRecord<byte[], byte[]> r : dlq.poll(Duration.ofMillis(100))) {
                    deadLettered.put(header(r, DeadLetters.TOPIC) + "-" + header(r, DeadLetters.PARTITION) + "@" + header(r, DeadLetters.OFFSET),
                            header(r, DeadLetters.REASON));
                }
                return accounted(counters) == totalFed && deadLettered.size() == corpusDead + replayDeadLetters
                        && seenAlerts.containsAll(expectedAlerts);
            };
            // The backlog first, then one heartbeat at the cutoff on every partition: replay's --until.
            await(Duration.ofSeconds(60), () -> done.getAsBoolean() || accounted(counters) == totalFed);
            ItSupport.heartbeats(BROKER.kafka(), 3, cutoff);
            // Until every expected alert is there, or nothing new has come for 10 s (the assertions below say what is missing).
            long[] quietSince = {System.nanoTime()};
            int[] lastSize = {-1};
            await(Duration.ofSeconds(90), () -> {
                boolean all = done.getAsBoolean();
                if (seenAlerts.size() != lastSize[0]) {
                    lastSize[0] = seenAlerts.size();
                    quietSince[0] = System.nanoTime();
                }
                return all || System.nanoTime() - quietSince[0] > Duration.ofSeconds(10).toNanos();
            });
            long caughtUpMs = (System.nanoTime() - started) / 1_000_000;
            // A little longer: a duplicate or an alert replay does not have would show up now.
            long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < settle) {
                done.getAsBoolean();
            }

            Map<String, Long> byReason = new TreeMap<>();
            deadLettered.values().forEach(r -> byReason.merge(r, 1L, Long::sum));
            System.out.printf("corpus IT: dead-lettered %d %s, expected %d corpus + %d as replay%n", deadLettered.size(), byReason,
                    corpusDead, replayDeadLetters);
            for (Map.Entry<String, String> e : expectedFate.entrySet()) {
                if (!e.getValue().equals(BadInputCorpus.PROCESSED)) {
                    assertThat(deadLettered.get(e.getKey())).as("dead-letter reason of corpus record %s", e.getKey()).isEqualTo(e.getValue());
                } else {
                    assertThat(deadLettered).as("corpus record %s must be processed", e.getKey()).doesNotContainKey(e.getKey());
                }
            }
            Map<String, Long> accountedPerPartition = new TreeMap<>();
            counters.partitions().forEach((p, n) -> accountedPerPartition.put(p.topic() + "-" + p.partition(), n.processed() + n.deadLettered()));
            assertThat(accountedPerPartition).as("processed + dead-lettered = fed, per input partition").isEqualTo(fed);
            assertThat(duplicates).as("no alert published twice").isEmpty();
            // The same from the committed outputs alone (issue 18): the cases' statuses and the dead letters.
            try (OutputAccounting accounting = new OutputAccounting(BROKER.bootstrapServers(), 3)) {
                OutputAccounting.Figures f = accounting.awaitBalanced(Duration.ofSeconds(60));
                System.out.println("corpus IT: accounting from outputs: " + f);
                assertThat(f.unexplained()).as("records in - (applied + duplicates + dead-lettered), per input partition: %s", f).isEmpty();
                assertThat(f.totalIn()).as("records in").isEqualTo(totalFed);
                assertThat(f.deadLettered().values().stream().mapToLong(Long::longValue).sum()).as("dead letters from the inputs")
                        .isEqualTo(corpusDead + replayDeadLetters);
            }
            assertThat(deadLettered).as("dead letters: the corpus' and those replay has for the good traffic").hasSize((int) (corpusDead + replayDeadLetters));
            Set<String> missing = new TreeSet<>(expectedAlerts);
            missing.removeAll(seenAlerts);
            Set<String> extra = new TreeSet<>(seenAlerts);
            extra.removeAll(expectedAlerts);
            System.out.printf("corpus IT: alerts expected %d, seen %d, missing %s, extra %s%n", expectedAlerts.size(), seenAlerts.size(),
                    describe(missing, expectedKinds), describe(extra, seenKinds));
            assertThat(extra).as("no alert replay does not raise").isEmpty();
            assertThat(missing).as("alerts replay raises and the pipeline does not").isEmpty();

            System.out.printf("corpus IT: fed %d records (%d good events, %d corpus records), processed %d, dead-lettered %d %s;"
                    + " replay dead-lettered %d of the good traffic; alerts expected %d, seen %d; all accounted for %d ms after start (%d replay lines)%n",
                    totalFed, goodFed, corpus.size(), totalFed - deadLettered.size(), deadLettered.size(), byReason, replayDeadLetters,
                    expectedAlerts.size(), seenAlerts.size(), caughtUpMs, replayed.lines());
        }
    }

    private static String describe(Set<String> ids, Map<String, String> kinds) {
        return ids.size() + " " + ids.stream().limit(10).map(id -> id + " " + kinds.get(id)).toList();
    }

    private static long accounted(IntakeCounters counters) {
        return counters.partitions().values().stream().mapToLong(n -> n.processed() + n.deadLettered()).sum();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Map<String, Long> fed, Map<String, String> fates,
            ProducerRecord<byte[], byte[]> r, String... fate) throws Exception {
        RecordMetadata m = producer.send(r).get();
        fed.merge(m.topic() + "-" + m.partition(), 1L, Long::sum);
        if (fates != null && fate.length > 0) {
            fates.put(m.topic() + "-" + m.partition() + "@" + m.offset(), fate[0]);
        }
    }

    private static ProducerRecord<byte[], byte[]> corpusRecord(BadInputCorpus.Entry b) {
        return new ProducerRecord<>(topicOf(b.stream()), null, b.timestamp(),
                b.key() == null ? null : b.key().getBytes(StandardCharsets.UTF_8), b.value());
    }

    static String topicOf(String stream) {
        return switch (stream) {
            case "complaint" -> TOPICS.complaints().name();
            case "contact" -> TOPICS.contacts().name();
            case "ack" -> TOPICS.acks().name();
            default -> throw new IllegalArgumentException(stream);
        };
    }

    static String caseIdOf(Workload.Event e) {
        return ((org.apache.avro.generic.GenericRecord) e.event()).get("caseId").toString();
    }

    static byte[] bytesOf(Workload.Event e) {
        return switch (e.stream()) {
            case "complaint" -> io.casewatch.schema.serde.RecordSerdes.COMPLAINT_EVENT.toBytes((io.casewatch.schema.ComplaintEvent) e.event());
            case "contact" -> io.casewatch.schema.serde.RecordSerdes.CONTACT_EVENT.toBytes((io.casewatch.schema.ContactEvent) e.event());
            case "ack" -> io.casewatch.schema.serde.RecordSerdes.ESCALATION_ACK.toBytes((io.casewatch.schema.EscalationAck) e.event());
            default -> throw new IllegalArgumentException(e.stream());
        };
    }

    private static KafkaConsumer<byte[], byte[]> dlqConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "corpus-dlq");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(TOPICS.deadLetters().name()));
        return c;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void await(Duration max, BooleanSupplier condition) {
        ItSupport.awaitUpTo(max, condition); // the assertions that follow say what is missing
    }
}
