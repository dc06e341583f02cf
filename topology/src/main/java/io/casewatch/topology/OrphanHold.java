package io.casewatch.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import io.casewatch.cases.InvalidEventException.Reason;
import io.casewatch.schema.internal.PendingInputs;
import io.casewatch.schema.internal.PendingRecord;
import io.casewatch.schema.serde.AvroSerde;
import io.casewatch.state.StoreKind;

/**
 * The records of cases not opened yet (SPEC section 8: "a contact for a case that is not opened within the grace
 * period" is dead-lettered). A contact or lifecycle event may legitimately arrive before its case's OPENED (another
 * topic, another producer), so it is applied to the case at once and its original record is kept here. An OPENED
 * within the grace releases them as processed; otherwise the
 * case processor's timer dead-letters every one of them, original bytes and headers, with reason ORPHAN_CONTACT,
 * and forgets the case.
 *
 * <p>Bounded per case ({@link #MAX_RECORDS} records, {@link #MAX_BYTES} bytes): a flood for a case that is never
 * opened must not grow the store without end. A record beyond the bound is dead-lettered at once (same reason) and
 * not applied.
 */
final class OrphanHold {

    static final int MAX_RECORDS = 32;
    static final long MAX_BYTES = 64 * 1024;

    private final Duration grace;
    private final String deadLetterSink;
    private final IntakeCounters counters;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, PendingInputs> store;

    OrphanHold(Duration grace, String deadLetterSink, IntakeCounters counters) {
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("orphan grace must be positive");
        }
        this.grace = grace;
        this.deadLetterSink = deadLetterSink;
        this.counters = counters;
    }

    static StoreBuilder<?> storeBuilder(StoreKind kind) {
        return kind.keyValue(Names.CASE_PENDING, Serdes.String(), new AvroSerde<>(PendingInputs.class));
    }

    void init(ProcessorContext<Object, Object> ctx) {
        this.context = ctx;
        this.store = ctx.getStateStore(Names.CASE_PENDING);
    }

    /**
     * When the case's held records are dead-lettered unless an OPENED comes first: the grace after the first one was
     * held (see {@link #hold}); for a case stored before records were held, after its first record's event time.
     */
    long dueAt(String caseId, long caseFirstSeenAt) {
        PendingInputs p = store.get(caseId);
        return (p == null ? caseFirstSeenAt : p.getFirstSeenAt()) + grace.toMillis();
    }

    /** True if one more record fits in the case's bound; a record that does not is dead-lettered by the caller. */
    boolean fits(String caseId, CaseInput.Source s) {
        PendingInputs p = store.get(caseId);
        return p == null || p.getRecords().size() < MAX_RECORDS && p.getBytes() + sizeOf(s) <= MAX_BYTES;
    }

    /**
     * Keeps a record applied to a case that is not opened yet.
     *
     * @param heldAt when the grace starts if this is the case's first held record: its event time, or how far the task
     *               has read the OPENED events (in event time) if that is later. The grace is measured on the
     *               OPENED events read, not on stream time, which heartbeats move to now in one step: a contact read
     *               during a backlog, its OPENED behind on the complaints topic, must get the whole grace.
     */
    void hold(String caseId, long heldAt, CaseInput.Source s) {
        PendingInputs p = store.get(caseId);
        if (p == null) {
            p = new PendingInputs(heldAt, new ArrayList<>(), 0L);
        }
        List<PendingRecord> records = new ArrayList<>(p.getRecords());
        records.add(PendingRecords.of(s));
        p.setRecords(records);
        p.setBytes(p.getBytes() + sizeOf(s));
        store.put(caseId, p);
    }

    /** The case was opened: its held records are now simply processed. */
    void release(String caseId) {
        PendingInputs p = store.get(caseId);
        if (p == null) {
            return;
        }
        for (PendingRecord r : p.getRecords()) {
            counters.processed(r.getTopic(), r.getPartition());
        }
        store.delete(caseId);
    }

    /** No OPENED came within the grace: every held record goes to the dead-letter topic as it was read. */
    void expire(String caseId, long streamTime) {
        PendingInputs p = store.get(caseId);
        if (p == null) {
            return;
        }
        for (PendingRecord r : p.getRecords()) {
            CaseInput.Source s = PendingRecords.source(r);
            Intake.deadLetter(context, deadLetterSink, counters, s, Reason.ORPHAN_CONTACT, "case " + caseId
                    + " not opened within " + grace + " of its first record (stream time " + Instant.ofEpochMilli(streamTime) + ")");
        }
        store.delete(caseId);
    }

    /** A record that does not fit the case's bound: dead-lettered now, never applied. */
    void rejectOverflow(String caseId, CaseInput.Source s) {
        Intake.deadLetter(context, deadLetterSink, counters, s, Reason.ORPHAN_CONTACT, "case " + caseId
                + " not opened and already holding " + MAX_RECORDS + " records or " + MAX_BYTES + " bytes");
    }

    private static long sizeOf(CaseInput.Source s) {
        long n = (s.key() == null ? 0 : s.key().length) + (s.value() == null ? 0 : s.value().length);
        if (s.headers() != null) {
            for (Header h : s.headers()) {
                n += h.key().length() + (h.value() == null ? 0 : h.value().length);
            }
        }
        return n;
    }
}
