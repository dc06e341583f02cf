package io.casewatch.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How many alerts each merchant and level raised in each storm window, kept as a few records per window (key:
 * window start big-endian, then a bucket of the merchant and level) rather than one per merchant and level: puts to
 * the same key within a commit reach the changelog once, so a busy window costs a few changelog records per commit
 * instead of one per alert. The published and folded counts both follow from the total: the first {@code cap} of a
 * window are published, the rest folded, in whatever order they come.
 */
final class StormCounts {

    /**
     * Few enough that a commit writes few records even while a backlog runs through several windows in it; a bucket
     * is patched in place, not re-encoded, on each alert.
     */
    static final int BUCKETS = 2;

    /** One merchant and level's alerts in an ended window. */
    record Ended(long windowStart, String merchantLevel, long total) {
    }

    private final KeyValueStore<Bytes, byte[]> store;
    /** The buckets read or written since {@code init()}, as stored, with where each count sits in them. */
    private final Map<Bytes, Bucket> buckets = new HashMap<>();

    /**
     * A bucket's record: an entry count, then per merchant and level its UTF-8 length (2 bytes), the UTF-8 and the
     * count (8 bytes). Counts are patched where they sit and new entries appended, on a copy that is then stored.
     */
    private static final class Bucket {
        byte[] bytes = {0, 0, 0, 0};
        final Map<String, Integer> countAt = new HashMap<>();

        static Bucket of(byte[] stored) {
            Bucket b = new Bucket();
            b.bytes = stored;
            ByteBuffer in = ByteBuffer.wrap(stored);
            int n = in.getInt();
            for (int i = 0; i < n; i++) {
                byte[] k = new byte[in.getShort() & 0xFFFF];
                in.get(k);
                b.countAt.put(new String(k, StandardCharsets.UTF_8), in.position());
                in.getLong();
            }
            return b;
        }

        long increment(String key) {
            Integer at = countAt.get(key);
            if (at != null) {
                byte[] next = bytes.clone();
                long n = ByteBuffer.wrap(next).getLong(at) + 1;
                ByteBuffer.wrap(next).putLong(at, n);
                bytes = next;
                return n;
            }
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            ByteBuffer next = ByteBuffer.wrap(Arrays.copyOf(bytes, bytes.length + 2 + k.length + 8));
            next.putInt(0, next.getInt(0) + 1);
            next.position(bytes.length);
            next.putShort((short) k.length).put(k);
            countAt.put(key, next.position());
            next.putLong(1L);
            bytes = next.array();
            return 1L;
        }

        TreeMap<String, Long> counts() {
            TreeMap<String, Long> counts = new TreeMap<>();
            countAt.forEach((k, at) -> counts.put(k, ByteBuffer.wrap(bytes).getLong(at)));
            return counts;
        }
    }

    StormCounts(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** Counts one more alert for {@code merchantLevel} in the window starting at {@code windowStart}; the total with it. */
    long increment(long windowStart, String merchantLevel) {
        Bytes k = key(windowStart, Math.floorMod(merchantLevel.hashCode(), BUCKETS));
        Bucket b = buckets.get(k);
        if (b == null) {
            byte[] stored = store.get(k);
            b = stored == null ? new Bucket() : Bucket.of(stored);
            buckets.put(k, b);
        }
        long total = b.increment(merchantLevel);
        store.put(k, b.bytes);
        return total;
    }

    /** The counts of every window that started at or before {@code lastStart}, removed; in window, then key order. */
    List<Ended> takeUpTo(long lastStart) {
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(key(0L, 0), key(lastStart, BUCKETS))) {
            while (it.hasNext()) {
                due.add(it.next());
            }
        }
        TreeMap<Long, TreeMap<String, Long>> byWindow = new TreeMap<>();
        for (KeyValue<Bytes, byte[]> kv : due) {
            long start = ByteBuffer.wrap(kv.key.get()).getLong();
            byWindow.computeIfAbsent(start, s -> new TreeMap<>()).putAll(Bucket.of(kv.value).counts());
            store.delete(kv.key);
            buckets.remove(kv.key);
        }
        List<Ended> ended = new ArrayList<>();
        byWindow.forEach((start, counts) -> counts.forEach((k, n) -> ended.add(new Ended(start, k, n))));
        return ended;
    }

    /** The start of the earliest window counted, or {@link Long#MAX_VALUE}. */
    long earliestStart() {
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            return it.hasNext() ? ByteBuffer.wrap(it.next().key.get()).getLong() : Long.MAX_VALUE;
        }
    }

    private static Bytes key(long windowStart, int bucket) {
        return Bytes.wrap(ByteBuffer.allocate(9).putLong(Math.max(0L, windowStart)).put((byte) bucket).array());
    }
}
