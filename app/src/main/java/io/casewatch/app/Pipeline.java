package io.casewatch.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

import io.casewatch.cases.CaseEngine;
import io.casewatch.escalation.EscalationRules;
import io.casewatch.loops.HoldingPhrases;
import io.casewatch.ops.CalendarHorizon;
import io.casewatch.ops.HttpSettings;
import io.casewatch.ops.Operations;
import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.policy.PolicyFile;
import io.casewatch.policy.PolicySet;
import io.casewatch.topology.CasewatchTopology;
import io.casewatch.topology.DefectHandler;
import io.casewatch.topology.Topics;
import io.casewatch.topology.TopologyRuntime;

/**
 * A running casewatch instance: the Kafka Streams application built from configuration, and its ticker. Start-up
 * wiring only; the topology itself comes from {@link CasewatchTopology}.
 */
public final class Pipeline implements AutoCloseable {

    /** Shortest HTTP token accepted. */
    public static final int MIN_TOKEN_CHARS = 16;

    private final KafkaStreams streams;
    private final Ticker ticker;
    private final CasewatchTopology.Settings settings;
    private final TopologyRuntime runtime;
    private final Operations ops;
    private final CompletableFuture<PipelineFailure> failure;

    private Pipeline(KafkaStreams streams, Ticker ticker, CasewatchTopology.Settings settings, TopologyRuntime runtime, Operations ops,
            CompletableFuture<PipelineFailure> failure) {
        this.streams = streams;
        this.ticker = ticker;
        this.settings = settings;
        this.runtime = runtime;
        this.ops = ops;
        this.failure = failure;
    }

    /**
     * The HTTP endpoint's settings. The token comes from {@code casewatch.http.token} or from the file named by
     * {@code casewatch.http.token.file} (a mounted secret), never both.
     *
     * @param defaultPort the port when {@code casewatch.http.port} is not set: 8080 for {@code run}, 0 (a free port)
     *                    otherwise, so that tests and demos never collide on a fixed port
     */
    public static HttpSettings httpSettings(AppConfig cfg, int defaultPort) {
        String token = cfg.get(AppConfig.HTTP_TOKEN, null);
        String file = cfg.get(AppConfig.HTTP_TOKEN_FILE, null);
        if (token != null && file != null) {
            throw new AppConfig.ConfigException(AppConfig.HTTP_TOKEN + " and " + AppConfig.HTTP_TOKEN_FILE + " are both set: use one");
        }
        if (file != null) {
            try {
                token = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new AppConfig.ConfigException(AppConfig.HTTP_TOKEN_FILE + ": cannot read " + file + ": " + e.getMessage());
            }
            if (token.isEmpty()) {
                throw new AppConfig.ConfigException(AppConfig.HTTP_TOKEN_FILE + ": " + file + " is empty");
            }
        }
        if (token != null && token.strip().length() < MIN_TOKEN_CHARS) {
            // Also keeps placeholder values ("CHANGE-ME") in deployment templates from going live.
            throw new AppConfig.ConfigException("the HTTP token (" + (file != null ? AppConfig.HTTP_TOKEN_FILE : AppConfig.HTTP_TOKEN)
                    + ") must have at least " + MIN_TOKEN_CHARS + " characters");
        }
        int port = cfg.integer(AppConfig.HTTP_PORT, defaultPort);
        if (port < 0 || port > 65_535) {
            throw new AppConfig.ConfigException(AppConfig.HTTP_PORT + ": " + port + " is not a port (0 takes a free one)");
        }
        return new HttpSettings(cfg.get(AppConfig.HTTP_BIND, "127.0.0.1"), port, cfg.get(AppConfig.HTTP_ADVERTISED_HOST, null), token);
    }

    /** The topology settings this configuration describes, over the topology's own defaults. */
    public static CasewatchTopology.Settings settings(AppConfig cfg) {
        return settings(cfg, CasewatchTopology.Settings.Preset.TOPOLOGY);
    }

