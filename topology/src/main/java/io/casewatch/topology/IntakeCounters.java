package io.casewatch.topology;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.casewatch.cases.InvalidEventException.Reason;

/**
 * What happened to input records, for the accounting invariant {@code in = processed + dead-lettered} (SPEC
 * section 8). Shared by every task of an instance; the metrics layer reads it.
 */
public final class IntakeCounters implements io.casewatch.stats.MerchantStatsProcessor.Counters {
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong statsCorrections = new AtomicLong();
    private final AtomicLong statsDropped = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final Map<Reason, AtomicLong> deadLettered = new EnumMap<>(Reason.class);

    public IntakeCounters() {
        for (Reason r : Reason.values()) {
            deadLettered.put(r, new AtomicLong());
        }
    }

    void accept() {
        accepted.incrementAndGet();
    }

    void tick() {
        ticks.incrementAndGet();
    }

    void duplicate() {
        duplicates.incrementAndGet();
    }

    void countDeadLetter(Reason reason) {
        deadLettered.get(reason).incrementAndGet();
    }

    /** Events decoded and passed to the case processor (some may still be dead-lettered there). */
    public long accepted() {
        return accepted.get();
    }

    public long ticks() {
        return ticks.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long deadLettered(Reason reason) {
        return deadLettered.get(reason).get();
    }

    @Override
    public void lateCorrection() {
        statsCorrections.incrementAndGet();
    }

    @Override
    public void lateDropped() {
        statsDropped.incrementAndGet();
    }

    /** Merchant windows emitted final again because a fact came after they closed. */
    public long statsCorrections() {
        return statsCorrections.get();
    }

    /** Facts that came after their day left every 30-day window still open: not counted, see docs/decisions.md. */
    public long statsDropped() {
        return statsDropped.get();
    }

    public long deadLetteredTotal() {
        return deadLettered.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
