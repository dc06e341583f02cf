package io.casewatch.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.casewatch.schema.CaseStatus;

/**
 * {@code cases.status.v1} as the latest state of each case rather than a log of its changes: over each
 * {@code casewatch.status.interval}, one status per changed case, its latest, in the order the cases first changed
 * (docs/operations.md). Each change takes a sequence number that the case stores, so that a task started elsewhere
 * finds the cases that still owe a status: those changed after the sequence number last emitted. In memory, per task.
 */
final class StatusCoalescer {

    /** A status owed, and the record time it goes out with. */
    record Pending(String caseId, CaseStatus status, long timestamp) {
    }

    private final Duration interval;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    /** The highest change sequence number a case of this task carries. */
    private long changeSeq;

    /** @param interval zero: every change goes out as it happens, nothing is held */
    StatusCoalescer(Duration interval) {
        this.interval = interval;
    }

    boolean coalesces() {
        return !interval.isZero();
    }

    Duration interval() {
        return interval;
    }

    void clear() {
        pending.clear();
        changeSeq = 0L;
    }

    /** A case restored with change sequence number {@code seq}. */
    void restored(long seq) {
        changeSeq = Math.max(changeSeq, seq);
    }

    /** A restored case changed after the last statuses were emitted, before a crash or a rebalance: still owed. */
    void owe(String caseId, CaseStatus status, long timestamp) {
        pending.put(caseId, new Pending(caseId, status, timestamp));
    }

    /** The case changed: its status is owed (the latest replaces an earlier one); returns the case's new sequence number. */
    long changed(String caseId, CaseStatus status, long timestamp) {
        pending.put(caseId, new Pending(caseId, status, timestamp));
        return ++changeSeq;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Every status owed, in the order the cases first changed; none is owed after. */
    List<Pending> drain() {
        List<Pending> out = new ArrayList<>(pending.values());
        pending.clear();
        return out;
    }

    /** The sequence number up to which every change is in what {@link #drain} returned. */
    long changeSeq() {
        return changeSeq;
    }
}
