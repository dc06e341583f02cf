package io.casewatch.topology;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.casewatch.cases.InvalidEventException.Reason;
import io.casewatch.stats.MerchantStatsProcessor;

/**
 * What happened to input records, for the accounting invariant {@code in = processed + dead-lettered} (SPEC
 * section 8). Shared by every task of an instance; the metrics layer reads it.
 */
public final class IntakeCounters implements MerchantStatsProcessor.Counters {
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong statsCorrections = new AtomicLong();
    private final AtomicLong statsDropped = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final Map<Reason, AtomicLong> deadLettered = new EnumMap<>(Reason.class);
    private final ConcurrentMap<InputPartition, PartitionCounts> partitions = new ConcurrentHashMap<>();
    private volatile Consumer<InputPartition> onNewPartition = p -> { };

    /** One partition of one input topic. */
    public record InputPartition(String topic, int partition) {
    }

    /**
     * What became of one input partition's records: {@code processed} (applied, or recognised as duplicates) plus
     * {@code deadLettered} is every record read from it, except the records of cases not opened yet that still wait
     * for their OPENED (at most the orphan grace).
     */
    public static final class PartitionCounts {
        private final AtomicLong processed = new AtomicLong();
        private final AtomicLong deadLettered = new AtomicLong();

        public long processed() {
            return processed.get();
        }

        public long deadLettered() {
            return deadLettered.get();
        }
    }

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

    void truncated() {
        truncated.incrementAndGet();
    }

    void countDeadLetter(Reason reason) {
        deadLettered.get(reason).incrementAndGet();
    }

    /** A record of an input partition was applied to its case, or recognised as a duplicate. */
    void processed(String topic, int partition) {
        of(topic, partition).processed.incrementAndGet();
    }

    /** A record of an input partition went to the dead-letter topic. */
    void deadLettered(String topic, int partition) {
        of(topic, partition).deadLettered.incrementAndGet();
    }

    private PartitionCounts of(String topic, int partition) {
        InputPartition key = new InputPartition(topic == null ? "" : topic, partition);
        PartitionCounts c = partitions.get(key);
        if (c == null) {
            PartitionCounts fresh = new PartitionCounts();
            c = partitions.putIfAbsent(key, fresh);
            if (c == null) {
                c = fresh;
                onNewPartition.accept(key);
            }
        }
        return c;
    }

    /** The counts of every input partition this instance has seen a record of, live. */
    public Map<InputPartition, PartitionCounts> partitions() {
        return Collections.unmodifiableMap(partitions);
    }

    /**
     * Told of each input partition the first time one of its records is counted (the metrics layer registers its
     * meters then); also told at once of those already seen.
     */
    public void onNewPartition(Consumer<InputPartition> listener) {
        this.onNewPartition = listener;
        partitions.keySet().forEach(listener);
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

    /** Contacts accepted with their text cut to {@code casewatch.max.text.chars} (SPEC section 8). */
    public long truncatedTexts() {
        return truncated.get();
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
