package io.casewatch.topology;

import static io.casewatch.topology.Names.CASES;
import static io.casewatch.topology.Names.GATE;
import static io.casewatch.topology.Names.INTAKE_ACKS;
import static io.casewatch.topology.Names.INTAKE_COMPLAINTS;
import static io.casewatch.topology.Names.INTAKE_CONTACTS;
import static io.casewatch.topology.Names.INTAKE_TICKS;
import static io.casewatch.topology.Names.SINK_COMPLIANCE;
import static io.casewatch.topology.Names.SINK_DLQ;
import static io.casewatch.topology.Names.SINK_FACTS;
import static io.casewatch.topology.Names.SINK_L1;
import static io.casewatch.topology.Names.SINK_L2;
import static io.casewatch.topology.Names.SINK_L3;
import static io.casewatch.topology.Names.SINK_STATS;
import static io.casewatch.topology.Names.SINK_STATUS;
import static io.casewatch.topology.Names.SRC_ACKS;
import static io.casewatch.topology.Names.SRC_COMPLAINTS;
import static io.casewatch.topology.Names.SRC_CONTACTS;
import static io.casewatch.topology.Names.SRC_FACTS;
import static io.casewatch.topology.Names.SRC_TICKS;
import static io.casewatch.topology.Names.STATS;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

import io.casewatch.cases.CaseEngine;
import io.casewatch.escalation.EscalationRules;
import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.policy.PolicySet;
import io.casewatch.state.StoreKind;
import io.casewatch.stats.MerchantStatsProcessor;

/**
 * Builds the casewatch topology from plain values: topic names, policies, the classifier and time settings. No
 * configuration loading, no clients, no I/O: the same builder serves {@code run}, {@code demo}, {@code replay} and
 * the tests.
 */
public final class CasewatchTopology {

