package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.broker.LocalKafka;
import io.casewatch.replay.Replay;
import io.casewatch.schema.Alert;
import io.casewatch.topology.DeadLetters;
import io.casewatch.topology.Topics;
import io.casewatch.workload.Workload;

/**
 * SPEC section 8 / issue 8: faults on a real broker with the application instances as separate processes. In each
 * scenario a workload is fed while the fault happens, one heartbeat at the cutoff ends it (replay's {@code --until}),
 * and the alerts read back (read_committed) must be exactly those {@code replay} computes from the same events: none
 * missing, none duplicated, none extra, same detection instants. How long recovery took and with how much state is
 * printed (docs/reliability.md keeps the figures).
 */
class FaultToleranceIT {

    private static final Topics TOPICS = ItSupport.TOPICS;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 3;
    /**
     * No heartbeats from the instances: an instance restarted mid-history would stamp "now" on its task and turn the
     * rest of the history into late data. The history ends with its own heartbeat. Storms are folded per task and
     * replay has one: a cap nobody reaches keeps the two comparable. Records of one case on two topics become
     * visible to a task a little apart; what arrives later than the lateness grace (plus max.task.idle.ms) is late
     * data and may change alerts, so a starved test machine (a second build) needs more than the default 500 ms.
     */
    private static final Map<String, String> SETTINGS = Map.of(AppConfig.STORM_CAP, "1000000", AppConfig.TICK, "PT0S",
            AppConfig.GRACE, "PT5S");
    /** A dead member leaves the group after this: the classic protocol cannot know a SIGKILLed member is gone sooner. */
    private static final Map<String, String> CLIENT = Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500");

    private static Instant cutoff;
    private static Workload workload;
    private static Set<String> expected;

    @BeforeAll
    static void replayTheWorkload() throws Exception {
        cutoff = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        workload = Workload.generate(Workload.Shape.of(300, 12, cutoff.minus(Duration.ofDays(200)), Duration.ofDays(30), 5L));
        Path dir = Files.createTempDirectory("casewatch-fault-replay-");
        Path events = dir.resolve("events.jsonl");
        try (OutputStream out = Files.newOutputStream(events)) {
            workload.writeJsonLines(out);
        }
        new Replay(Pipeline.settings(AppConfig.load(null, Map.of(), new HashMap<>(SETTINGS)))).run(events, dir.resolve("out"), cutoff);
        expected = new TreeSet<>();
        for (String topic : List.of(TOPICS.l1().name(), TOPICS.l2().name(), TOPICS.l3().name())) {
            for (String line : Files.readAllLines(dir.resolve("out").resolve(topic + ".jsonl"))) {
                JsonNode a = JSON.readTree(line);
                expected.add(String.join(" ", a.get("alertId").asText(), a.get("status").asText(), a.get("kind").asText(),
                        a.get("level").asText(), a.get("detectedAt").asText(), a.get("caseId").asText()));
            }
        }
        assertThat(expected).as("a workload that raises a good many alerts").hasSizeGreaterThan(500);
    }

    @Test
    void instanceKilledWithSigkillMidStreamAndRestartedLosesAndDuplicatesNothing() throws Exception {
        try (Scenario s = new Scenario("kill9")) {
            AppProcess a = s.app("a");
            AppProcess b = s.app("b");
            s.awaitReady(a, b);
            s.feed.start();
            s.feed.awaitSent(workload.events().size() / 3);
            s.awaitProcessedSomething();
            long stateBytes = s.stateBytes("a");
            long killedAt = System.nanoTime();
            a.kill();
            s.feed.awaitSent(2 * workload.events().size() / 3);
            long restartedAt = System.nanoTime();
            a.restart();
            s.awaitReady(a);
            long readyMs = (System.nanoTime() - restartedAt) / 1_000_000;
            s.feed.joinFeed();
            s.awaitCaughtUp();
            long caughtUpMs = (System.nanoTime() - killedAt) / 1_000_000;
            s.finishAndCompare(String.format("kill -9: killed instance held %,d bytes of state on disk; ready %d ms after its restart;"
                    + " everything fed processed %d ms after the kill; changelogs %,d records", stateBytes, readyMs, caughtUpMs, s.changelogRecords()));
        }
    }

