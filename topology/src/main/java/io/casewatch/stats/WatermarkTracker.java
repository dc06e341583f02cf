package io.casewatch.stats;

import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The statistics' time: the slowest of the watermarks the case tasks send (one per source partition). It only moves
 * forward, and only when the slowest source moves past it (a source first heard behind it does not move it back);
 * every source's latest watermark is stored, so a restarted task resumes where it was.
 */
final class WatermarkTracker {

    private KeyValueStore<Integer, Long> store;
    /** The stored watermarks, read once in {@link #init}: the slowest is needed on every watermark. */
    private final Map<Integer, Long> sources = new TreeMap<>();
    private long slowest = Long.MIN_VALUE;

    /** Reads the stored watermarks; nothing from before survives (a revived task comes back with its stores rolled back). */
    void init(KeyValueStore<Integer, Long> watermarks) {
        this.store = watermarks;
        sources.clear();
        try (KeyValueIterator<Integer, Long> it = watermarks.all()) {
            while (it.hasNext()) {
                KeyValue<Integer, Long> kv = it.next();
                sources.put(kv.key, kv.value);
            }
        }
        slowest = computeSlowest();
    }

    /** The watermark; {@link Long#MIN_VALUE} before any source was heard. */
    long slowest() {
        return slowest;
    }

    /** Records that {@code source} has reached {@code at}; true when the slowest watermark moved forward with it. */
    boolean advance(int source, long at) {
        Long old = sources.get(source);
        if (old != null && old >= at) {
            return false;
        }
        store.put(source, at);
        sources.put(source, at);
        long w = computeSlowest();
        if (w <= slowest) {
            return false;
        }
        slowest = w;
        return true;
    }

    private long computeSlowest() {
        long min = Long.MAX_VALUE;
        for (long w : sources.values()) {
            min = Math.min(min, w);
        }
        return min == Long.MAX_VALUE ? Long.MIN_VALUE : min;
    }
}