    /**
     * @param grace          how late (in event time) an event may arrive and still count before a deadline fires
     * @param punctuateEvery how often, in stream time, due deadlines are checked
     * @param maxFuture      how far ahead of {@code clock} an event may be stamped before it is dead-lettered
     * @param maxTextChars   longest contact text accepted
     * @param clock          the deployment's clock, for the far-future check only; null in replay, where the input
     *                       is the only time there is. Deadlines never read it: they run on stream time.
     * @param metrics        what the topology reports to the operations surface ({@link PipelineMetrics#NONE}: nothing)
     */
    public record Settings(Topics topics, PolicySet policies, HoldingReplyClassifier classifier, Duration grace,
            Duration punctuateEvery, Duration maxFuture, int maxTextChars, IntakeCounters counters, Clock clock,
            EscalationRules escalation, StatsSettings stats, PipelineMetrics metrics, StoreKind stores, Duration orphanGrace,
            Duration statusInterval, InputProgress inputProgress) {
        /** Default of {@link #orphanGrace}: how long records of a case wait for its OPENED before they are dead-lettered. */
        public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofHours(1);
        /**
         * What {@code run} coalesces a case's statuses over unless configured (SPEC section 6: "about a second"). The
         * topology's own default is zero, a status for every change, which replay and the tests keep.
         */
        public static final Duration DEFAULT_RUN_STATUS_INTERVAL = Duration.ofSeconds(1);

        public Settings {
            Objects.requireNonNull(statusInterval);
            Objects.requireNonNull(inputProgress);
            if (statusInterval.isNegative()) {
                throw new IllegalArgumentException("status interval must not be negative");
            }
            Objects.requireNonNull(orphanGrace);
            if (orphanGrace.isZero() || orphanGrace.isNegative()) {
                throw new IllegalArgumentException("orphan grace must be positive");
            }
            Objects.requireNonNull(metrics);
            Objects.requireNonNull(topics);
            Objects.requireNonNull(policies);
            Objects.requireNonNull(classifier);
            Objects.requireNonNull(counters);
            Objects.requireNonNull(stats);
            Objects.requireNonNull(stores);
            if (grace.isNegative()) {
                throw new IllegalArgumentException("grace must not be negative");
            }
            if (punctuateEvery.isZero() || punctuateEvery.isNegative()) {
                throw new IllegalArgumentException("punctuation interval must be positive");
            }
        }

        public static Settings defaults(Topics topics, PolicySet policies) {
            return builder(topics, policies, Preset.TOPOLOGY).build();
        }

        /** Every setting at its default under {@code preset}; change what differs, then {@link Builder#build}. */
        public static Builder builder(Topics topics, PolicySet policies, Preset preset) {
            return new Builder(topics, policies).preset(preset);
        }

        public Builder toBuilder() {
            return new Builder(this);
        }

        public Settings withMetrics(PipelineMetrics m) {
            return toBuilder().metrics(m).build();
        }

        public Settings withGrace(Duration g) {
            return toBuilder().grace(g).build();
        }

        public Settings withClock(Clock c) {
            return toBuilder().clock(c).build();
        }

        public Settings withEscalation(EscalationRules e) {
            return toBuilder().escalation(e).build();
        }

        public Settings withStats(StatsSettings st) {
            return toBuilder().stats(st).build();
        }

        public Settings withPunctuateEvery(Duration p) {
            return toBuilder().punctuateEvery(p).build();
        }

        public Settings withStores(StoreKind k) {
            return toBuilder().stores(k).build();
        }

        /** Statuses coalesced per case over this interval (wall clock with a clock, stream time in replay); zero: every change. */
        public Settings withStatusInterval(Duration i) {
            return toBuilder().statusInterval(i).build();
        }

        /** How deadlines learn that every input partition has moved past them ({@link InputProgress#STREAM_TIME}: they do not ask). */
        public Settings withInputProgress(InputProgress p) {
            return toBuilder().inputProgress(p).build();
        }

        public Settings withOrphanGrace(Duration o) {
            return toBuilder().orphanGrace(o).build();
        }

        /**
         * What {@code run} and {@code replay} change from the topology's own defaults. A configured value wins over
         * the preset's (the configuration layers are in {@code AppConfig}).
         */
        public enum Preset {
            /** The topology's own defaults, which the tests keep: a status for every change, deadlines looked for every 500 ms of stream time. */
            TOPOLOGY,
            /**
             * {@code run} and {@code demo}: a deadline should reach the escalation topics within a second and an event's
             * alert within a quarter of one (issue 9), so deadlines are looked for every 100 ms of stream time;
             * statuses are coalesced per case over a second (SPEC section 6: "about a second"); watermarks to the
             * statistics are paced by a second of wall clock.
             */
            RUN,
            /**
             * {@code replay}: in-memory stores without changelogs; a case's status at most once per day of the history
             * replayed, and its final one at the end; live merchant windows once per day (final ones unchanged); all of
             * it in stream time, so the output is a function of the input file alone.
             */
            REPLAY
        }

        /** Builds {@link Settings}; every default is written here, once. */
        public static final class Builder {
            private Topics topics;
            private PolicySet policies;
            private HoldingReplyClassifier classifier = HoldingReplyClassifier.shipped();
            private Duration grace = Duration.ofMillis(500);
            private Duration punctuateEvery = Duration.ofMillis(500);
            private Duration maxFuture = Intake.Limits.DEFAULT.maxFuture();
            private int maxTextChars = Intake.Limits.DEFAULT.maxTextChars();
            private IntakeCounters counters = new IntakeCounters();
            private Clock clock;
            private EscalationRules escalation = EscalationRules.DEFAULT;
            private StatsSettings stats = StatsSettings.DEFAULT;
            private PipelineMetrics metrics = PipelineMetrics.NONE;
            private StoreKind stores = StoreKind.DURABLE;
            private Duration orphanGrace = DEFAULT_ORPHAN_GRACE;
            private Duration statusInterval = Duration.ZERO;
            private InputProgress inputProgress = InputProgress.STREAM_TIME;

            private Builder(Topics topics, PolicySet policies) {
                this.topics = topics;
                this.policies = policies;
            }

            private Builder(Settings s) {
                this(s.topics, s.policies);
                classifier = s.classifier;
                grace = s.grace;
                punctuateEvery = s.punctuateEvery;
                maxFuture = s.maxFuture;
                maxTextChars = s.maxTextChars;
                counters = s.counters;
                clock = s.clock;
                escalation = s.escalation;
                stats = s.stats;
                metrics = s.metrics;
                stores = s.stores;
                orphanGrace = s.orphanGrace;
                statusInterval = s.statusInterval;
                inputProgress = s.inputProgress;
            }

            private Builder preset(Preset preset) {
                switch (preset) {
                    case TOPOLOGY -> {
                    }
                    case RUN -> {
                        punctuateEvery = Duration.ofMillis(100);
                        statusInterval = DEFAULT_RUN_STATUS_INTERVAL;
                        stats = stats.withWatermarkPace(StatsSettings.DEFAULT_RUN_WATERMARK_PACE);
                    }
                    case REPLAY -> {
                        stores = StoreKind.IN_MEMORY;
                        statusInterval = Duration.ofDays(1);
                        stats = new StatsSettings(stats.grace(), Duration.ofDays(1), Duration.ZERO);
                    }
                }
                return this;
            }

            public Builder topics(Topics v) {
                topics = v;
                return this;
            }

            public Builder policies(PolicySet v) {
                policies = v;
                return this;
            }

            public Builder classifier(HoldingReplyClassifier v) {
                classifier = v;
                return this;
            }

            public Builder grace(Duration v) {
                grace = v;
                return this;
            }

            public Builder punctuateEvery(Duration v) {
                punctuateEvery = v;
                return this;
            }

            public Builder maxFuture(Duration v) {
                maxFuture = v;
                return this;
            }

            public Builder maxTextChars(int v) {
                maxTextChars = v;
                return this;
            }

            public Builder counters(IntakeCounters v) {
                counters = v;
                return this;
            }

            public Builder clock(Clock v) {
                clock = v;
                return this;
            }

            public Builder escalation(EscalationRules v) {
                escalation = v;
                return this;
            }

            public Builder stats(StatsSettings v) {
                stats = v;
                return this;
            }

            public Builder metrics(PipelineMetrics v) {
                metrics = v;
                return this;
            }

            public Builder stores(StoreKind v) {
                stores = v;
                return this;
            }

            public Builder orphanGrace(Duration v) {
                orphanGrace = v;
                return this;
            }

            public Builder statusInterval(Duration v) {
                statusInterval = v;
                return this;
            }

            public Builder inputProgress(InputProgress v) {
                inputProgress = v;
                return this;
            }

            public Settings build() {
                return new Settings(topics, policies, classifier, grace, punctuateEvery, maxFuture, maxTextChars, counters, clock,
                        escalation, stats, metrics, stores, orphanGrace, statusInterval, inputProgress);
            }
        }
    }

