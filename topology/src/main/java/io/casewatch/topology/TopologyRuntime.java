package io.casewatch.topology;

import java.time.Clock;
import java.util.Objects;

/**
 * What the topology runs against, as opposed to what it is configured to do ({@link CasewatchTopology.Settings}):
 * whether it is live or a replay, the deployment's clock (live only), the counters and metrics it reports to, and
 * how it learns that its input partitions are caught up. The value is immutable; the counters it carries are not,
 * which is why they are here and not in the configuration.
 */
public final class TopologyRuntime {

    /** How the topology relates to the wall clock. */
    public enum Mode {
        /**
         * {@code run} and {@code demo}: the deployment's clock bounds how far ahead an event may be stamped, and
         * coalesced statuses and held watermarks go out on wall-clock time.
         */
        LIVE,
        /**
         * {@code replay} and the stream-time tests: the input is the only time there is, nothing reads a wall clock,
         * and the output is a function of the input alone.
         */
        REPLAY
    }

    private final Mode mode;
    private final Clock clock;
    private final IntakeCounters counters;
    private final PipelineMetrics metrics;
    private final InputProgress inputProgress;

    private TopologyRuntime(Mode mode, Clock clock, IntakeCounters counters, PipelineMetrics metrics, InputProgress inputProgress) {
        this.mode = mode;
        this.clock = clock;
        this.counters = Objects.requireNonNull(counters, "counters");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.inputProgress = Objects.requireNonNull(inputProgress, "inputProgress");
    }

    /** Live on {@code clock}, with fresh counters, no metrics and deadlines on stream time until told otherwise. */
    public static TopologyRuntime live(Clock clock) {
        return new TopologyRuntime(Mode.LIVE, Objects.requireNonNull(clock, "clock"), new IntakeCounters(), PipelineMetrics.NONE,
                InputProgress.STREAM_TIME);
    }

    /** A replay: no wall clock, fresh counters, no metrics, deadlines on stream time. */
    public static TopologyRuntime replay() {
        return new TopologyRuntime(Mode.REPLAY, null, new IntakeCounters(), PipelineMetrics.NONE, InputProgress.STREAM_TIME);
    }

    public TopologyRuntime withCounters(IntakeCounters c) {
        return new TopologyRuntime(mode, clock, c, metrics, inputProgress);
    }

    public TopologyRuntime withMetrics(PipelineMetrics m) {
        return new TopologyRuntime(mode, clock, counters, m, inputProgress);
    }

    /** How deadlines learn that every input partition has moved past them ({@link InputProgress#STREAM_TIME}: they do not ask). */
    public TopologyRuntime withInputProgress(InputProgress p) {
        return new TopologyRuntime(mode, clock, counters, metrics, p);
    }

    public Mode mode() {
        return mode;
    }

    public boolean live() {
        return mode == Mode.LIVE;
    }

    /** The deployment's clock; a replay has none. */
    public Clock clock() {
        if (clock == null) {
            throw new IllegalStateException("a replay reads no wall clock");
        }
        return clock;
    }

    public IntakeCounters counters() {
        return counters;
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public InputProgress inputProgress() {
        return inputProgress;
    }

    /** For the processors, which bound event times by the clock when there is one. */
    Clock clockOrNull() {
        return clock;
    }
}
