package io.casewatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.time.Instant;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import io.casewatch.app.AppConfig;
import io.casewatch.app.LocalBrokerProcess;
import io.casewatch.app.Pipeline;
import io.casewatch.app.TopicProvisioner;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.topology.Topics;
import io.casewatch.workload.Workload;

/**
 * End-to-end throughput on a real broker (its own JVM, 127.0.0.1), same topics, same machine: a Kafka Streams
 * passthrough (exactly-once v2, the ceiling) and the full casewatch pipeline (exactly-once v2), interleaved, each
 * over the whole backlog of a generated workload; then state bytes per case and the time to restore that state
 * into an empty state folder.
 *
 * <pre>java ... io.casewatch.bench.EndToEnd [cases=100000] [partitions=3] [runs=2]</pre>
 */
public final class EndToEnd {

    private EndToEnd() {
    }

    /** Set to the peer-flink module's classpath to run the Flink peer side by side (built with {@code -Pflink}). */
    public static final String FLINK_CLASSPATH_PROPERTY = "casewatch.flink.classpath";
    private static Path DEFAULT_ONLY;
    /** Stream threads of both the passthrough and casewatch (-Dbench.threads); 2, as deploy/ runs casewatch. */
    private static final int THREADS = Integer.getInteger("bench.threads", 2);