    /**
     * Merchant statistics settings.
     *
     * @param grace     how long after a window's end (in watermark time) it stays open for late facts before it is
     *                  emitted final
     * @param liveEvery how often (in stream time) changed windows are emitted live, not final; zero for never
     * @param watermarkPace the least wall-clock time between two watermarks a case task sends to the statistics
     *                      (besides at most one per minute of stream time); zero: stream time only, as replay needs
     *                      to be deterministic
     */
    public record StatsSettings(Duration grace, Duration liveEvery, Duration watermarkPace) {
        public static final StatsSettings DEFAULT = new StatsSettings(Duration.ofHours(1), Duration.ofMinutes(15), Duration.ZERO);
        /** What {@code run} paces watermarks by unless configured. */
        public static final Duration DEFAULT_RUN_WATERMARK_PACE = Duration.ofSeconds(1);

        public StatsSettings {
            if (grace.isNegative() || liveEvery.isNegative() || watermarkPace.isNegative()) {
                throw new IllegalArgumentException("stats grace, live interval and watermark pace must not be negative");
            }
        }

        public StatsSettings withWatermarkPace(Duration pace) {
            return new StatsSettings(grace, liveEvery, pace);
        }

        public StatsSettings(Duration grace, Duration liveEvery) {
            this(grace, liveEvery, Duration.ZERO);
        }
    }

    private CasewatchTopology() {
    }

    public static Topology build(Settings s) {
        return plan(s).toTopology();
    }