    @Test
    void brokerRestartedMidStreamLosesAndDuplicatesNothing() throws Exception {
        try (Scenario s = new Scenario("broker")) {
            AppProcess a = s.app("a");
            AppProcess b = s.app("b");
            s.awaitReady(a, b);
            s.feed.start();
            s.feed.awaitSent(workload.events().size() / 2);
            s.awaitProcessedSomething();
            long stoppedAt = System.nanoTime();
            s.kafka.restart();
            long backMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            s.feed.joinFeed();
            s.awaitCaughtUp();
            long caughtUpMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            assertThat(a.alive() && b.alive()).as("both instances survive the broker's restart").isTrue();
            s.finishAndCompare(String.format("broker restart: broker back %d ms after the stop; everything fed processed %d ms after the stop;"
                    + " changelogs %,d records", backMs, caughtUpMs, s.changelogRecords()));
        }
    }

    @Test
    void instanceAddedMidStreamLosesAndDuplicatesNothing() throws Exception {
        try (Scenario s = new Scenario("scale")) {
            AppProcess a = s.app("a");
            s.awaitReady(a);
            s.feed.start();
            s.feed.awaitSent(workload.events().size() / 3);
            s.awaitProcessedSomething();
            long addedAt = System.nanoTime();
            AppProcess b = s.app("b");
            s.awaitReady(b);
            long readyMs = (System.nanoTime() - addedAt) / 1_000_000;
            s.feed.joinFeed();
            s.awaitCaughtUp();
            s.finishAndCompare(String.format("scale-out: added instance ready %d ms after its start; changelogs %,d records", readyMs,
                    s.changelogRecords()));
        }
    }

    /** One broker, the instances of one application id, the feed, and the alert reader of one scenario. */
    private static final class Scenario implements AutoCloseable {
        final String appId;
        final Path dir;
        final LocalKafka kafka;
        final Feed feed;
        final List<AppProcess> apps = new ArrayList<>();
        final Admin admin;

        Scenario(String name) throws Exception {
            appId = "casewatch-fault-" + name;
            dir = Files.createTempDirectory("casewatch-fault-" + name + "-");
            kafka = ItSupport.brokerWithTopics(PARTITIONS);
            admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
            feed = new Feed(kafka);
        }

        AppProcess app(String name) throws IOException {
            Map<String, String> settings = new HashMap<>(SETTINGS);
            settings.putAll(CLIENT);
            settings.put("application.id", appId);
            settings.put("state.dir", dir.resolve("state-" + name).toString());
            AppProcess p = AppProcess.start(name, dir, kafka.bootstrapServers(), freePort(), settings);
            apps.add(p);
            return p;
        }

        void awaitReady(AppProcess... ps) {
            await(Duration.ofSeconds(90), () -> {
                for (AppProcess p : ps) {
                    assertThat(p.alive()).as("%s exited:%n%s", p, p.logTail()).isTrue();
                }
                return List.of(ps).stream().allMatch(AppProcess::ready);
            }, () -> "instances not ready: " + List.of(ps));
        }

        /** The fault must hit a running stream: wait until the application has committed progress on an input. */
        void awaitProcessedSomething() {
            await(Duration.ofSeconds(60), () -> committed().values().stream().anyMatch(o -> o > 0), () -> "nothing processed");
        }

        void awaitCaughtUp() throws Exception {
            Map<TopicPartition, Long> ends = admin.listOffsets(inputs().stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            await(Duration.ofSeconds(120), () -> {
                Map<TopicPartition, Long> c = committed();
                return ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || c.getOrDefault(e.getKey(), 0L) >= e.getValue());
            }, () -> "not caught up: committed " + committed() + " of " + ends);
        }

        Map<TopicPartition, Long> committed() {
            try {
                Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, Long> out = new HashMap<>();
                m.forEach((tp, o) -> {
                    if (o != null) {
                        out.put(tp, o.offset());
                    }
                });
                return out;
            } catch (Exception e) {
                return Map.of();
            }
        }

        List<TopicPartition> inputs() {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : List.of(TOPICS.complaints().name(), TOPICS.contacts().name(), TOPICS.acks().name())) {
                for (int p = 0; p < PARTITIONS; p++) {
                    parts.add(new TopicPartition(t, p));
                }
            }
            return parts;
        }