    public static void main(String[] args) throws Exception {
        int cases = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path work = Files.createTempDirectory("casewatch-e2e-");
        DEFAULT_ONLY = work.resolve("default-only.json");
        Files.writeString(DEFAULT_ONLY, "{\"replacePresets\": true, \"policies\": []}");
        String flinkClasspath = System.getProperty(FLINK_CLASSPATH_PROPERTY);
        Topics topics = Topics.defaults();
        try (LocalBrokerProcess broker = LocalBrokerProcess.start();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            String bootstrap = broker.bootstrapServers();
            TopicProvisioner.ensure(admin, topics, partitions, (short) 1, "-1");
            admin.createTopics(List.of(new NewTopic("passthrough.out", partitions, (short) 1)
                    .configs(Map.of("retention.ms", "-1")))).all().get();
            Workload w = Workload.generate(new Workload.Shape(cases, 200, java.time.Instant.parse("2026-01-05T00:00:00Z"),
                    Duration.ofDays(90), 7, 0.0, 1.0));
            long events = w.events().size();
            double produceRate = produce(bootstrap, topics, w);
            System.out.printf("workload: %d cases, %d events, produced at %.0f events/s (acks=all)%n", cases, events, produceRate);
            List<TopicPartition> inputs = new ArrayList<>();
            for (String t : List.of(topics.complaints().name(), topics.contacts().name())) {
                for (int p = 0; p < partitions; p++) {
                    inputs.add(new TopicPartition(t, p));
                }
            }
            // Two days before the last event: every task's stream time is past it, so casewatch has fired what is due.
            Instant cutoff = Instant.ofEpochMilli(w.events().get(w.events().size() - 1).at()).minus(Duration.ofDays(2));
            List<Double> pass = new ArrayList<>();
            List<Double> cw = new ArrayList<>();
            List<Double> flink = new ArrayList<>();
            Map<String, String> last = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                // -Dbench.passthrough=false: casewatch alone, for profiling it without the ceiling's runs in between.
                pass.add(Boolean.parseBoolean(System.getProperty("bench.passthrough", "true"))
                        ? events / passthrough(bootstrap, topics, "bench-pass-" + run, work, admin, inputs) : Double.NaN);
                Path state = work.resolve("cw-" + run);
                String app = "bench-cw-" + run;
                Map<TopicPartition, Long> alertsFrom = ends(admin, alertPartitions(topics, partitions));
                Map<String, Long> writtenBefore = recordsByTopic(admin);
                long[] cpu0 = cpu(broker, app);
                Pipeline p = Pipeline.start(config(bootstrap, app, state), Clock.systemUTC(), 0);
                long t0 = System.nanoTime();
                awaitCaughtUp(admin, app, inputs);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long[] cpu1 = cpu(broker, app);
                cw.add(events / seconds);
                // CPU per event is far less noisy than events/s on a shared 2-core machine: compare changes by it.
                System.out.printf("run %d: casewatch CPU per event: %.0f us its JVM (%.0f us the stream thread), %.0f us the broker%n", run,
                        (cpu1[0] - cpu0[0]) / 1e3 / events, (cpu1[1] - cpu0[1]) / 1e3 / events, (cpu1[2] - cpu0[2]) / 1e3 / events);
                last.put("records written per input event, by topic", written(writtenBefore, recordsByTopic(admin), events));
                long[] breaches = breaches(bootstrap, alertsFrom, ends(admin, alertPartitions(topics, partitions)), cutoff);
                last.put("casewatch breaches with a deadline by " + cutoff + " (first response, resolution)",
                        breaches[0] + ", " + breaches[1] + " = " + (breaches[0] + breaches[1]));
                if (flinkClasspath != null) {
                    String[] peer = flinkPeer(flinkClasspath, bootstrap, cutoff, work.resolve("flink-" + run), run);
                    flink.add(Double.parseDouble(peer[0]));
                    String mine = breaches[0] + ", " + breaches[1] + " = " + (breaches[0] + breaches[1]);
                    last.put("Flink peer breaches with a deadline by " + cutoff + " (first response, resolution)", peer[1]);
                    last.put("same breach counts", mine.equals(peer[1]) ? "yes" : "NO");
                }
                long entries = 0;
                try (var it = p.streams().store(StoreQueryParameters.fromNameAndType(io.casewatch.topology.Names.CASE_STORE,
                        QueryableStoreTypes.<String, Object>keyValueStore())).all()) {
                    while (it.hasNext()) {
                        it.next();
                        entries++;
                    }
                }
                // Leave the group, so the restore instance below does not wait out this member's session.
                p.streams().close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                        org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
                p.close();
                long bytes = size(state);
                last.put("cases in state", Long.toString(entries));
                last.put("state bytes", Long.toString(bytes));
                last.put("state bytes per case", entries == 0 ? "-" : Long.toString(bytes / entries));
                if (run == runs) {
                    last.put("restore into an empty state folder", restore(config(bootstrap, app, work.resolve("restore"))));
                }
                System.out.printf("run %d: passthrough %.0f events/s, casewatch %.0f events/s%s%n", run, pass.get(run - 1), cw.get(run - 1),
                        flink.isEmpty() ? "" : String.format(", Flink peer %.0f events/s", flink.get(run - 1)));
            }
            double pm = median(pass);
            double cm = median(cw);
            System.out.printf("%n| system | events/s (median of %d) |%n|---|---|%n| passthrough (EOS v2) | %.0f |%n| casewatch (EOS v2) | %.0f |%n"
                    + "| ratio | %.2f |%n", runs, pm, cm, cm / pm);
            if (!flink.isEmpty()) {
                double fm = median(flink);
                System.out.printf("| Flink peer (EOS, RocksDB) | %.0f |%n| casewatch / Flink peer | %.2f |%n", fm, cm / fm);
            }
            last.forEach((k, v) -> System.out.printf("%s: %s%n", k, v));
        } finally {
            deleteQuietly(work);
        }
    }

    private static AppConfig config(String bootstrap, String app, Path state) {
        Map<String, String> flags = new HashMap<>();
        flags.put("bootstrap.servers", bootstrap);
        flags.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        flags.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        flags.put(AppConfig.HTTP_PORT, "0");
        flags.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(THREADS));
        // Heartbeats as `run` writes them: "now" in the middle of a history passes no deadline, since no heartbeat
        // proves a partition caught up while its backlog is read (docs/time.md). DEFAULT only and no storm folding,
        // so the breaches can be counted against the Flink peer's (which knows only DEFAULT).
        flags.put(AppConfig.POLICIES_FILE, DEFAULT_ONLY.toString());
        flags.put(AppConfig.STORM_CAP, "1000000");
        // -Dbench.set.<key>=<value>: any casewatch or Kafka setting for the casewatch runs (e.g. commit.interval.ms).
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.set."))
                .forEach(k -> flags.put(k.substring("bench.set.".length()), System.getProperty(k)));
        return AppConfig.load(null, Map.of(), flags);
    }

    private static double produce(String bootstrap, Topics topics, Workload w) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 131_072);
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Workload.Event e : w.events()) {
                byte[] value;
                String topic;
                if (e.event() instanceof ComplaintEvent c) {
                    value = io.casewatch.schema.serde.RecordSerdes.COMPLAINT_EVENT.toBytes(c);
                    topic = topics.complaints().name();
                } else {
                    value = io.casewatch.schema.serde.RecordSerdes.CONTACT_EVENT.toBytes((ContactEvent) e.event());
                    topic = topics.contacts().name();
                }
                String caseId = e.event() instanceof ComplaintEvent c ? c.getCaseId() : ((ContactEvent) e.event()).getCaseId();
                producer.send(new ProducerRecord<>(topic, null, e.at(), caseId.getBytes(java.nio.charset.StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
        return w.events().size() / ((System.nanoTime() - t0) / 1e9);
    }

    private static List<TopicPartition> alertPartitions(Topics topics, int partitions) {
        List<TopicPartition> out = new ArrayList<>();
        for (String t : List.of(topics.l1().name(), topics.l2().name(), topics.l3().name())) {
            for (int p = 0; p < partitions; p++) {
                out.add(new TopicPartition(t, p));
            }
        }
        return out;
    }

    /** CPU nanos so far: this JVM, its stream threads of {@code app}, the broker's process. */
    private static long[] cpu(LocalBrokerProcess broker, String app) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long streams = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(app + "-") && t.getThreadName().contains("-StreamThread-")
                    && !t.getThreadName().endsWith("-producer")) {
                streams += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return new long[] {ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos(), streams,
                broker.handle().info().totalCpuDuration().orElseThrow().toNanos()};
    }

    /** Offsets written so far, summed per topic (transaction markers included, as the broker stores them). */
    private static Map<String, Long> recordsByTopic(Admin admin) throws Exception {
        List<TopicPartition> parts = new ArrayList<>();
        admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get()
                .forEach((name, d) -> d.partitions().forEach(p -> parts.add(new TopicPartition(name, p.partition()))));
        Map<String, Long> out = new java.util.TreeMap<>();
        ends(admin, parts).forEach((tp, o) -> out.merge(tp.topic(), o, Long::sum));
        return out;
    }

    private static String written(Map<String, Long> before, Map<String, Long> after, long events) {
        StringBuilder b = new StringBuilder();
        long total = 0;
        for (var e : after.entrySet()) {
            long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (n > 0) {
                total += n;
                b.append(String.format("%n    %-70s %9d  %.2f", e.getKey(), n, (double) n / events));
            }
        }
        return String.format("%d in all, %.2f per event", total, (double) total / events) + b;
    }

    private static Map<TopicPartition, Long> ends(Admin admin, List<TopicPartition> parts) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(parts.stream().collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get()
                .forEach((tp, o) -> out.put(tp, o.offset()));
        return out;
    }

    /**
     * The first-response and resolution breaches one casewatch run published (between two sets of offsets), first
     * episode only, raised before any reopening, deadline at or before the cutoff: what the Flink peer computes (its
     * clocks end for good at the first resolution; casewatch resumes the resolution clock of a reopened case).
     */
    private static long[] breaches(String bootstrap, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to, Instant cutoff) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long[] n = new long[2];
        try (KafkaConsumer<String, Alert> c = new KafkaConsumer<>(p, new StringDeserializer(), io.casewatch.schema.serde.RecordSerdes.ALERT.deserializer())) {
            c.assign(from.keySet());
            from.forEach(c::seek);
            while (from.keySet().stream().anyMatch(tp -> c.position(tp) < to.get(tp))) {
                for (ConsumerRecord<String, Alert> r : c.poll(Duration.ofMillis(200))) {
                    Alert a = r.value();
                    if (r.offset() >= to.get(new TopicPartition(r.topic(), r.partition())) || a.getStatus() != AlertStatus.OPEN
                            || a.getEpisode() != 1 || (a.getEvidence().getReopens() != null && a.getEvidence().getReopens() > 0)
                            || a.getDeadline() == null || a.getDeadline().isAfter(cutoff)) {
                        continue;
                    }
                    if (a.getKind() == AlertKind.FIRST_RESPONSE_BREACH) {
                        n[0]++;
                    } else if (a.getKind() == AlertKind.RESOLUTION_BREACH) {
                        n[1]++;
                    }
                }
            }
        }
        return n;
    }

    /**
     * Runs the Flink peer (its own JVM and classpath) bounded over the same input topics; returns its events/s (Flink's
     * net job time) and its alert counts as it prints them.
     */
    private static String[] flinkPeer(String classpath, String bootstrap, Instant cutoff, Path runDir, int run) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(javaBin, "-Xmx3g", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.casewatch", "-cp", classpath,
                "io.casewatch.peer.FlinkPeerJob", "--bootstrap-servers", bootstrap, "--cutoff", cutoff.toString(),
                "--run-dir", runDir.toString(), "--group-id", "bench-flink-" + run, "--alerts-topic", "peer.flink.alerts." + run,
                "--merchant-days-topic", "peer.flink.merchant-days." + run, "--state", "rocksdb", "--parallelism", "2");
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String rate = null;
        String alerts = null;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(proc.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            java.util.regex.Pattern eps = java.util.regex.Pattern.compile("flink-peer: .* ([0-9,]+) events/s");
            java.util.regex.Pattern al = java.util.regex.Pattern.compile("flink-peer: [0-9]+ alerts \\(([0-9]+) FIRST_RESPONSE_BREACH, ([0-9]+) RESOLUTION_BREACH\\)");
            while ((line = out.readLine()) != null) {
                var m = eps.matcher(line);
                if (m.find()) {
                    rate = m.group(1).replace(",", "");
                    System.out.println(line);
                }
                var a = al.matcher(line);
                if (a.find()) {
                    long f = Long.parseLong(a.group(1));
                    long r = Long.parseLong(a.group(2));
                    alerts = f + ", " + r + " = " + (f + r);
                    System.out.println(line);
                }
            }
        }
        if (proc.waitFor() != 0 || rate == null || alerts == null) {
            throw new IllegalStateException("the Flink peer failed (exit " + proc.exitValue() + ")");
        }
        return new String[] {rate, alerts};
    }

    /** Seconds from start until the passthrough has committed the end of every input partition. */
    private static double passthrough(String bootstrap, Topics topics, String app, Path work, Admin admin, List<TopicPartition> inputs)
            throws Exception {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(List.of(topics.complaints().name(), topics.contacts().name()), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to("passthrough.out", Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve(app).toString());
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, THREADS);
        try (KafkaStreams s = new KafkaStreams(b.build(), p)) {
            long t0 = System.nanoTime();
            s.start();
            awaitCaughtUp(admin, app, inputs);
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    /**
     * A new instance with this configuration (an empty state folder): seconds until it is RUNNING, and records
     * restored from the changelogs on the way.
     */
    static String restore(AppConfig cfg) throws Exception {
        KafkaStreams s = new KafkaStreams(io.casewatch.topology.CasewatchTopology.build(Pipeline.runSettings(cfg), io.casewatch.topology.TopologyRuntime.live(Clock.systemUTC())), Pipeline.streamsProperties(cfg));
        java.util.concurrent.atomic.AtomicLong restored = new java.util.concurrent.atomic.AtomicLong();
        s.setGlobalStateRestoreListener(new org.apache.kafka.streams.processor.StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
            }

            @Override
            public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long n) {
                restored.addAndGet(n);
            }

            @Override
            public void onRestoreEnd(TopicPartition tp, String store, long total) {
            }
        });
        long t0 = System.nanoTime();
        s.start();
        try {
            while (s.state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() - t0 > Duration.ofMinutes(30).toNanos()) {
                    throw new IllegalStateException("not RUNNING after 30 minutes: " + s.state());
                }
                Thread.sleep(20);
            }
            return String.format("%.1f s for %,d changelog records", (System.nanoTime() - t0) / 1e9, restored.get());
        } finally {
            s.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                    org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }

    private static void awaitCaughtUp(Admin admin, String group, List<TopicPartition> inputs) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        inputs.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            boolean done = true;
            for (TopicPartition tp : inputs) {
                OffsetAndMetadata o = committed.get(tp);
                if (ends.get(tp) > 0 && (o == null || o.offset() < ends.get(tp))) {
                    done = false;
                    break;
                }
            }
            if (done) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // Temp folder left behind: not worth failing a finished benchmark.
        }
    }
}