    /** The topology as plain data, for {@link #build} and for runners that execute it without Kafka Streams' runtime. */
    public static TopologyPlan plan(Settings s) {
        Topics t = s.topics();
        Intake.Limits limits = new Intake.Limits(s.maxFuture(), s.maxTextChars(), s.clock());
        CaseEngine engine = new CaseEngine(s.policies(), s.classifier(), s.escalation());
        GuardedTimestampExtractor timestamps = new GuardedTimestampExtractor(s.maxFuture(), s.clock());
        TopologyPlan plan = new TopologyPlan();
        var bytesIn = Serdes.ByteArray().deserializer();

        plan.source(SRC_COMPLAINTS, t.complaints().name(), Topology.AutoOffsetReset.EARLIEST, timestamps, bytesIn, bytesIn);
        plan.source(SRC_CONTACTS, t.contacts().name(), Topology.AutoOffsetReset.EARLIEST, timestamps, bytesIn, bytesIn);
        plan.source(SRC_ACKS, t.acks().name(), Topology.AutoOffsetReset.EARLIEST, timestamps, bytesIn, bytesIn);
        plan.source(SRC_TICKS, t.ticks().name(), Topology.AutoOffsetReset.LATEST, timestamps, bytesIn, bytesIn);

        plan.processor(INTAKE_COMPLAINTS, intake(CaseInput.Kind.COMPLAINT, limits, s), SRC_COMPLAINTS);
        plan.processor(INTAKE_CONTACTS, intake(CaseInput.Kind.CONTACT, limits, s), SRC_CONTACTS);
        plan.processor(INTAKE_ACKS, intake(CaseInput.Kind.ACK, limits, s), SRC_ACKS);
        plan.processor(INTAKE_TICKS, intake(null, limits, s), SRC_TICKS);

        CaseProcessor.Sinks sinks = new CaseProcessor.Sinks(GATE, SINK_L1, SINK_L2, SINK_L3, SINK_STATUS, SINK_DLQ, SINK_FACTS, SINK_COMPLIANCE);
        plan.processor(CASES, CaseProcessor.supplier(engine, s.grace(), s.punctuateEvery(), sinks, s.counters(), s.metrics(), s.stores(), s.orphanGrace(),
                s.stats().watermarkPace(), s.statusInterval(), s.clock() != null, s.inputProgress(),
                new String[] {t.complaints().name(), t.contacts().name(), t.acks().name()}, limits),
                INTAKE_COMPLAINTS, INTAKE_CONTACTS, INTAKE_ACKS, INTAKE_TICKS);
        plan.processor(GATE, EscalationGate.supplier(s.escalation(), sinks, s.metrics(), s.stores()), CASES);

        plan.sink(SINK_L1, t.l1().name(), t.l1().keySerde().serializer(), t.l1().valueSerde().serializer(), null, GATE);
        plan.sink(SINK_L2, t.l2().name(), t.l2().keySerde().serializer(), t.l2().valueSerde().serializer(), null, GATE);
        plan.sink(SINK_L3, t.l3().name(), t.l3().keySerde().serializer(), t.l3().valueSerde().serializer(), null, GATE);
        plan.sink(SINK_STATUS, t.status().name(), t.status().keySerde().serializer(), t.status().valueSerde().serializer(), null, CASES);
        plan.sink(SINK_COMPLIANCE, t.compliance().name(), t.compliance().keySerde().serializer(), t.compliance().valueSerde().serializer(),
                null, CASES);
        plan.sink(SINK_FACTS, t.facts().name(), t.facts().keySerde().serializer(), t.facts().valueSerde().serializer(),
                new FactsPartitioner(), CASES);

        plan.source(SRC_FACTS, t.facts().name(), Topology.AutoOffsetReset.EARLIEST, null, t.facts().keySerde().deserializer(),
                t.facts().valueSerde().deserializer());
        plan.processor(STATS, MerchantStatsProcessor.supplier(s.stats().grace(), s.stats().liveEvery(), s.counters(), s.stores()), SRC_FACTS);
        plan.sink(SINK_STATS, t.merchantStats().name(), t.merchantStats().keySerde().serializer(), t.merchantStats().valueSerde().serializer(),
                null, STATS);
        plan.sink(SINK_DLQ, t.deadLetters().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), null,
                INTAKE_COMPLAINTS, INTAKE_CONTACTS, INTAKE_ACKS, CASES);
        return plan;
    }

    private static ProcessorSupplier<byte[], byte[], Object, Object> intake(CaseInput.Kind kind,
            Intake.Limits limits, Settings s) {
        return () -> new Intake(kind, limits, CASES, SINK_DLQ, s.counters(), s.inputProgress());
    }
}
