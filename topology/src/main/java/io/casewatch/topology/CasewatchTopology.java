package io.casewatch.topology;

import java.time.Duration;
import java.util.Objects;

import org.apache.kafka.streams.Topology;

import io.casewatch.escalation.EscalationRules;
import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.policy.PolicySet;
import io.casewatch.state.StoreKind;

/**
 * Builds the casewatch topology from plain values: its configuration ({@link Settings}: topic names, policies, the
 * classifier, time settings) and what it runs against ({@link TopologyRuntime}: live or a replay, counters, metrics).
 * No configuration loading, no clients, no I/O: the same builder serves {@code run}, {@code demo}, {@code replay} and
 * the tests.
 */
public final class CasewatchTopology {

    /**
     * @param grace          how late (in event time) an event may arrive and still count before a deadline fires
     * @param punctuateEvery how often, in stream time, due deadlines are checked
     * @param maxFuture      how far ahead of {@code clock} an event may be stamped before it is dead-lettered
     * @param maxTextChars   longest contact text accepted
     * @param statusInterval statuses coalesced per case over this interval (wall clock live, stream time in a
     *                       replay); zero: every change
     */
    public record Settings(Topics topics, PolicySet policies, HoldingReplyClassifier classifier, Duration grace,
            Duration punctuateEvery, Duration maxFuture, int maxTextChars, EscalationRules escalation, StatsSettings stats,
            StoreKind stores, Duration orphanGrace, Duration statusInterval) {
        /** Default of {@link #orphanGrace}: how long records of a case wait for its OPENED before they are dead-lettered. */
        public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofHours(1);
        /**
         * What {@code run} coalesces a case's statuses over unless configured (SPEC section 6: "about a second"). The
         * topology's own default is zero, a status for every change, which replay and the tests keep.
         */
        public static final Duration DEFAULT_RUN_STATUS_INTERVAL = Duration.ofSeconds(1);

        public Settings {
            Objects.requireNonNull(statusInterval);
            if (statusInterval.isNegative()) {
                throw new IllegalArgumentException("status interval must not be negative");
            }
            Objects.requireNonNull(orphanGrace);
            if (orphanGrace.isZero() || orphanGrace.isNegative()) {
                throw new IllegalArgumentException("orphan grace must be positive");
            }
            Objects.requireNonNull(topics);
            Objects.requireNonNull(policies);
            Objects.requireNonNull(classifier);
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

        public Settings withGrace(Duration g) {
            return toBuilder().grace(g).build();
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

        public Settings withStatusInterval(Duration i) {
            return toBuilder().statusInterval(i).build();
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
            private EscalationRules escalation = EscalationRules.DEFAULT;
            private StatsSettings stats = StatsSettings.DEFAULT;
            private StoreKind stores = StoreKind.DURABLE;
            private Duration orphanGrace = DEFAULT_ORPHAN_GRACE;
            private Duration statusInterval = Duration.ZERO;

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
                escalation = s.escalation;
                stats = s.stats;
                stores = s.stores;
                orphanGrace = s.orphanGrace;
                statusInterval = s.statusInterval;
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

            public Builder escalation(EscalationRules v) {
                escalation = v;
                return this;
            }

            public Builder stats(StatsSettings v) {
                stats = v;
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

            public Settings build() {
                return new Settings(topics, policies, classifier, grace, punctuateEvery, maxFuture, maxTextChars, escalation, stats,
                        stores, orphanGrace, statusInterval);
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

    /**
     * The topology {@code config} describes, running against {@code runtime}: the cases sub-topology
     * ({@link CaseSubTopology}) and the merchant statistics ({@link MerchantStatsSubTopology}).
     */
    public static Topology build(Settings config, TopologyRuntime runtime) {
        return plan(config, runtime).toTopology();
    }

    /** The topology as plain data, for {@link #build} and for runners that execute it without Kafka Streams' runtime. */
    public static TopologyPlan plan(Settings config, TopologyRuntime runtime) {
        TopologyPlan plan = new TopologyPlan();
        CaseSubTopology.addTo(plan, config, runtime);
        MerchantStatsSubTopology.addTo(plan, config, runtime);
        return plan;
    }
}
