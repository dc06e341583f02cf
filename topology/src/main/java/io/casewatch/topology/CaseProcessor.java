package io.casewatch.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import io.casewatch.cases.CaseEngine;
import io.casewatch.cases.InvalidEventException;
import io.casewatch.compliance.ComplianceRecords;
import io.casewatch.schema.Alert;
import io.casewatch.schema.CaseState;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ComplianceRecord;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.Figure;
import io.casewatch.schema.internal.HeldEvent;
import io.casewatch.schema.internal.MerchantFact;
import io.casewatch.schema.serde.AvroSerde;
import io.casewatch.sla.ClockMath;
import io.casewatch.state.StoreKind;
import io.casewatch.state.TimerIndex;
import io.casewatch.stats.CaseFacts;

/**
 * Keeps the state of every case (keyed by caseId, over complaints, contacts and acks) and raises alerts.
 *
 * <p>Deadlines are kept in a timer index ordered by due time (key: due millis big-endian, then caseId), one entry
 * per case at its next due instant, so a punctuation reads only what is due. The index lives in memory: each case
 * stores its next due instant ({@code timerAt}), so the index is rebuilt from the restored store in {@code init()}
 * rather than written to a changelog of its own. Punctuation runs on stream time, which
 * casewatch's own tick records move forward when no traffic arrives (docs/time.md); a deadline fires once stream
 * time passes it by the lateness grace, so events that arrive slightly out of order are still counted.
 */
final class CaseProcessor implements Processor<String, CaseTaskInput, Object, Object> {

    private static final String POLICY_EPOCH = "policy-epoch";
    /** case-meta: the change sequence number up to which every changed case's status has been emitted. */
    private static final String STATUS_EMITTED = "status-emitted-seq";
    /** A bound on one punctuation's work so that a huge backlog of due timers cannot stall the task. */
    static final int MAX_TIMERS_PER_PUNCTUATION = 20_000;

    private final CaseEngine engine;
    private final Duration grace;
    private final Duration punctuateEvery;
    private final Sinks sinks;
    private final IntakeCounters counters;
    private final PipelineMetrics metrics;
    private final OrphanHold orphans;
    private final GateHold held = new GateHold();
    private final TextWithheld withheld;
    private final Intake.Limits limits;
    private PipelineMetrics.CaseGauges gauges = PipelineMetrics.CaseGauges.NONE;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, CaseData> cases;
    private DecodedCases decoded;
    private final int decodedCases;
    /** Each case's next due instant (key: due millis big-endian, then caseId), derived from the cases' timerAt. */
    private final TimerIndex timers = new TimerIndex();
    private KeyValueStore<String, Long> meta;
    private long lastWatermark = Long.MIN_VALUE;
    /** Wall-clock time (Kafka Streams' cached system time) of the last watermark sent, for the pace. */
    private long lastWatermarkWallMs;
    /** A watermark the pace held back (Long.MIN_VALUE: none); the wall-clock punctuation sends it. */
    private long heldWatermark = Long.MIN_VALUE;
    /** Least wall-clock time between two watermarks; zero: paced by stream time only (replay, tests). */
    private final Duration watermarkPace;
    private Long appliedPolicyEpoch;
    private int partition;
    /**
     * The latest event time of an OPENED this task has processed (in memory; from the first one after a start).
     * Orphan records expire when OPENED events have been read past their grace, not on stream time: heartbeats move
     * stream time to now in one step, and the contacts topic may be read ahead of the complaints topic while a
     * backlog is read. Only OPENED events count because a complaints partition is not in event-time order: a
     * RESOLVED forty hours after its OPENED sits next to the OPENED of the following cases, so the latest complaint
     * of any type runs far ahead of the openings still to come. OPENED events arrive in the order cases are opened,
     * which is what "no OPENED within the grace" is measured against.
     */
    private long openedTime = Long.MIN_VALUE;
    /** How far stream time moves between two watermarks sent to the merchant statistics. */
    static final long WATERMARK_EVERY_MS = 60_000L;