    /**
     * The topology settings this configuration describes: the preset's values where the configuration is silent.
     * Layers, lowest first: the topology's defaults, the preset, the configuration (file, environment, flags).
     */
    public static CasewatchTopology.Settings settings(AppConfig cfg, CasewatchTopology.Settings.Preset preset) {
        String policies = cfg.get(AppConfig.POLICIES_FILE, null);
        PolicySet set = policies == null ? PolicySet.presets() : PolicyFile.load(Path.of(policies));
        HoldingPhrases phrases = HoldingPhrases.shipped();
        String dir = cfg.get(AppConfig.PHRASES_DIR, null);
        if (dir != null) {
            phrases = phrases.extendedBy(Path.of(dir));
        }
        HoldingReplyClassifier classifier = new HoldingReplyClassifier(phrases,
                cfg.decimal(AppConfig.SIMILARITY, HoldingReplyClassifier.DEFAULT_SIMILARITY));
        CasewatchTopology.Settings d = CasewatchTopology.Settings.builder(Topics.named(cfg.topicNames()), set, preset).build();
        return d.toBuilder()
                .classifier(classifier)
                .grace(cfg.duration(AppConfig.GRACE, d.grace()))
                .punctuateEvery(cfg.duration(AppConfig.PUNCTUATE, d.punctuateEvery()))
                .maxFuture(cfg.duration(AppConfig.MAX_FUTURE, d.maxFuture()))
                .maxTextChars(cfg.integer(AppConfig.MAX_TEXT, d.maxTextChars()))
                .escalation(escalation(cfg, set))
                .stats(new CasewatchTopology.StatsSettings(cfg.duration(AppConfig.STATS_GRACE, d.stats().grace()),
                        cfg.duration(AppConfig.STATS_LIVE, d.stats().liveEvery()),
                        cfg.duration(AppConfig.STATS_WATERMARK_PACE, d.stats().watermarkPace())))
                .orphanGrace(cfg.duration(AppConfig.ORPHAN_GRACE, d.orphanGrace()))
                .statusInterval(cfg.duration(AppConfig.STATUS_INTERVAL, d.statusInterval()))
                .build();
    }

    /** How long {@code run} waits for a broker to answer before it gives up with the reason (exit 1). */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(2);
    /** Unless configured, a quarter of the bounded RocksDB memory may be memtables ({@link BoundedRocksDb}). */
    static final int DEFAULT_WRITE_BUFFER_SHARE = 4;
    /** Heartbeat interval of {@code run} unless configured. */
    public static final Duration RUN_TICK = Duration.ofMillis(100);

    /** What {@code run} (and {@code demo}) execute ({@link CasewatchTopology.Settings.Preset#RUN}). */
    public static CasewatchTopology.Settings runSettings(AppConfig cfg) {
        return settings(cfg, CasewatchTopology.Settings.Preset.RUN);
    }

    /**
     * What {@code replay} executes ({@link CasewatchTopology.Settings.Preset#REPLAY}): its output must not change with
     * the machine, nor with a new release's live tuning.
     */
    public static CasewatchTopology.Settings replaySettings(AppConfig cfg) {
        return settings(cfg, CasewatchTopology.Settings.Preset.REPLAY);
    }

    static EscalationRules escalation(AppConfig cfg, PolicySet set) {
        var d = EscalationRules.DEFAULT;
        String quiet = cfg.get(AppConfig.QUIET_CALENDAR, null);
        return new EscalationRules(cfg.integer(AppConfig.STORM_CAP, d.stormCap()),
                cfg.duration(AppConfig.STORM_WINDOW, d.stormWindow()), quiet == null ? null : set.calendars().get(quiet));
    }

    /** Kafka Streams properties: casewatch's defaults (exactly-once v2), then the configured Kafka keys. */
    public static Properties streamsProperties(AppConfig cfg) {
        return streamsProperties(cfg, false);
    }

