package io.casewatch.peer;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per case (keyed by case id): the first-response and resolution deadlines of casewatch's DEFAULT policy, in
 * calendar time from OPENED, with one event-time timer per deadline.
 *
 * <ul>
 *   <li>{@code FIRST_RESPONSE_BREACH}: no OUTBOUND reply from AGENT or MERCHANT (nor an end of the case) at or before
 *       OPENED + first response (24 h, exact).
 *   <li>{@code RESOLUTION_BREACH}: no RESOLVED (or CLOSED / WITHDRAWN) at or before the resolution deadline: OPENED +
 *       resolution (15 days), rounded up to the next UTC midnight when {@code endOfDay} (casewatch counts "15 days" as
 *       calendar days ending at local midnight, UTC for DEFAULT), else exact (360 h).
 * </ul>
 *
 * <p>Events may reach this operator before their case's OPENED (the two topics are read independently), so replies
 * and endings seen first are kept and checked when the timers fire. Such state without OPENED is dropped once the
 * watermark passes its event (an OPENED stamped earlier would be late by then); a case's state is dropped at its
 * resolution deadline. Alerts whose deadline is after {@code cutoff} are not emitted: a bounded job's final
 * watermark fires every pending timer, which casewatch would not do at the same point of its input.
 *
 * <p>The first OPENED of each case goes to {@link #OPENED} so that merchant counts see each case once.
 */
final class BreachDetector extends KeyedProcessFunction<String, CaseEvent, Breach> {

    private static final long serialVersionUID = 1L;

    static final OutputTag<CaseEvent> OPENED = new OutputTag<>("opened", TypeInformation.of(CaseEvent.class));

    private final long firstResponseMs;
    private final long resolutionMs;
    private final boolean endOfDay;
    private final long cutoff;
    private transient ValueState<CaseState> state;
    private transient LongCounter firstResponseAlerts;
    private transient LongCounter resolutionAlerts;

    BreachDetector(long firstResponseMs, long resolutionMs, boolean endOfDay, long cutoff) {
        if (firstResponseMs <= 0 || resolutionMs <= firstResponseMs) {
            // onTimer tells the two timers apart by their time: they must differ.
            throw new IllegalArgumentException("need 0 < first response < resolution");
        }
        this.firstResponseMs = firstResponseMs;
        this.resolutionMs = resolutionMs;
        this.endOfDay = endOfDay;
        this.cutoff = cutoff;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("case", TypeInformation.of(CaseState.class)));
        firstResponseAlerts = getRuntimeContext().getLongCounter(FlinkPeerJob.ACC_FIRST_RESPONSE);
        resolutionAlerts = getRuntimeContext().getLongCounter(FlinkPeerJob.ACC_RESOLUTION);
    }

    @Override
    public void processElement(CaseEvent e, Context ctx, Collector<Breach> out) throws Exception {
        CaseState s = state.value();
        switch (e.kind()) {
            case OPENED -> {
                if (s != null && s.opened()) {
                    return; // a duplicate or a second OPENED: the first one started the clocks
                }
                CaseState now = s == null ? CaseState.openedAt(e.at()) : s.withOpenedAt(e.at());
                state.update(now);
                long firstResponseDue = e.at() + firstResponseMs;
                if (Math.min(now.firstReplyAt(), now.endedAt()) > firstResponseDue) {
                    ctx.timerService().registerEventTimeTimer(firstResponseDue);
                }
                // Always registered: it is also when the case's state goes.
                ctx.timerService().registerEventTimeTimer(resolutionDue(e.at()));
                ctx.output(OPENED, e);
            }
            case REPLY -> {
                if (s == null) {
                    state.update(CaseState.orphan().withReplyAt(e.at()));
                    ctx.timerService().registerEventTimeTimer(e.at());
                } else if (e.at() < s.firstReplyAt()) {
                    state.update(s.withReplyAt(e.at()));
                }
            }
            case ENDED -> {
                if (s == null) {
                    state.update(CaseState.orphan().withEndedAt(e.at()));
                    ctx.timerService().registerEventTimeTimer(e.at());
                } else if (e.at() < s.endedAt()) {
                    state.update(s.withEndedAt(e.at()));
                }
            }
            default -> {
                // OTHER and UNDECODABLE are filtered out before this operator.
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Breach> out) throws Exception {
        CaseState s = state.value();
        if (s == null) {
            return;
        }
        if (!s.opened()) {
            // Events of a case whose OPENED never came (opened before the topics' start, or lost): nothing to time.
            state.clear();
            return;
        }
        long firstResponseDue = s.openedAt() + firstResponseMs;
        long resolutionDue = resolutionDue(s.openedAt());
        if (timestamp == firstResponseDue && Math.min(s.firstReplyAt(), s.endedAt()) > firstResponseDue) {
            emit(new Breach(ctx.getCurrentKey(), Breach.FIRST_RESPONSE, firstResponseDue), firstResponseAlerts, out);
        } else if (timestamp == resolutionDue) {
            if (s.endedAt() > resolutionDue) {
                emit(new Breach(ctx.getCurrentKey(), Breach.RESOLUTION, resolutionDue), resolutionAlerts, out);
            }
            state.clear();
        }
        // Any other time is a cleanup timer of events seen before OPENED: the case is opened now, nothing to do.
    }

    long resolutionDue(long openedAt) {
        long raw = openedAt + resolutionMs;
        // UTC has no daylight saving: N calendar days are N x 24 h, then the rest of the last day.
        return endOfDay ? Math.floorDiv(raw + DAY - 1, DAY) * DAY : raw;
    }

    private static final long DAY = 86_400_000L;

    private void emit(Breach breach, LongCounter counter, Collector<Breach> out) {
        if (breach.deadline() <= cutoff) {
            counter.add(1);
            out.collect(breach);
        }
    }

    /**
     * A case as the peer sees it. Times are epoch millis; {@link #NOT_YET} (far future) when something has not
     * happened, {@link #UNKNOWN} when OPENED has not been seen.
     */
    public record CaseState(long openedAt, long firstReplyAt, long endedAt) {
        static final long UNKNOWN = Long.MIN_VALUE;
        static final long NOT_YET = Long.MAX_VALUE;

        static CaseState orphan() {
            return new CaseState(UNKNOWN, NOT_YET, NOT_YET);
        }

        static CaseState openedAt(long at) {
            return new CaseState(at, NOT_YET, NOT_YET);
        }

        boolean opened() {
            return openedAt != UNKNOWN;
        }

        CaseState withOpenedAt(long at) {
            return new CaseState(at, firstReplyAt, endedAt);
        }

        CaseState withReplyAt(long at) {
            return new CaseState(openedAt, at, endedAt);
        }

        CaseState withEndedAt(long at) {
            return new CaseState(openedAt, firstReplyAt, at);
        }
    }
}