    /** Names of the sinks this processor forwards to. */
    record Sinks(String gate, String l1, String l2, String l3, String status, String deadLetters, String facts, String compliance) {
    }

    /** Statuses are coalesced per case over this interval; zero: one for every change. */
    private final Duration statusInterval;
    /** Whether the status interval is wall-clock time ({@code run}) or stream time (replay, tests). */
    private final boolean statusOnWallClock;
    /**
     * The latest status of each case changed since statuses were last emitted, in the order the cases first changed.
     * In memory; a restarted task finds the cases that still owe one by their {@code changeSeq} (see {@link #init}).
     */
    private final Map<String, PendingStatus> pendingStatus = new LinkedHashMap<>();
    /** The highest change sequence number a case of this task carries. */
    private long changeSeq;

    private record PendingStatus(CaseStatus status, long timestamp) {
    }

    private final InputProgress progress;
    /** The task's input topics: complaints, contacts, acks (their partition of this task's number). */
    private final String[] inputTopics;
    /**
     * Per input topic, the event time this task's partition of it is known to have moved past: its latest record's
     * time, or a heartbeat's once the heartbeat proved the partition caught up. Deadlines fire only up to the
     * least of them (when {@link InputProgress#gatesDeadlines}), so an event still unread on one partition cannot
     * miss a deadline that another partition's traffic or a heartbeat has already passed. In memory: after a start,
     * the first heartbeats prove them again.
     */
    private final long[] inputTime;
    /** The timestamp of the latest record of the task's inputs processed here (in memory). */
    private long lastChosen = Long.MIN_VALUE;

    CaseProcessor(CaseEngine engine, Duration grace, Duration punctuateEvery, Sinks sinks, IntakeCounters counters, PipelineMetrics metrics,
            Duration orphanGrace, int decodedCases, Duration watermarkPace, Duration statusInterval, boolean statusOnWallClock,
            InputProgress progress, String[] inputTopics, Intake.Limits limits) {
        this.progress = progress;
        this.limits = limits;
        this.inputTopics = inputTopics.clone();
        this.inputTime = new long[inputTopics.length];
        this.statusInterval = statusInterval;
        this.statusOnWallClock = statusOnWallClock;
        this.metrics = metrics;
        this.watermarkPace = watermarkPace;
        this.decodedCases = decodedCases;
        this.orphans = new OrphanHold(orphanGrace, sinks.deadLetters(), counters);
        this.engine = engine;
        this.withheld = new TextWithheld(engine);
        this.grace = grace;
        this.punctuateEvery = punctuateEvery;
        this.sinks = sinks;
        this.counters = counters;
    }