        long changelogRecords() throws Exception {
            List<TopicPartition> parts = new ArrayList<>();
            for (var d : admin.describeTopics(admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(appId) && t.endsWith("-changelog")).toList()).allTopicNames().get().values()) {
                d.partitions().forEach(p -> parts.add(new TopicPartition(d.name(), p.partition())));
            }
            return admin.listOffsets(parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get()
                    .values().stream().mapToLong(o -> o.offset()).sum();
        }

        long stateBytes(String name) throws IOException {
            Path state = dir.resolve("state-" + name);
            if (!Files.exists(state)) {
                return 0;
            }
            try (var files = Files.walk(state)) {
                return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
        }

        /**
         * Ends the history with heartbeats at the cutoff on every partition, then compares the alerts with replay's.
         * Heartbeats keep coming, as a ticker's do: the ticks topic is read from its end when a task has no committed
         * position there, so a task that moves between instances after a single heartbeat would never see it.
         */
        void finishAndCompare(String figures) throws Exception {
            Heartbeats heartbeats = new Heartbeats(kafka);
            heartbeats.start();
            try {
                compare(figures);
            } finally {
                heartbeats.interrupt();
                heartbeats.join();
            }
        }

        private void compare(String figures) throws Exception {
            Map<String, Integer> seen = new TreeMap<>();
            try (KafkaConsumer<String, Alert> c = ItSupport.alertConsumer(kafka, appId + "-reader")) {
                long[] quietSince = {System.nanoTime()};
                await(Duration.ofSeconds(120), () -> {
                    int before = seen.size();
                    for (ConsumerRecord<String, Alert> r : c.poll(Duration.ofMillis(200))) {
                        seen.merge(key(r.value()), 1, Integer::sum);
                    }
                    if (seen.size() != before) {
                        quietSince[0] = System.nanoTime();
                    }
                    return seen.keySet().containsAll(expected) || System.nanoTime() - quietSince[0] > Duration.ofSeconds(15).toNanos();
                }, () -> "alerts still arriving");
                // A little longer: a duplicate or an alert replay does not raise would show up now.
                long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < settle) {
                    for (ConsumerRecord<String, Alert> r : c.poll(Duration.ofMillis(200))) {
                        seen.merge(key(r.value()), 1, Integer::sum);
                    }
                }
            }
            List<String> deadLetters = deadLetters();
            deadLetters.stream().limit(20).forEach(d -> System.out.println("fault IT: dead letter " + d));
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(seen.keySet());
            Set<String> extra = new TreeSet<>(seen.keySet());
            extra.removeAll(expected);
            Map<String, Integer> duplicated = seen.entrySet().stream().filter(e -> e.getValue() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            System.out.printf("fault IT: %s; events fed %d; alerts expected %d, seen %d, missing %d, extra %d, duplicated %d%n", figures,
                    workload.events().size(), expected.size(), seen.size(), missing.size(), extra.size(), duplicated.size());
            missing.stream().limit(20).forEach(k -> System.out.println("fault IT: missing " + k));
            extra.stream().limit(20).forEach(k -> System.out.println("fault IT: extra " + k));
            assertThat(missing).as("alerts replay raises and the pipeline did not publish").isEmpty();
            assertThat(extra).as("alerts the pipeline published and replay does not raise").isEmpty();
            assertThat(duplicated).as("alerts published more than once").isEmpty();
            assertThat(deadLetters).as("dead letters (replay has none for this traffic)").isEmpty();
            assertAccountedFromOutputs(kafka.bootstrapServers(), PARTITIONS, workload);
        }

        /** The dead-letter topic's records, as reason, error and source; read after the alerts, so complete. */
        List<String> deadLetters() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            List<String> out = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> parts = c.partitionsFor(TOPICS.deadLetters().name()).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                c.assign(parts);
                c.seekToBeginning(parts);
                Map<TopicPartition, Long> ends = c.endOffsets(parts);
                while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        out.add(header(r, DeadLetters.REASON) + " " + header(r, DeadLetters.ERROR) + " from " + header(r, DeadLetters.TOPIC)
                                + "-" + header(r, DeadLetters.PARTITION) + "@" + header(r, DeadLetters.OFFSET));
                    }
                }
            }
            return out;
        }

        @Override
        public void close() throws Exception {
            feed.interrupt();
            feed.join();
            for (AppProcess p : apps) {
                p.close();
            }
            admin.close();
            kafka.close();
        }
    }

    /** Feeds the workload in event-time order, paced so that faults land mid-stream. */
    private static final class Feed extends Thread {
        private final LocalKafka kafka;
        private final AtomicInteger sent = new AtomicInteger();
        private volatile Throwable failure;

        Feed(LocalKafka kafka) {
            super("fault-it-feed");
            this.kafka = kafka;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(kafka)) {
                for (Workload.Event e : workload.events()) {
                    if (isInterrupted()) {
                        return;
                    }
                    producer.send(ItSupport.record(BadInputCorpusIT.topicOf(e.stream()), BadInputCorpusIT.caseIdOf(e),
                            BadInputCorpusIT.bytesOf(e), Instant.ofEpochMilli(e.at())));
                    if (sent.incrementAndGet() % 25 == 0) {
                        producer.flush();
                        // About 250 events a second: the whole feed spans several seconds, so a fault lands mid-stream.
                        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                    }
                }
                producer.flush();
            } catch (Throwable t) {
                failure = t;
            }
        }

        void awaitSent(int n) {
            await(Duration.ofSeconds(120), () -> {
                assertThat(failure).as("the feed failed").isNull();
                return sent.get() >= n;
            }, () -> "fed " + sent.get() + " of " + n);
        }

        void joinFeed() throws InterruptedException {
            join();
            assertThat(failure).as("the feed failed").isNull();
        }
    }

    /** A heartbeat at the cutoff on every partition of the ticks topic, every half second, until interrupted. */
    private static final class Heartbeats extends Thread {
        private final LocalKafka kafka;

        Heartbeats(LocalKafka kafka) {
            super("fault-it-heartbeats");
            this.kafka = kafka;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(kafka)) {
                while (!isInterrupted()) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        ProducerRecord<byte[], byte[]> tick = new ProducerRecord<>(TOPICS.ticks().name(), p, cutoff.toEpochMilli(),
                                "tick".getBytes(StandardCharsets.UTF_8), new byte[0]);
                        tick.headers().add("casewatch.tick", new byte[] {1});
                        producer.send(tick);
                    }
                    producer.flush();
                    LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // Stopped while sending: the scenario is over.
            }
        }
    }

    /**
     * Item 2 of issue 18, after the fault: from the committed outputs alone, per input partition, records in =
     * applied + duplicates + dead-lettered, and each case's latest status counts exactly the records produced for
     * it (the workload has no duplicates and no bad input, so every record is applied once, however often a
     * transaction was retried or a task moved).
     */
    static OutputAccounting.Figures assertAccountedFromOutputs(String bootstrapServers, int partitions, Workload workload) {
        Map<String, Long> perCase = new TreeMap<>();
        for (Workload.Event e : workload.events()) {
            perCase.merge(BadInputCorpusIT.caseIdOf(e), 1L, Long::sum);
        }
        try (OutputAccounting accounting = new OutputAccounting(bootstrapServers, partitions)) {
            OutputAccounting.Figures f = accounting.awaitBalanced(Duration.ofSeconds(60));
            System.out.println("fault IT: accounting from outputs: " + f);
            assertThat(f.unexplained()).as("per input partition, records in - (applied + duplicates + dead-lettered): %s", f).isEmpty();
            assertThat(f.totalIn()).as("records in").isEqualTo(workload.events().size());
            Map<String, Long> applied = new TreeMap<>();
            f.statuses().forEach((id, st) -> applied.put(id, st.getEventsApplied()));
            assertThat(applied).as("events applied per case, by its latest status").isEqualTo(perCase);
            assertThat(f.duplicates().values().stream().mapToLong(Long::longValue).sum()).as("duplicates ignored").isZero();
            return f;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String key(Alert a) {
        return String.join(" ", a.getAlertId(), a.getStatus().name(), a.getKind().name(), a.getLevel().name(),
                a.getDetectedAt().toString(), a.getCaseId());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void await(Duration max, BooleanSupplier condition, java.util.function.Supplier<String> what) {
        ItSupport.await(max, what, condition);
    }
}
