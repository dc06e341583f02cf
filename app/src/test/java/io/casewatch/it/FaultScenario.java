package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.app.Ticker;
import io.casewatch.oracle.ModelWorkload;
import io.casewatch.oracle.ReferenceModel;
import io.casewatch.replay.Replay;
import io.casewatch.schema.Alert;
import io.casewatch.topology.DeadLetters;
import io.casewatch.topology.Topics;
import io.casewatch.workload.Workload;

/**
 * What every fault test shares (issue 18): the traffic, its two independent expectations, and one scenario's
 * instances, feed and checks.
 *
 * <p>The traffic is two generated workloads fed together in event-time order: {@link Workload} (presets, business
 * calendars, reopenings, stalls) and {@link ModelWorkload} (only what {@link ReferenceModel} models, under its own
 * policy for its own merchants). After each fault the alerts read back ({@code read_committed}) must be
 * <ul>
 *   <li>exactly those {@code replay --until <cutoff>} computes from the same events (alert id, status, kind, level,
 *       detection instant, case): none missing, none extra, none published twice;</li>
 *   <li>for the model's cases, exactly the OPEN alerts the reference model computes — a bug replay shares with the
 *       live pipeline (the same topology) fails here;</li>
 * </ul>
 * no record may be dead-lettered, and every input record must be accounted for from the outputs
 * ({@link OutputAccounting}).
 */
final class FaultScenario implements AutoCloseable {

    private static final Topics TOPICS = ItSupport.TOPICS;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int PARTITIONS = 3;

    /** The traffic of one test class and what it must produce. */
    record Plan(Instant cutoff, List<Workload.Event> events, Set<String> replayAlerts, Set<String> modelAlerts, Map<String, String> settings) {

        /**
         * @param cases cases of each workload
         * @param settings casewatch settings of the instances and replay, on top of the model's policy file
         */
        static Plan prepare(int cases, Map<String, String> settings) throws Exception {
            Instant cutoff = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Path dir = Files.createTempDirectory("casewatch-fault-plan-");
            Workload rich = Workload.generate(Workload.Shape.of(cases, 12, cutoff.minus(Duration.ofDays(200)), Duration.ofDays(30), 5L));
            List<Workload.Event> model = ModelWorkload.generate(cases, cutoff.minus(Duration.ofDays(200)), Duration.ofDays(30), 18L);
            List<Workload.Event> events = new ArrayList<>(rich.events());
            events.addAll(model);
            events.sort(Comparator.comparingLong(Workload.Event::at));
            Map<String, String> all = new HashMap<>(settings);
            all.put(AppConfig.POLICIES_FILE, ModelWorkload.writePolicies(dir).toString());
            Path in = dir.resolve("events.jsonl");
            try (OutputStream out = Files.newOutputStream(in)) {
                ModelWorkload.writeJsonLines(events, out);
            }
            new Replay(Pipeline.settings(AppConfig.load(null, Map.of(), new HashMap<>(all)))).run(in, dir.resolve("out"), cutoff);
            Set<String> replayed = new TreeSet<>();
            for (String topic : List.of(TOPICS.l1().name(), TOPICS.l2().name(), TOPICS.l3().name())) {
                for (String line : Files.readAllLines(dir.resolve("out").resolve(topic + ".jsonl"))) {
                    JsonNode a = JSON.readTree(line);
                    replayed.add(String.join(" ", a.get("alertId").asText(), a.get("status").asText(), a.get("kind").asText(),
                            a.get("level").asText(), a.get("detectedAt").asText(), a.get("caseId").asText()));
                }
            }
            Set<String> expectedByModel = ModelWorkload.model().expectedAlerts(ModelWorkload.records(model), cutoff);
            assertThat(replayed).as("a workload that raises a good many alerts").hasSizeGreaterThan(500);
            assertThat(expectedByModel).as("the model's cases raise alerts of every modelled kind").hasSizeGreaterThan(100);
            return new Plan(cutoff, List.copyOf(events), replayed, expectedByModel, Map.copyOf(all));
        }
    }

    final String appId;
    final Path dir;
    final String bootstrapServers;
    final Plan plan;
    final Feed feed;
    /**
     * When the instances are gated ({@code casewatch.deadline.gate=proven}, their own tickers off): the deployment's
     * ticker, stamping heartbeats with how far the feed has written, so that they prove caught-up partitions as a
     * real ticker's do for a real clock. Null when the instances follow stream time.
     */
    private final Ticker ticker;
    private final FeedClock fedUpTo;
    final List<AppProcess> apps = new ArrayList<>();
    final Admin admin;
    private final AutoCloseable brokers;
    private final Map<String, String> client;