    /**
     * @param gated whether deadlines wait for every input partition to be proven past them (heartbeats from this
     *              instance): then no task idles for a partition that looks empty
     */
    public static Properties streamsProperties(AppConfig cfg, boolean gated) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "casewatch");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, false);
        p.put(StreamsConfig.consumerPrefix("isolation.level"), "read_committed");
        // A case's contacts and lifecycle events are on two topics, read in time order: a task waits for a partition
        // known to hold more than it has buffered. Deadlines fired by time passing are gated (see start): they wait
        // until every input partition is proven past them, so a task need not also idle for a partition that looks
        // empty (0). Ungated, a task that found one momentarily empty would go on with the heartbeat that passes a
        // deadline while the reply is still on its way (a false breach): 2 s keeps a margin (docs/decisions.md).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, gated ? 0L : 2_000L);
        // A defect (an exception escaping a processor) or an undecodable internal record costs one record, which goes
        // to the dead-letter topic (KIP-1034), instead of the stream thread and every case of its partitions.
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.named(cfg.topicNames()).deadLetters().name());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DefectHandler.class.getName());
        // No global stores today; opting in now is Kafka 5.0's default and silences a warning at every start.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        p.putAll(cfg.kafka());
        int rocksdb = cfg.integer(AppConfig.ROCKSDB_MEMORY_MIB, 0);
        if (rocksdb != 0) {
            int writeBuffers = cfg.integer(AppConfig.ROCKSDB_WRITE_BUFFER_MIB, rocksdb / DEFAULT_WRITE_BUFFER_SHARE);
            if (rocksdb < 0 || writeBuffers <= 0 || writeBuffers >= rocksdb) {
                throw new AppConfig.ConfigException(AppConfig.ROCKSDB_WRITE_BUFFER_MIB + " (" + writeBuffers + ") must be above 0 and below "
                        + AppConfig.ROCKSDB_MEMORY_MIB + " (" + rocksdb + ")");
            }
            // The setter reads its sizes from the Streams configuration map, where only Kafka keys go otherwise.
            p.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class.getName());
            p.put(AppConfig.ROCKSDB_MEMORY_MIB, Integer.toString(rocksdb));
            p.put(AppConfig.ROCKSDB_WRITE_BUFFER_MIB, Integer.toString(writeBuffers));
        }
        if (!p.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new AppConfig.ConfigException("bootstrap.servers is not set (flag --bootstrap-servers or CASEWATCH_KAFKA_BOOTSTRAP_SERVERS)");
        }
        return p;
    }

    /**
     * What any client of this deployment needs to reach the cluster: the bootstrap servers, the security settings
     * ({@code security.*}, {@code sasl.*}, {@code ssl.*}) and Kafka's config providers ({@code config.providers*}), which
     * resolve {@code ${dir:...}}, {@code ${file:...}} or {@code ${env:...}} references to secrets. The admin client and
     * the ticker use it, so that they work on a SASL_SSL cluster exactly as Kafka Streams does.
     */
    public static Properties clientProperties(Properties streams) {
        Properties p = new Properties();
        streams.forEach((k, v) -> {
            if (isClientSetting(k.toString())) {
                p.put(k.toString(), v);
            }
        });
        return p;
    }

    /** Whether a key is one every client needs: bootstrap, security, or a config provider. */
    static boolean isClientSetting(String key) {
        return key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.") || key.equals("bootstrap.servers")
                || key.startsWith(AbstractConfig.CONFIG_PROVIDERS_CONFIG);
    }

    /** @param clock the deployment's clock: stamps the ticks and bounds how far in the future events may lie */
    public static Pipeline start(AppConfig cfg, Clock clock) {
        return start(cfg, clock, 0);
    }

    /** @param defaultHttpPort the HTTP port unless {@code casewatch.http.port} says otherwise */
    public static Pipeline start(AppConfig cfg, Clock clock, int defaultHttpPort) {
        CasewatchTopology.Settings s = runSettings(cfg);
        TopologyRuntime runtime = TopologyRuntime.live(clock);
        Duration tickEvery = cfg.duration(AppConfig.TICK, RUN_TICK);
        // Gated, a deadline waits until every input partition is proven past it, so tasks need not idle for a
        // partition that looks empty (docs/time.md). The proofs are heartbeats with end offsets, this instance's or
        // another ticker's; without any, nothing proves a quiet partition caught up, so by default only an instance
        // that ticks is gated and the others follow stream time, with Kafka Streams' idling.
        boolean gated = cfg.gatesDeadlines(!tickEvery.isZero());
        if (gated) {
            runtime = runtime.withInputProgress(new FetchedInputs());
        }
        Properties props = streamsProperties(cfg, gated);
        HttpSettings http = httpSettings(cfg, defaultHttpPort);
        Duration startupTimeout = cfg.duration(AppConfig.STARTUP_TIMEOUT, DEFAULT_STARTUP_TIMEOUT);
        int partitions;
        String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        // The HTTP port is bound first so that application.server names the port actually taken (0 = a free one), and
        // so that probes are answered (live, not ready) while the cluster is waited for.
        Operations ops = Operations.start(http, clock, runtime.counters());
        CalendarHorizon.watch(s.policies().calendars(), ops.registry(), clock);
        try (Admin admin = Admin.create(clientProperties(props))) {
            ClusterReachability.await(admin, props.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
                    props.getProperty("security.protocol", "PLAINTEXT"), startupTimeout, applicationId);
            // Every missing topic permission at once, before anything runs, rather than one stack trace at a time.
            AccessCheck.verify(admin, s.topics(), applicationId);
            partitions = admin.describeTopics(List.of(s.topics().ticks().name())).allTopicNames().get()
                    .get(s.topics().ticks().name()).partitions().size();
        } catch (PipelineFailure e) {
            ops.close();
            throw e;
        } catch (Exception e) {
            ops.close();
            throw new PipelineFailure(AccessCheck.explainAccess(e, applicationId).orElse("cannot describe the ticks topic "
                    + s.topics().ticks().name() + " (create the topics first, see docs/operations.md): " + e.getMessage()), e);
        }
        CompletableFuture<PipelineFailure> failure = new CompletableFuture<>();
        KafkaStreams streams;
        try {
            runtime = runtime.withMetrics(ops.metrics());
            props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, ops.advertised());
            props.put(DefectHandler.COUNTERS_CONFIG, runtime.counters());
            Topology topology = CasewatchTopology.build(s, runtime);
            streams = gated ? new KafkaStreams(topology, props, new TrackingClientSupplier()) : new KafkaStreams(topology, props);
            // A stream thread that dies (a missing ACL on a changelog or transactional id, a fenced producer, ...)
            // shuts the instance down, as Kafka Streams' default does, and says why through failure(): `run` exits
            // with that message instead of idling in ERROR.
            streams.setUncaughtExceptionHandler(e -> {
                if (isPositionRace(e)) {
                    org.slf4j.LoggerFactory.getLogger(Pipeline.class).warn("a stream thread died on a partition without a"
                            + " committed offset that it had just been given ({}); replacing it: its tasks are redone from"
                            + " their last commit", e.toString());
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
                }
                failure.complete(AccessCheck.failure(e, applicationId));
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.setGlobalStateRestoreListener(ops.restoreListener());
            ops.attach(streams, topology, props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG),
                    new CaseEngine(s.policies(), s.classifier(), s.escalation()));
            streams.start();
        } catch (RuntimeException e) {
            ops.close();
            throw e;
        }
        Ticker ticker = null;
        // Zero: heartbeats come from elsewhere (another deployment's ticker, a replayed history's own end marker).
        if (!tickEvery.isZero()) {
            Properties tp = clientProperties(props);
            tp.put(ProducerConfig.ACKS_CONFIG, "1");
            tp.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            ticker = new Ticker(new KafkaProducer<>(tp, new ByteArraySerializer(), new ByteArraySerializer()),
                    s.topics().ticks().name(), partitions, clock, tickEvery,
                    e -> failure.complete(AccessCheck.failure(e, applicationId)), Admin.create(clientProperties(props)),
                    List.of(s.topics().complaints().name(), s.topics().contacts().name(), s.topics().acks().name()));
        }
        return new Pipeline(streams, ticker, s, runtime, ops, failure);
    }

    /**
     * Kafka Streams 4.3.1 can ask its consumer for the position of a partition it has just been assigned, before its
     * poll has reset the offset by the topology's policy: an input partition nobody has ever committed (an acks
     * partition with no ack yet) then throws {@code NoOffsetForPartitionException} out of the commit and kills the
     * stream thread. Seen on the survivor of a failover (ClusterFaultsIT, instance down). Nothing is wrong with the
     * data or the permissions, so the thread is replaced, not the instance shut down: the new thread's poll applies
     * the topology's reset policy, and exactly-once redoes the tasks from their last commit.
     */
    static boolean isPositionRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NoOffsetForPartitionException) {
                return true;
            }
        }
        return false;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public CasewatchTopology.Settings settings() {
        return settings;
    }

    /** What the topology runs against: its counters are this instance's. */
    public TopologyRuntime runtime() {
        return runtime;
    }

    /**
     * Completes when this instance can no longer do its work: a stream thread died (the instance is then shut down)
     * or the heartbeats are refused (no permission, failed login). The failure's message says why and what to fix.
     */
    public CompletableFuture<PipelineFailure> failure() {
        return failure;
    }

    /** The port of this instance's HTTP endpoint. */
    public int httpPort() {
        return ops.port();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.close();
        }
        streams.close(Duration.ofSeconds(30));
        ops.close();
    }
}