    static ProcessorSupplier<String, CaseTaskInput, Object, Object> supplier(CaseEngine engine, Duration grace, Duration punctuateEvery,
            Sinks sinks, IntakeCounters counters, PipelineMetrics metrics, StoreKind stores, Duration orphanGrace, Duration watermarkPace,
            Duration statusInterval, boolean statusOnWallClock, InputProgress progress, String[] inputTopics, Intake.Limits limits) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, CaseTaskInput, Object, Object> get() {
                return new CaseProcessor(engine, grace, punctuateEvery, sinks, counters, metrics, orphanGrace, stores.decodedCases(),
                        watermarkPace, statusInterval, statusOnWallClock, progress, inputTopics, limits);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        stores.keyValue(Names.CASE_STORE, Serdes.String(), new AvroSerde<>(CaseData.class)),
                        stores.keyValue(Names.CASE_META, Serdes.String(), Serdes.Long()),
                        OrphanHold.storeBuilder(stores),
                        GateHold.storeBuilder(stores));
            }
        };
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.cases = context.getStateStore(Names.CASE_STORE);
        this.decoded = new DecodedCases(cases, decodedCases);
        this.meta = context.getStateStore(Names.CASE_META);
        this.partition = context.taskId().partition();
        // Kafka Streams re-initialises the same instance when it revives a task (e.g. after an aborted transaction),
        // with its stores rolled back: nothing kept in memory may outlive that.
        this.appliedPolicyEpoch = null;
        this.lastWatermark = Long.MIN_VALUE;
        this.heldWatermark = Long.MIN_VALUE;
        Arrays.fill(inputTime, Long.MIN_VALUE);
        lastChosen = Long.MIN_VALUE;
        for (String topic : inputTopics) {
            progress.started(topic, partition);
        }
        orphans.init(context);
        held.init(context);
        context.schedule(punctuateEvery, PunctuationType.STREAM_TIME, this::fireDueTimers);
        if (!watermarkPace.isZero()) {
            context.schedule(watermarkPace, PunctuationType.WALL_CLOCK_TIME, this::sendHeldWatermark);
        }
        if (!statusInterval.isZero()) {
            context.schedule(statusInterval, statusOnWallClock ? PunctuationType.WALL_CLOCK_TIME : PunctuationType.STREAM_TIME,
                    t -> emitPendingStatuses());
        }
        gauges = metrics.caseGauges(context.taskId().toString());
        rebuildFromStore(metrics != PipelineMetrics.NONE);
    }

    /**
     * From the restored cases, in one pass when the task starts here: the timer index (each case stores its next due
     * instant), the statuses still owed (cases changed after the last ones emitted), and the gauges from each open
     * case as of its last change.
     */
    private void rebuildFromStore(boolean gaugesToo) {
        timers.clear();
        pendingStatus.clear();
        changeSeq = 0L;
        Long stored = meta.get(STATUS_EMITTED);
        long emitted = stored == null ? 0L : stored;
        try (KeyValueIterator<String, CaseData> it = cases.all()) {
            while (it.hasNext()) {
                CaseData c = it.next().value;
                if (c.getTimerAt() != null) {
                    timers.add(timerKey(c.getTimerAt(), c.getCaseId()));
                }
                changeSeq = Math.max(changeSeq, c.getChangeSeq());
                boolean owesStatus = c.getChangeSeq() > emitted;
                boolean open = c.getState() == CaseState.OPEN || c.getState() == CaseState.AWAITING_CUSTOMER;
                if (owesStatus || gaugesToo && open) {
                    CaseStatus status = engine.settle(c, c.getUpdatedAt(), c.getUpdatedAt()).status();
                    if (owesStatus) {
                        // Changed after the last statuses were emitted, before a crash or a rebalance: still owed.
                        pendingStatus.put(c.getCaseId(), new PendingStatus(status, c.getUpdatedAt()));
                    }
                    if (gaugesToo && open) {
                        gauges.update(status);
                    }
                }
            }
        }
    }

    /** The latest status of every case changed since the last time, one each, in the transaction that commits next. */
    private void emitPendingStatuses() {
        if (pendingStatus.isEmpty()) {
            return;
        }
        for (Map.Entry<String, PendingStatus> e : pendingStatus.entrySet()) {
            context.forward(new Record<Object, Object>(e.getKey(), e.getValue().status(),
                    e.getValue().timestamp()), sinks.status());
        }
        pendingStatus.clear();
        meta.put(STATUS_EMITTED, changeSeq);
    }

    private void publishStatus(CaseData c, CaseStatus status, long timestamp) {
        if (statusInterval.isZero()) {
            context.forward(new Record<Object, Object>(c.getCaseId(), status, timestamp), sinks.status());
            return;
        }
        c.setChangeSeq(++changeSeq);
        pendingStatus.put(c.getCaseId(), new PendingStatus(status, timestamp));
    }

    @Override
    public void close() {
        gauges.close();
    }

    @Override
    public void process(Record<String, CaseTaskInput> record) {
        lastChosen = record.timestamp();
        if (record.value() instanceof Heartbeat h) {
            onHeartbeat(h);
            return;
        }
        if (record.value() == CaseTaskInput.EndOfInput.INSTANCE) {
            emitPendingStatuses();
            return;
        }
        CaseInput in = (CaseInput) record.value();
        noteInputTime(in.source().topic(), record.timestamp());
        String caseId = record.key();
        if (progress.gatesDeadlines() && mustWait(caseId, in)) {
            held.hold(caseId, withheld.keep(in));
            metrics.eventWaited();
            return;
        }
        apply(caseId, in);
    }

    /**
     * Whether the event must wait for the gate ({@link GateHold}): events of its case already wait, or
     * {@link #waits} says so. A case that has kept {@link GateHold#MAX_EVENTS} waiting gets them applied now, in their
     * order, as an ungated deployment would.
     */
    private boolean mustWait(String caseId, CaseInput in) {
        if (held.holds(caseId)) {
            if (!held.full(caseId)) {
                return true;
            }
            applyHeld(caseId, Long.MAX_VALUE);
            return false;
        }
        return waits(decoded.get(caseId), in.occurredAt(), eventsFirableUpTo(context.currentStreamTimeMs()));
    }

    /**
     * Whether an event at {@code at} of case {@code c} (null: not stored yet) must wait, deadlines being firable up to
     * {@code firable}: an input partition of the task is not proven to within the grace of the event's time, so an
     * earlier event of the case may still be unread there (a failover, a partition read behind the others); or
     * applying it would first fire a clock of the case that not every partition is proven past. Nothing can be
     * proven beyond the deployment's clock: an event stamped ahead of it (a producer whose clock is fast) waits only
     * until the partitions are proven to "now", then is judged on the time it carries (docs/reliability.md).
     */
    private boolean waits(CaseData c, long at, long firable) {
        long provable = Math.min(at, limits.clock() == null ? Long.MAX_VALUE : limits.clock().millis()) - grace.toMillis();
        if (firable == Long.MIN_VALUE || provable > firable + grace.toMillis()) {
            return true;
        }
        if (c == null || !c.getOpened() || c.getTimerAt() == null) {
            return false;
        }
        long due = c.getTimerAt();
        return due <= provable && due > firable;
    }

    /**
     * Applies the case's waiting events, earliest first, while the gate (deadlines firable up to {@code firable})
     * lets the next one go; {@link Long#MAX_VALUE}: all of them.
     */
    private void applyHeld(String caseId, long firable) {
        Long next;
        while ((next = held.firstAt(caseId)) != null) {
            if (firable != Long.MAX_VALUE && waits(decoded.get(caseId), next, firable)) {
                return;
            }
            HeldEvent kept = held.takeFirst(caseId);
            CaseInput.Source s = PendingRecords.source(kept.getRecord());
            CaseInput in;
            try {
                in = TextWithheld.restore(Intake.decode(kindOf(s.topic()), limits, s), kept.getText());
            } catch (InvalidEventException e) {
                // It decoded when it was read; only a changed limit could refuse it now.
                Intake.deadLetter(context, sinks.deadLetters(), counters, s, e.reason(), e.getMessage());
                continue;
            }
            apply(caseId, in);
        }
    }

    private CaseInput.Kind kindOf(String topic) {
        if (topic.equals(inputTopics[0])) {
            return CaseInput.Kind.COMPLAINT;
        }
        return topic.equals(inputTopics[1]) ? CaseInput.Kind.CONTACT : CaseInput.Kind.ACK;
    }

    private void apply(String caseId, CaseInput in) {
        if (isOpening(in)) {
            openedTime = Math.max(openedTime, in.occurredAt());
        }
        CaseData stored = decoded.get(caseId);
        CaseData c = stored == null ? CaseEngine.newCase(caseId, in.occurredAt()) : stored;
        if (!engine.markSeen(c, in.eventId())) {
            onDuplicate(c, in);
            return;
        }
        boolean wasOpened = stored != null && stored.getOpened();
        if (!wasOpened && !isOpening(in) && !orphans.fits(caseId, in.source())) {
            orphans.rejectOverflow(caseId, in.source());
            return;
        }
        CaseState before = stored == null ? null : c.getState();
        List<Alert> alerts = new ArrayList<>();
        int holdingBefore = c.getHolding();
        // The case's own clocks up to this event's time, before it is applied. When deadlines are gated, an event
        // that would fire one the gate has not passed has waited for it (mustWait); otherwise the engine relies on
        // Kafka Streams' time-aligned reading of the task's partitions (max.task.idle.ms), as replay does.
        long firedUpTo = in.occurredAt() - grace.toMillis();
        try {
            alerts.addAll(engine.advance(c, firedUpTo));
            alerts.addAll(switch (in.kind()) {
                case COMPLAINT -> engine.onComplaint(c, (ComplaintEvent) in.event());
                case CONTACT -> engine.onContact(c, (ContactEvent) in.event(), in.textTruncated(), in.reading());
                case ACK -> {
                    if (stored == null) {
                        throw new InvalidEventException(InvalidEventException.Reason.UNKNOWN_ALERT, "ack for unknown case " + caseId);
                    }
                    yield engine.onAck(c, (EscalationAck) in.event());
                }
            });
        } catch (InvalidEventException e) {
            Intake.deadLetter(context, sinks.deadLetters(), counters, in.source(), e.reason(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            // A defect must not stop every other case: the record is kept in the dead-letter topic for a replay.
            Intake.deadLetter(context, sinks.deadLetters(), counters, in.source(), InvalidEventException.Reason.PROCESSING_ERROR,
                    e.getClass().getSimpleName() + " at " + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?"));
            return;
        }
        if (!c.getOpened()) {
            // Not a case yet: kept as read, dead-lettered as ORPHAN_CONTACT unless an OPENED comes in time.
            orphans.hold(caseId, Math.max(c.getFirstSeenAt(), openedTime), in.source());
        }
        // Applied: counted on the case itself, so that its status accounts for the record (docs/reliability.md,
        // Accounting) in the same transaction as everything else the record caused, once however often it is retried.
        c.setEventsApplied(c.getEventsApplied() + 1);
        metrics.holdingReplies(c.getHolding() - holdingBefore);
        emit(alerts);
        // As of the event, not of the task's stream time: other cases move that, and a case's status must not depend on
        // which cases share its partition.
        CaseEngine.Settled settled = save(c, firedUpTo, in.occurredAt(), alerts);
        if (in.kind() == CaseInput.Kind.COMPLAINT && c.getState() != before && isTerminal(c.getState())) {
            ComplianceRecord r = ComplianceRecords.of(c, settled.policy(), settled.calendar(),
                    engine.clocksAtTerminal(c, in.occurredAt()), c.getState().name(), in.occurredAt());
            context.forward(new Record<Object, Object>(c.getCaseId(), r, in.occurredAt()),
                    sinks.compliance());
        }
        // Counted last: an exception escaping above (a defect) is dead-lettered by the processing exception
        // handler and counted there, so a record is never counted both ways.
        if (c.getOpened()) {
            if (!wasOpened) {
                orphans.release(caseId);
            }
            counters.processed(in.source().topic(), in.source().partition());
        }
    }

    /**
     * A record whose eventId the case has already applied changes nothing but the case's count of duplicates, which
     * its status publishes: the record is accounted for in the outputs, not only in an in-memory counter. A duplicate
     * for a case not opened yet waits with the case's other records (dead-lettered with them if no OPENED comes), so
     * that a case that never opens leaves every one of its records in the dead-letter topic.
     */
    private void onDuplicate(CaseData c, CaseInput in) {
        counters.duplicate();
        if (!c.getOpened()) {
            if (!orphans.fits(c.getCaseId(), in.source())) {
                orphans.rejectOverflow(c.getCaseId(), in.source());
                return;
            }
            orphans.hold(c.getCaseId(), Math.max(c.getFirstSeenAt(), openedTime), in.source());
            c.setDuplicatesIgnored(c.getDuplicatesIgnored() + 1);
            decoded.put(c);
            return;
        }
        c.setDuplicatesIgnored(c.getDuplicatesIgnored() + 1);
        // The status only: the case's clocks, timer and merchant facts are as the last applied record left them.
        long now = Math.max(context.currentStreamTimeMs(), in.occurredAt());
        publishStatus(c, engine.settle(c, c.getUpdatedAt(), now).status(), now);
        decoded.put(c);
        counters.processed(in.source().topic(), in.source().partition());
    }

    private static boolean isOpening(CaseInput in) {
        return in.event() instanceof ComplaintEvent e && e.getType() == ComplaintEventType.OPENED;
    }

    private static boolean isTerminal(CaseState s) {
        return s == CaseState.RESOLVED || s == CaseState.CLOSED || s == CaseState.WITHDRAWN;
    }

    /** Fires every case whose next due instant stream time has passed by the grace. */
    void fireDueTimers(long streamTime) {
        long started = System.nanoTime();
        fireDueTimersAt(streamTime);
        metrics.punctuation(System.nanoTime() - started);
    }

    private void fireDueTimersAt(long streamTime) {
        // Waiting events first: a case's clocks that fall due after one of its events must see it applied. The cases
        // whose earliest event the gate may let go (see waits): stamped within twice the grace of what is firable,
        // or any, once the partitions are proven to within that of the deployment's clock.
        long eventsUpTo = held.isEmpty() ? Long.MIN_VALUE : eventsFirableUpTo(streamTime);
        if (eventsUpTo != Long.MIN_VALUE) {
            long near = eventsUpTo + 2 * grace.toMillis();
            boolean nowProven = limits.clock() != null && limits.clock().millis() <= near;
            for (String caseId : held.dueBy(nowProven ? Long.MAX_VALUE : near)) {
                applyHeld(caseId, eventsUpTo);
            }
        }
        long now = firedUpTo(streamTime);
        if (now == Long.MIN_VALUE) {
            return;
        }
        reindexOnPolicyChange(now, streamTime);
        List<Bytes> due = timers.dueBy(now, MAX_TIMERS_PER_PUNCTUATION);
        for (Bytes key : due) {
            String caseId = caseIdOf(key);
            CaseData c = decoded.get(caseId);
            if (c != null && !c.getOpened()) {
                if (openedTime >= orphans.dueAt(caseId, c.getFirstSeenAt())) {
                    timers.remove(key);
                    orphans.expire(caseId, streamTime);
                    decoded.delete(caseId);
                }
                // Otherwise the OPENED events are not read that far yet: the entry stays and is looked at again at
                // every punctuation until they are, or until the OPENED moves it.
                continue;
            }
            timers.remove(key);
            if (c == null) {
                continue;
            }
            // Point by point, each looked at as of the instant it fell due: how many fall due between two looks, and
            // when the look comes, depend on the other cases of the task; the alerts and the status must not.
            long at = Math.min(TimerIndex.dueOf(key), now);
            while (true) {
                c.setTimerAt(null);
                List<Alert> alerts = engine.advance(c, at);
                emit(alerts);
                save(c, at, at, alerts);
                Long next = c.getTimerAt();
                if (next == null || next > now || next <= at || !c.getOpened()) {
                    break;
                }
                timers.remove(timerKey(next, caseId));
                at = next;
            }
        }
        sendWatermark(now);
        context.forward(new Record<Object, Object>(null, new GateInput.Time(now), Math.max(0L, now)),
                sinks.gate());
    }

    /**
     * How far deadlines may fire by time passing, given stream time {@code t}: {@code t} less the grace, and, when
     * deadlines are gated, no further than every input partition is known to have got; {@link Long#MIN_VALUE} while
     * one is not known yet.
     */
    private long firedUpTo(long t) {
        long upTo = t;
        if (progress.gatesDeadlines()) {
            for (long i : inputTime) {
                upTo = Math.min(upTo, i);
            }
        }
        return upTo == Long.MIN_VALUE ? Long.MIN_VALUE : upTo - grace.toMillis();
    }

    /**
     * {@link #firedUpTo} for an event's own step, where a heartbeat proves a partition as soon as a poll returned it
     * ({@link #provenTime}), and a partition with records buffered is in step with the latest record the task chose.
     * What holds an event back is a partition with nothing buffered and nothing proven: one that lags (after a
     * failover, a fetch behind the others). Deadlines fired by time passing keep the strict gate.
     */
    private long eventsFirableUpTo(long t) {
        long upTo = t;
        for (int i = 0; i < inputTopics.length; i++) {
            // A partition with records still buffered: Kafka Streams chose the latest record over its next one, which
            // is stamped no earlier (its choice goes by the heads' timestamps).
            upTo = Math.min(upTo, progress.buffered(inputTopics[i], partition) ? Math.max(provenTime(i), lastChosen) : provenTime(i));
        }
        return upTo == Long.MIN_VALUE ? Long.MIN_VALUE : upTo - grace.toMillis();
    }

    /**
     * How far input partition {@code i} is known to have got for an event's own step: its records, or a heartbeat's
     * proof, taken as soon as a poll returned the heartbeat. Deadlines fired by time passing count only heartbeats
     * the task has read in time order: while a backlog is read they wait for it, and fire in bulk when it is done,
     * which costs far fewer writes (firing them as the backlog is read: 3.56 records per event against 3.01 and
     * half again the stream thread's CPU, docs/benchmarks.md).
     */
    private long provenTime(int i) {
        return Math.max(inputTime[i], progress.provenAtPoll(inputTopics[i], partition));
    }

    private void noteInputTime(String topic, long timestamp) {
        for (int i = 0; i < inputTopics.length; i++) {
            if (inputTopics[i].equals(topic)) {
                inputTime[i] = Math.max(inputTime[i], timestamp);
                return;
            }
        }
    }

    /**
     * A heartbeat moves each input partition it proves caught up to the heartbeat's time, and what that makes due
     * fires at once rather than at the next punctuation.
     */
    private void onHeartbeat(Heartbeat h) {
        boolean moved = false;
        for (int i = 0; i < inputTopics.length; i++) {
            Long end = h.endOffsets().get(inputTopics[i]);
            if (end != null && h.at() > inputTime[i] && progress.caughtUp(inputTopics[i], partition, end)) {
                inputTime[i] = h.at();
                moved = true;
            }
        }
        if (moved) {
            fireDueTimers(Math.max(context.currentStreamTimeMs(), h.at()));
        }
    }

    /**
     * Tells every partition of the merchant statistics how far this task has got, so their windows can close
     * even where a merchant has no traffic.
     */
    private void sendWatermark(long now) {
        if (lastWatermark != Long.MIN_VALUE && now - lastWatermark < WATERMARK_EVERY_MS) {
            return;
        }
        // Each watermark is a record to every statistics partition. Reading a backlog, stream time runs through a
        // minute with every few events: unpaced, watermarks would outnumber the events several times over.
        if (!watermarkPace.isZero() && lastWatermark != Long.MIN_VALUE
                && context.currentSystemTimeMs() - lastWatermarkWallMs < watermarkPace.toMillis()) {
            heldWatermark = now;
            return;
        }
        forwardWatermark(now);
    }

    /** Wall-clock punctuation: the latest watermark the pace held back, so a quiet stream still closes its windows. */
    private void sendHeldWatermark(long wallTime) {
        if (heldWatermark != Long.MIN_VALUE && heldWatermark > lastWatermark) {
            forwardWatermark(heldWatermark);
        }
    }

    private void forwardWatermark(long now) {
        lastWatermark = now;
        lastWatermarkWallMs = context.currentSystemTimeMs();
        heldWatermark = Long.MIN_VALUE;
        MerchantFact w = new MerchantFact(null, Figure.WATERMARK, now, 0, null, null, "UTC", partition);
        context.forward(new Record<Object, Object>(FactsPartitioner.WATERMARK_KEY, w,
                context.currentStreamTimeMs()), sinks.facts());
    }

    /**
     * When a policy version takes effect, every case is looked at under it: what the new version makes due is fired
     * now, and the next due instant is recomputed.
     */
    private void reindexOnPolicyChange(long now, long streamTime) {
        if (appliedPolicyEpoch == null) {
            Long stored = meta.get(POLICY_EPOCH);
            appliedPolicyEpoch = stored == null ? Long.MIN_VALUE : stored;
        }
        Long applied = appliedPolicyEpoch == Long.MIN_VALUE ? null : appliedPolicyEpoch;
        long latest = Long.MIN_VALUE;
        for (long t : engine.policies().changeTimes()) {
            if (t <= now) {
                latest = t;
            }
        }
        if (latest == Long.MIN_VALUE || (applied != null && applied >= latest)) {
            return;
        }
        List<KeyValue<String, CaseData>> all = new ArrayList<>();
        try (KeyValueIterator<String, CaseData> it = cases.all()) {
            while (it.hasNext()) {
                all.add(it.next());
            }
        }
        for (KeyValue<String, CaseData> kv : all) {
            List<Alert> alerts = engine.advance(kv.value, now);
            emit(alerts);
            save(kv.value, now, streamTime, alerts);
        }
        meta.put(POLICY_EPOCH, latest);
        appliedPolicyEpoch = latest;
    }

    /**
     * Stores the case, moves its timer entry and publishes its status.
     *
     * @param firedUpTo how far {@link CaseEngine#advance} has fired this case: anything due later needs a timer, even
     *                  when it lies within the grace before {@code now}
     */
    private CaseEngine.Settled save(CaseData c, long firedUpTo, long now, List<Alert> alerts) {
        CaseEngine.Settled settled = engine.settle(c, firedUpTo, now);
        if (!c.getOpened()) {
            // Not a case until OPENED: no status for dashboards, no gauges, no facts; only the orphan deadline.
            reschedule(c, orphans.dueAt(c.getCaseId(), c.getFirstSeenAt()));
            decoded.put(c);
            return settled;
        }
        reschedule(c, settled.nextDue());
        List<MerchantFact> facts = CaseFacts.of(c, settled.views(), alerts, firedUpTo, engine.policies().merchantZone(c.getMerchantId()));
        publishStatus(c, settled.status(), now);
        decoded.put(c);
        gauges.update(settled.status());
        for (MerchantFact f : facts) {
            context.forward(new Record<Object, Object>(f.getMerchantId(), f, now), sinks.facts());
        }
        return settled;
    }

    private void reschedule(CaseData c, long next) {
        Long current = c.getTimerAt();
        if (current != null && current == next) {
            return;
        }
        if (current != null) {
            timers.remove(timerKey(current, c.getCaseId()));
        }
        if (next == ClockMath.NEVER) {
            c.setTimerAt(null);
        } else {
            timers.add(timerKey(next, c.getCaseId()));
            c.setTimerAt(next);
        }
    }

    private void emit(List<Alert> alerts) {
        for (Alert a : alerts) {
            context.forward(new Record<Object, Object>(a.getCaseId(), new GateInput.Raised(a),
                    a.getDetectedAt().toEpochMilli()), sinks.gate());
        }
    }

    static Bytes timerKey(long due, String caseId) {
        return TimerIndex.key(due, caseId.getBytes(StandardCharsets.UTF_8));
    }

    static String caseIdOf(Bytes timerKey) {
        byte[] k = timerKey.get();
        return new String(k, 8, k.length - 8, StandardCharsets.UTF_8);
    }
}