    /**
     * @param brokers closed with the scenario
     * @param client  Kafka client settings of the instances (session timeout, standbys, ...)
     */
    FaultScenario(String name, Plan plan, String bootstrapServers, AutoCloseable brokers, Map<String, String> client) throws IOException {
        this.appId = "casewatch-fault-" + name;
        this.dir = Files.createTempDirectory("casewatch-fault-" + name + "-");
        this.plan = plan;
        this.bootstrapServers = bootstrapServers;
        this.brokers = brokers;
        this.client = Map.copyOf(client);
        try {
            this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
        } catch (RuntimeException e) {
            closeQuietly(brokers);
            throw e;
        }
        this.fedUpTo = new FeedClock(plan.events().get(0).at() - 1);
        this.feed = new Feed(bootstrapServers, plan.events(), fedUpTo);
        this.ticker = "proven".equals(plan.settings().get(AppConfig.DEADLINE_GATE)) ? new Ticker(ItSupport.producer(bootstrapServers),
                TOPICS.ticks().name(), PARTITIONS, fedUpTo, Duration.ofMillis(100), e -> System.out.println("fault IT: ticker refused: " + e),
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)),
                List.of(TOPICS.complaints().name(), TOPICS.contacts().name(), TOPICS.acks().name())) : null;
    }

    AppProcess app(String name) throws IOException {
        Map<String, String> settings = new HashMap<>(plan.settings());
        settings.putAll(client);
        settings.put("application.id", appId);
        settings.put("state.dir", stateDir(name).toString());
        AppProcess p = AppProcess.start(name, dir, bootstrapServers, freePort(), settings);
        apps.add(p);
        return p;
    }

    Path stateDir(String name) {
        return dir.resolve("state-" + name);
    }

    void awaitReady(AppProcess... ps) {
        ItSupport.await(Duration.ofSeconds(120), () -> "instances not ready: " + List.of(ps), () -> {
            for (AppProcess p : ps) {
                assertThat(p.alive()).as("%s exited:%n%s", p, p.logTail()).isTrue();
            }
            return List.of(ps).stream().allMatch(AppProcess::ready);
        });
    }

    /** The fault must hit a running stream: wait until the application has committed progress on an input. */
    void awaitProcessedSomething() {
        ItSupport.await(Duration.ofSeconds(90), () -> "nothing processed", () -> committed().values().stream().anyMatch(o -> o > 0));
    }

    /** Waits until the group has committed past {@code share} of what has been fed so far on every input partition. */
    void awaitCaughtUp() throws Exception {
        Map<TopicPartition, Long> ends = admin.listOffsets(inputs().stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        ItSupport.await(Duration.ofSeconds(180), () -> "not caught up: committed " + committed() + " of " + ends, () -> {
            Map<TopicPartition, Long> c = committed();
            return ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || c.getOrDefault(e.getKey(), 0L) >= e.getValue());
        });
    }

    /** The members of the application's consumer group, as their client ids. */
    List<String> members() {
        try {
            return admin.describeConsumerGroups(List.of(appId)).all().get().get(appId).members().stream().map(m -> m.clientId()).toList();
        } catch (Exception e) {
            return List.of();
        }
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

    /** The application's changelog topics. */
    List<String> changelogs() throws Exception {
        return admin.listTopics().names().get().stream().filter(t -> t.startsWith(appId) && t.endsWith("-changelog")).sorted().toList();
    }

    long changelogRecords() throws Exception {
        List<TopicPartition> parts = new ArrayList<>();
        for (var d : admin.describeTopics(changelogs()).allTopicNames().get().values()) {
            d.partitions().forEach(p -> parts.add(new TopicPartition(d.name(), p.partition())));
        }
        return admin.listOffsets(parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get()
                .values().stream().mapToLong(o -> o.offset()).sum();
    }

    long stateBytes(String name) throws IOException {
        Path state = stateDir(name);
        if (!Files.exists(state)) {
            return 0;
        }
        try (var files = Files.walk(state)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /**
     * Ends the history with heartbeats at the cutoff on every partition, then compares the alerts with replay's and
     * the model's, and accounts for every record. Heartbeats keep coming, as a ticker's do: the ticks topic is read
     * from its end when a task has no committed position there, so a task that moves between instances after a
     * single heartbeat would never see it.
     */
    void finishAndCompare(String figures) throws Exception {
        fedUpTo.advanceTo(plan.cutoff().toEpochMilli());
        Heartbeats heartbeats = new Heartbeats(bootstrapServers, plan.cutoff());
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
        Set<String> modelSeen = new TreeSet<>();
        try (KafkaConsumer<String, Alert> c = ItSupport.alertConsumer(bootstrapServers, appId + "-reader")) {
            long[] quietSince = {System.nanoTime()};
            java.util.function.Consumer<Alert> take = a -> {
                seen.merge(key(a), 1, Integer::sum);
                if (a.getCaseId().startsWith("mcase-") && a.getStatus() == io.casewatch.schema.AlertStatus.OPEN) {
                    modelSeen.add(ReferenceModel.alert(a.getCaseId(), a.getKind().name(), a.getLevel().name(), a.getDetectedAt()));
                }
            };
            ItSupport.await(Duration.ofSeconds(180), () -> "alerts still arriving", () -> {
                int before = seen.size();
                for (ConsumerRecord<String, Alert> r : c.poll(Duration.ofMillis(200))) {
                    take.accept(r.value());
                }
                if (seen.size() != before) {
                    quietSince[0] = System.nanoTime();
                }
                return seen.keySet().containsAll(plan.replayAlerts()) || System.nanoTime() - quietSince[0] > Duration.ofSeconds(20).toNanos();
            });
            // A little longer: a duplicate or an alert replay does not raise would show up now.
            long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < settle) {
                for (ConsumerRecord<String, Alert> r : c.poll(Duration.ofMillis(200))) {
                    take.accept(r.value());
                }
            }
        }
        List<String> deadLetters = deadLetters();
        deadLetters.stream().limit(20).forEach(d -> System.out.println("fault IT: dead letter " + d));
        Set<String> missing = new TreeSet<>(plan.replayAlerts());
        missing.removeAll(seen.keySet());
        Set<String> extra = new TreeSet<>(seen.keySet());
        extra.removeAll(plan.replayAlerts());
        Map<String, Integer> duplicated = seen.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        Set<String> modelMissing = new TreeSet<>(plan.modelAlerts());
        modelMissing.removeAll(modelSeen);
        Set<String> modelExtra = new TreeSet<>(modelSeen);
        modelExtra.removeAll(plan.modelAlerts());
        System.out.printf("fault IT: %s; events fed %d; alerts expected by replay %d, seen %d, missing %d, extra %d, duplicated %d;"
                + " expected by the reference model %d, missing %d, extra %d%n", figures, plan.events().size(), plan.replayAlerts().size(),
                seen.size(), missing.size(), extra.size(), duplicated.size(), plan.modelAlerts().size(), modelMissing.size(), modelExtra.size());
        missing.stream().limit(20).forEach(k -> System.out.println("fault IT: missing " + k));
        extra.stream().limit(20).forEach(k -> System.out.println("fault IT: extra " + k));
        modelMissing.stream().limit(20).forEach(k -> System.out.println("fault IT: missing (model) " + k));
        modelExtra.stream().limit(20).forEach(k -> System.out.println("fault IT: extra (model) " + k));
        assertThat(missing).as("alerts replay raises and the pipeline did not publish").isEmpty();
        assertThat(extra).as("alerts the pipeline published and replay does not raise").isEmpty();
        assertThat(duplicated).as("alerts published more than once").isEmpty();
        assertThat(modelMissing).as("alerts the reference model expects and the pipeline did not publish").isEmpty();
        assertThat(modelExtra).as("OPEN alerts on the model's cases that the reference model does not expect").isEmpty();
        assertThat(deadLetters).as("dead letters (none for this traffic)").isEmpty();
        assertAccountedFromOutputs(bootstrapServers, plan.events());
    }

    /**
     * Item 2 of issue 18, after the fault: from the committed outputs alone, per input partition, records in =
     * applied + duplicates + dead-lettered, and each case's latest status counts exactly the records produced for
     * it (the traffic has no duplicates and no bad input, so every record is applied once, however often a
     * transaction was retried or a task moved).
     */
    static OutputAccounting.Figures assertAccountedFromOutputs(String bootstrapServers, List<Workload.Event> events) {
        Map<String, Long> perCase = new TreeMap<>();
        for (Workload.Event e : events) {
            perCase.merge(BadInputCorpusIT.caseIdOf(e), 1L, Long::sum);
        }
        try (OutputAccounting accounting = new OutputAccounting(bootstrapServers, PARTITIONS)) {
            OutputAccounting.Figures f = accounting.awaitBalanced(Duration.ofSeconds(90));
            System.out.println("fault IT: accounting from outputs: " + f);
            assertThat(f.unexplained()).as("per input partition, records in - (applied + duplicates + dead-lettered): %s", f).isEmpty();
            assertThat(f.totalIn()).as("records in").isEqualTo(events.size());
            Map<String, Long> applied = new TreeMap<>();
            f.statuses().forEach((id, st) -> applied.put(id, st.getEventsApplied()));
            assertThat(applied).as("events applied per case, by its latest status").isEqualTo(perCase);
            assertThat(f.duplicates().values().stream().mapToLong(Long::longValue).sum()).as("duplicates ignored").isZero();
            return f;
        }
    }

    /** The dead-letter topic's records, as reason, error and source; read after the alerts, so complete. */
    List<String> deadLetters() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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
        if (ticker != null) {
            ticker.close();
        }
        for (AppProcess p : apps) {
            p.close();
        }
        admin.close();
        brokers.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.out.println("fault IT: closing after a failed start: " + e);
        }
    }

    /** Feeds the events in event-time order, paced so that faults land mid-stream. */
    static final class Feed extends Thread {
        private final String bootstrapServers;
        private final List<Workload.Event> events;
        private final AtomicInteger sent = new AtomicInteger();
        private volatile Throwable failure;
        private volatile Duration pause = Duration.ofMillis(100);
        private final FeedClock fedUpTo;

        Feed(String bootstrapServers, List<Workload.Event> events, FeedClock fedUpTo) {
            super("fault-it-feed");
            this.bootstrapServers = bootstrapServers;
            this.events = events;
            this.fedUpTo = fedUpTo;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrapServers)) {
                for (int i = 0; i < events.size(); i++) {
                    Workload.Event e = events.get(i);
                    if (isInterrupted()) {
                        return;
                    }
                    producer.send(ItSupport.record(BadInputCorpusIT.topicOf(e.stream()), BadInputCorpusIT.caseIdOf(e),
                            BadInputCorpusIT.bytesOf(e), Instant.ofEpochMilli(e.at())), (m, ex) -> {
                                if (ex != null) {
                                    failure = ex;
                                }
                            });
                    if (sent.incrementAndGet() % 25 == 0) {
                        producer.flush();
                        // Everything stamped before the next event has been written: a heartbeat may say so.
                        fedUpTo.advanceTo(i + 1 < events.size() ? events.get(i + 1).at() - 1 : e.at());
                        // About 250 events a second: the whole feed spans several seconds, so a fault lands mid-stream.
                        LockSupport.parkNanos(pause.toNanos());
                    }
                }
                producer.flush();
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** The pause after every 25 events (100 ms: about 250 events a second); set before {@link #start()}. */
        void pace(Duration pauseEvery25) {
            pause = pauseEvery25;
        }

        int size() {
            return events.size();
        }

        void awaitSent(int n) {
            ItSupport.await(Duration.ofSeconds(180), () -> "fed " + sent.get() + " of " + n, () -> {
                assertThat(failure).as("the feed failed").isNull();
                return sent.get() >= n;
            });
        }

        void joinFeed() throws InterruptedException {
            join();
            assertThat(failure).as("the feed failed").isNull();
        }
    }

    /**
     * How far the feed has written: just before the first event not yet flushed. The events are fed in time order,
     * so whatever is appended later is not older, which is what a heartbeat stamped with it claims.
     */
    static final class FeedClock extends Clock {
        private final AtomicLong millis;

        FeedClock(long startMillis) {
            this.millis = new AtomicLong(startMillis);
        }

        void advanceTo(long at) {
            millis.accumulateAndGet(at, Math::max);
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * A heartbeat at the cutoff on every partition of the ticks topic, every half second, until interrupted. Without
     * end offsets: it moves the stream time of instances that follow stream time, and proves nothing to gated ones.
     */
    static final class Heartbeats extends Thread {
        private final String bootstrapServers;
        private final Instant at;

        Heartbeats(String bootstrapServers, Instant at) {
            super("fault-it-heartbeats");
            this.bootstrapServers = bootstrapServers;
            this.at = at;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrapServers)) {
                while (!isInterrupted()) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        ProducerRecord<byte[], byte[]> tick = new ProducerRecord<>(TOPICS.ticks().name(), p, at.toEpochMilli(),
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

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String key(Alert a) {
        return String.join(" ", a.getAlertId(), a.getStatus().name(), a.getKind().name(), a.getLevel().name(),
                a.getDetectedAt().toString(), a.getCaseId());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
