package io.casewatch.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private final WatermarkPacer watermarks;
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
    /** Names of the sinks this processor forwards to. */
    record Sinks(String gate, String l1, String l2, String l3, String status, String deadLetters, String facts, String compliance) {
    }

    private final StatusCoalescer statuses;
    /** Whether the status interval is wall-clock time ({@code run}) or stream time (replay, tests). */
    private final boolean statusOnWallClock;

    /** The task's input topics: complaints, contacts, acks (their partition of this task's number). */
    private final String[] inputTopics;
    private final InputPartitionGate gate;

    CaseProcessor(CaseEngine engine, Duration grace, Duration punctuateEvery, Sinks sinks, IntakeCounters counters, PipelineMetrics metrics,
            Duration orphanGrace, int decodedCases, Duration watermarkPace, Duration statusInterval, boolean statusOnWallClock,
            InputProgress progress, String[] inputTopics, Intake.Limits limits) {
        this.limits = limits;
        this.inputTopics = inputTopics.clone();
        this.gate = new InputPartitionGate(progress, inputTopics, grace);
        this.statuses = new StatusCoalescer(statusInterval);
        this.statusOnWallClock = statusOnWallClock;
        this.metrics = metrics;
        this.watermarks = new WatermarkPacer(watermarkPace);
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
        watermarks.reset();
        gate.start(partition);
        orphans.init(context);
        held.init(context);
        context.schedule(punctuateEvery, PunctuationType.STREAM_TIME, this::fireDueTimers);
        if (watermarks.paced()) {
            context.schedule(watermarks.pace(), PunctuationType.WALL_CLOCK_TIME, this::sendHeldWatermark);
        }
        if (statuses.coalesces()) {
            context.schedule(statuses.interval(), statusOnWallClock ? PunctuationType.WALL_CLOCK_TIME : PunctuationType.STREAM_TIME,
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
        statuses.clear();
        Long stored = meta.get(STATUS_EMITTED);
        long emitted = stored == null ? 0L : stored;
        try (KeyValueIterator<String, CaseData> it = cases.all()) {
            while (it.hasNext()) {
                CaseData c = it.next().value;
                if (c.getTimerAt() != null) {
                    timers.add(timerKey(c.getTimerAt(), c.getCaseId()));
                }
                statuses.restored(c.getChangeSeq());
                boolean owesStatus = c.getChangeSeq() > emitted;
                boolean open = c.getState() == CaseState.OPEN || c.getState() == CaseState.AWAITING_CUSTOMER;
                if (owesStatus || gaugesToo && open) {
                    CaseStatus status = engine.settle(c, c.getUpdatedAt(), c.getUpdatedAt()).status();
                    if (owesStatus) {
                        // Changed after the last statuses were emitted, before a crash or a rebalance: still owed.
                        statuses.owe(c.getCaseId(), status, c.getUpdatedAt());
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
        if (statuses.isEmpty()) {
            return;
        }
        for (StatusCoalescer.Pending p : statuses.drain()) {
            context.forward(new Record<Object, Object>(p.caseId(), p.status(), p.timestamp()), sinks.status());
        }
        meta.put(STATUS_EMITTED, statuses.changeSeq());
    }

    private void publishStatus(CaseData c, CaseStatus status, long timestamp) {
        if (!statuses.coalesces()) {
            context.forward(new Record<Object, Object>(c.getCaseId(), status, timestamp), sinks.status());
            return;
        }
        c.setChangeSeq(statuses.changed(c.getCaseId(), status, timestamp));
    }

    @Override
    public void close() {
        gauges.close();
    }

    @Override
    public void process(Record<String, CaseTaskInput> record) {
        gate.chosen(record.timestamp());
        if (record.value() instanceof Heartbeat h) {
            onHeartbeat(h);
            return;
        }
        if (record.value() == CaseTaskInput.EndOfInput.INSTANCE) {
            emitPendingStatuses();
            return;
        }
        CaseInput in = (CaseInput) record.value();
        gate.read(in.source().topic(), record.timestamp());
        String caseId = record.key();
        if (gate.gates() && mustWait(caseId, in)) {
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
        return waits(decoded.get(caseId), in.occurredAt(), gate.eventsFirableUpTo(context.currentStreamTimeMs()));
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
        long eventsUpTo = held.isEmpty() ? Long.MIN_VALUE : gate.eventsFirableUpTo(streamTime);
        if (eventsUpTo != Long.MIN_VALUE) {
            long near = eventsUpTo + 2 * grace.toMillis();
            boolean nowProven = limits.clock() != null && limits.clock().millis() <= near;
            for (String caseId : held.dueBy(nowProven ? Long.MAX_VALUE : near)) {
                applyHeld(caseId, eventsUpTo);
            }
        }
        long now = gate.firedUpTo(streamTime);
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
     * A heartbeat moves each input partition it proves caught up to the heartbeat's time, and what that makes due
     * fires at once rather than at the next punctuation.
     */
    private void onHeartbeat(Heartbeat h) {
        if (gate.onHeartbeat(h)) {
            fireDueTimers(Math.max(context.currentStreamTimeMs(), h.at()));
        }
    }

    /**
     * Tells every partition of the merchant statistics how far this task has got, so their windows can close
     * even where a merchant has no traffic.
     */
    private void sendWatermark(long now) {
        long w = watermarks.onTime(now, context.currentSystemTimeMs());
        if (w != WatermarkPacer.NONE) {
            forwardWatermark(w);
        }
    }

    /** Wall-clock punctuation: the latest watermark the pace held back, so a quiet stream still closes its windows. */
    private void sendHeldWatermark(long wallTime) {
        long w = watermarks.onWallClock();
        if (w != WatermarkPacer.NONE) {
            forwardWatermark(w);
        }
    }

    private void forwardWatermark(long now) {
        watermarks.sent(now, context.currentSystemTimeMs());
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
