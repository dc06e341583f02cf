package io.casewatch.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * The benchmark peer of casewatch: the Flink 2 DataStream job a user might write instead. It reads casewatch's two
 * input topics (Avro single-object encoding, keyed by case id), detects first-response and resolution breaches of
 * the DEFAULT policy with keyed state and event-time timers, counts OPENED cases per merchant and UTC day, and writes
 * both exactly once (checkpoints + Kafka transactions). It runs in a local (mini) cluster bound to 127.0.0.1 with
 * every file under the run folder, reads what was in the topics when it started, and prints the events per second it
 * processed and the alerts it emitted.
 *
 * <p>Usage: {@code FlinkPeerJob [--option value ...]}; see {@link Settings#parse(String[])} and docs/benchmarks.md.
 */
public final class FlinkPeerJob {

    static final String ACC_EVENTS = "events";
    static final String ACC_UNDECODABLE = "undecodable";
    static final String ACC_FIRST_RESPONSE = "alerts.first-response";
    static final String ACC_RESOLUTION = "alerts.resolution";
    static final String ACC_MERCHANT_DAYS = "merchant-days";

    private FlinkPeerJob() {
    }

    /**
     * What to run.
     *
     * @param cutoff alerts with a deadline after it and merchant days ending after it are not emitted; {@code null}
     *               emits all (then the final watermark of a bounded run fires every pending deadline)
     * @param resolutionEndOfDay the resolution deadline rounds up to the next UTC midnight (casewatch's calendar days)
     * @param bounded stop at the end offsets found at start; otherwise run until killed
     * @param rocksDb RocksDB state (the default, as in production) or heap state
     */
    public record Settings(String bootstrapServers, String complaintsTopic, String contactsTopic, String alertsTopic,
            String merchantDaysTopic, String groupId, String transactionalIdPrefix, Instant cutoff, boolean bounded,
            Duration outOfOrderness, Duration firstResponse, Duration resolution, boolean resolutionEndOfDay, int parallelism,
            Duration checkpointInterval, boolean rocksDb, Path runDir) {

        /** The options, each {@code --name value}. */
        public static Settings parse(String[] args) {
            Map<String, String> o = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value, got " + args[i] + "\n" + USAGE);
                }
                o.put(args[i].substring(2), args[++i]);
            }
            Set<String> known = Set.of("bootstrap-servers", "complaints-topic", "contacts-topic", "alerts-topic",
                    "merchant-days-topic", "group-id", "transactional-id-prefix", "cutoff", "bounded", "out-of-orderness",
                    "first-response", "resolution", "resolution-rule", "parallelism", "checkpoint-interval", "state", "run-dir");
            for (String k : o.keySet()) {
                if (!known.contains(k)) {
                    throw new IllegalArgumentException("unknown option --" + k + "\n" + USAGE);
                }
            }
            String group = o.getOrDefault("group-id", "casewatch-flink-peer");
            String state = o.getOrDefault("state", "rocksdb");
            if (!state.equals("rocksdb") && !state.equals("hashmap")) {
                throw new IllegalArgumentException("--state is rocksdb or hashmap");
            }
            String rule = o.getOrDefault("resolution-rule", "end-of-day");
            if (!rule.equals("end-of-day") && !rule.equals("exact")) {
                throw new IllegalArgumentException("--resolution-rule is end-of-day or exact");
            }
            return new Settings(
                    o.getOrDefault("bootstrap-servers", "127.0.0.1:9092"),
                    o.getOrDefault("complaints-topic", "complaints.events.v1"),
                    o.getOrDefault("contacts-topic", "contacts.events.v1"),
                    o.getOrDefault("alerts-topic", "peer.flink.alerts.v1"),
                    o.getOrDefault("merchant-days-topic", "peer.flink.merchant-opened-daily.v1"),
                    group,
                    o.getOrDefault("transactional-id-prefix", group),
                    o.containsKey("cutoff") ? Instant.parse(o.get("cutoff")) : null,
                    Boolean.parseBoolean(o.getOrDefault("bounded", "true")),
                    Duration.parse(o.getOrDefault("out-of-orderness", "PT0.5S")),
                    Duration.parse(o.getOrDefault("first-response", "PT24H")),
                    Duration.parse(o.getOrDefault("resolution", "PT360H")),
                    rule.equals("end-of-day"),
                    Integer.parseInt(o.getOrDefault("parallelism", "2")),
                    Duration.parse(o.getOrDefault("checkpoint-interval", "PT1S")),
                    state.equals("rocksdb"),
                    Path.of(o.getOrDefault("run-dir", "flink-peer-run")).toAbsolutePath());
        }

        static final String USAGE = """
                options (defaults in brackets):
                  --bootstrap-servers [127.0.0.1:9092]
                  --complaints-topic [complaints.events.v1]   --contacts-topic [contacts.events.v1]
                  --alerts-topic [peer.flink.alerts.v1]       --merchant-days-topic [peer.flink.merchant-opened-daily.v1]
                  --group-id [casewatch-flink-peer]           --transactional-id-prefix [the group id]
                  --cutoff ISO-instant   drop alerts with a later deadline and merchant days ending later [none]
                  --bounded true|false   stop at the end offsets found at start [true]
                  --out-of-orderness [PT0.5S]  --first-response [PT24H]  --resolution [PT360H]
                  --resolution-rule end-of-day|exact  end-of-day: the deadline rounds up to the next UTC midnight,
                                     as casewatch's "15 days" does; exact: OPENED + 360 h [end-of-day]
                  --parallelism [2]  --checkpoint-interval [PT1S]  --state rocksdb|hashmap [rocksdb]
                  --run-dir folder for every file the job writes [./flink-peer-run]""";
    }

    /**
     * What a run did.
     *
     * @param netRuntimeMs the job's own run time as Flink reports it (from submission to the end, no cluster start-up)
     * @param wallMs from building the environment to the end, cluster start-up included
     */
    public record Result(long events, long undecodable, long firstResponseAlerts, long resolutionAlerts,
            long merchantDays, long netRuntimeMs, long wallMs) {

        public long alerts() {
            return firstResponseAlerts + resolutionAlerts;
        }

        public double eventsPerSecond() {
            return netRuntimeMs == 0 ? 0 : events * 1000.0 / netRuntimeMs;
        }
    }

    public static void main(String[] args) throws Exception {
        // Avro 1.12 instantiates generated classes only from trusted packages; the tasks run in this JVM.
        System.getProperties().putIfAbsent("org.apache.avro.SERIALIZABLE_PACKAGES", "io.casewatch");
        Settings s;
        try {
            s = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Result r = run(s);
        System.out.printf("flink-peer: %d events (%d undecodable) in %.1f s net (%.1f s with cluster start-up): %,.0f events/s%n",
                r.events(), r.undecodable(), r.netRuntimeMs() / 1000.0, r.wallMs() / 1000.0, r.eventsPerSecond());
        System.out.printf("flink-peer: %d alerts (%d %s, %d %s) to %s, %d merchant days to %s, cutoff %s%n",
                r.alerts(), r.firstResponseAlerts(), Breach.FIRST_RESPONSE, r.resolutionAlerts(), Breach.RESOLUTION,
                s.alertsTopic(), r.merchantDays(), s.merchantDaysTopic(),
                s.cutoff() == null ? "none (every pending deadline fired by the final watermark)" : s.cutoff());
    }

    /** Runs the job to its end (bounded) and returns its counts. */
    public static Result run(Settings s) throws Exception {
        long start = System.nanoTime();
        ensureOutputTopics(s);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(s.parallelism(), configuration(s));
        build(env, s);
        JobExecutionResult done = env.execute("casewatch-flink-peer");
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        return new Result(count(done, ACC_EVENTS), count(done, ACC_UNDECODABLE), count(done, ACC_FIRST_RESPONSE),
                count(done, ACC_RESOLUTION), count(done, ACC_MERCHANT_DAYS), done.getNetRuntime(), wallMs);
    }

    private static long count(JobExecutionResult done, String name) {
        Object v = done.getAccumulatorResult(name);
        return v == null ? 0 : ((Number) v).longValue();
    }

    /**
     * The local cluster's settings: everything bound to 127.0.0.1 on free ports (a shared machine runs several
     * builds), every file under the run folder (Flink defaults to /tmp for uploads, blobs and its RPC jar).
     */
    static Configuration configuration(Settings s) {
        Path run = s.runDir();
        Configuration c = new Configuration();
        c.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        c.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        c.set(TaskManagerOptions.HOST, "127.0.0.1");
        c.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        c.set(RestOptions.BIND_PORT, "0");
        c.set(BlobServerOptions.PORT, "0");
        c.set(CoreOptions.TMP_DIRS, dir(run.resolve("tmp")));
        c.set(WebOptions.UPLOAD_DIR, dir(run.resolve("web-upload")));
        c.set(WebOptions.TMP_DIR, dir(run.resolve("web-tmp")));
        c.set(BlobServerOptions.STORAGE_DIRECTORY, dir(run.resolve("blobs")));
        c.set(ClusterOptions.PROCESS_WORKING_DIR_BASE, dir(run.resolve("work")));

        c.set(StateBackendOptions.STATE_BACKEND, s.rocksDb() ? "rocksdb" : "hashmap");
        c.set(RocksDBOptions.LOCAL_DIRECTORIES, dir(run.resolve("rocksdb")));
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, run.resolve("checkpoints").toUri().toString());
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, s.checkpointInterval());
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);

        // A benchmark run that fails should fail, not retry forever (the default with checkpoints): a few attempts
        // still show recovery from a checkpoint working.
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));

        // Every value type has a Flink serialiser (records as POJOs, enums): no silent fallback to Kryo.
        c.set(PipelineOptions.GENERIC_TYPES, false);
        // Records are immutable: no defensive copies between chained operators.
        c.set(PipelineOptions.OBJECT_REUSE, true);
        return c;
    }

    private static String dir(Path p) {
        try {
            return Files.createDirectories(p).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dataflow: one source over both topics, breaches per case, OPENED counts per merchant and day. */
    static void build(StreamExecutionEnvironment env, Settings s) {
        KafkaSourceBuilder<CaseEvent> source = KafkaSource.<CaseEvent>builder()
                .setBootstrapServers(s.bootstrapServers())
                .setTopics(s.complaintsTopic(), s.contactsTopic())
                .setGroupId(s.groupId())
                .setClientIdPrefix(s.groupId())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new CaseEventDeserializer(s.complaintsTopic()))
                // Inputs may come from a transactional producer; never act on aborted records.
                .setProperty("isolation.level", "read_committed");
        if (s.bounded()) {
            source.setBounded(OffsetsInitializer.latest());
        }
        // Watermarks per partition (split), from occurredAt; the operator's watermark is the minimum over both topics.
        WatermarkStrategy<CaseEvent> watermarks = WatermarkStrategy.<CaseEvent>forBoundedOutOfOrderness(s.outOfOrderness())
                .withTimestampAssigner((e, recordTimestamp) -> e.at());
        long cutoff = s.cutoff() == null ? Long.MAX_VALUE : s.cutoff().toEpochMilli();

        DataStream<CaseEvent> relevant = env.fromSource(source.build(), watermarks, "cases")
                .process(new CountAndFilter()).name("count-and-filter");

        SingleOutputStreamOperator<Breach> breaches = relevant
                .keyBy(CaseEvent::caseId, Types.STRING)
                .process(new BreachDetector(s.firstResponse().toMillis(), s.resolution().toMillis(),
                        s.resolutionEndOfDay(), cutoff))
                .name("breaches");
        breaches.sinkTo(sink(s, s.alertsTopic(), "alerts")).name("alerts-sink");

        breaches.getSideOutput(BreachDetector.OPENED)
                .keyBy(CaseEvent::merchantId, Types.STRING)
                .window(TumblingEventTimeWindows.of(Duration.ofDays(1)))
                .aggregate(new CountOpened(), new EmitMerchantDay(cutoff))
                .name("merchant-days")
                .sinkTo(sink(s, s.merchantDaysTopic(), "merchant-days")).name("merchant-days-sink");
    }

    private static <T extends KeyedJson> KafkaSink<T> sink(Settings s, String topic, String name) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(s.bootstrapServers())
                .setRecordSerializer(new JsonRecords<>(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(s.transactionalIdPrefix() + "-" + name)
                // Must not exceed the broker's transaction.max.timeout.ms (15 min by default; Flink asks for 1 h).
                .setProperty("transaction.timeout.ms", "120000")
                .build();
    }

    /**
     * Creates missing output topics with the partition count of the complaints topic and no time-based retention
     * (records carry event-time timestamps from generated history, which retention would delete at once).
     */
    static void ensureOutputTopics(Settings s) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            TopicDescription in = admin.describeTopics(List.of(s.complaintsTopic())).allTopicNames().get().get(s.complaintsTopic());
            List<NewTopic> missing = new ArrayList<>();
            for (String t : List.of(s.alertsTopic(), s.merchantDaysTopic())) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, Optional.of(in.partitions().size()), Optional.empty())
                            .configs(Map.of("retention.ms", "-1")));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot prepare topics on " + s.bootstrapServers() + ": " + e.getCause(), e.getCause());
        }
    }

    /** Counts every input event (the throughput figure) and passes on only those the detections read. */
    static final class CountAndFilter extends ProcessFunction<CaseEvent, CaseEvent> {
        private static final long serialVersionUID = 1L;
        private transient LongCounter events;
        private transient LongCounter undecodable;

        @Override
        public void open(OpenContext openContext) {
            events = getRuntimeContext().getLongCounter(ACC_EVENTS);
            undecodable = getRuntimeContext().getLongCounter(ACC_UNDECODABLE);
        }

        @Override
        public void processElement(CaseEvent e, Context ctx, Collector<CaseEvent> out) {
            events.add(1);
            switch (e.kind()) {
                case OPENED, REPLY, ENDED -> out.collect(e);
                case UNDECODABLE -> undecodable.add(1);
                default -> {
                    // read, not needed by the peer's detections
                }
            }
        }
    }

    /** Incremental count, so a window holds one long per merchant rather than its events. */
    static final class CountOpened implements AggregateFunction<CaseEvent, Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(CaseEvent value, Long acc) {
            return acc + 1;
        }

        @Override
        public Long getResult(Long acc) {
            return acc;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    /** Emits a closed day unless it ends after the cutoff. */
    static final class EmitMerchantDay extends ProcessWindowFunction<Long, MerchantDay, String, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final long cutoff;
        private transient LongCounter emitted;

        EmitMerchantDay(long cutoff) {
            this.cutoff = cutoff;
        }

        @Override
        public void open(OpenContext openContext) {
            emitted = getRuntimeContext().getLongCounter(ACC_MERCHANT_DAYS);
        }

        @Override
        public void process(String merchantId, Context ctx, Iterable<Long> counts, Collector<MerchantDay> out) {
            TimeWindow w = ctx.window();
            if (w.getEnd() <= cutoff) {
                emitted.add(1);
                out.collect(new MerchantDay(merchantId, w.getStart(), w.getEnd(), counts.iterator().next()));
            }
        }
    }
}
