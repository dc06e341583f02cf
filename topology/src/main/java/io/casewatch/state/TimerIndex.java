package io.casewatch.state;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

import org.apache.kafka.common.utils.Bytes;

/**
 * An in-memory index of due instants: keys that start with a big-endian due time (epoch millis, clamped at zero),
 * then whatever tells the entries apart, ordered as a byte store orders them. Timers, windows to close and held
 * alerts are all determined by the records of the store they index, so the index is not changelogged: its owner
 * rebuilds it from the restored store in {@code init()}, which Kafka Streams calls after restoration (and again,
 * on the same instance, when it revives a task with its stores rolled back).
 *
 * <p>Single-threaded, like the processor that owns it.
 */
public final class TimerIndex {

    private final NavigableSet<Bytes> keys = new TreeSet<>();

    /** The key of an entry due at {@code due} (clamped at zero) followed by {@code suffix}. */
    public static Bytes key(long due, byte[] suffix) {
        return Bytes.wrap(ByteBuffer.allocate(8 + suffix.length).putLong(Math.max(0L, due)).put(suffix).array());
    }

    public static long dueOf(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong();
    }

    public void add(Bytes key) {
        keys.add(key);
    }

    public void remove(Bytes key) {
        keys.remove(key);
    }

    public int size() {
        return keys.size();
    }

    public void clear() {
        keys.clear();
    }

    /**
     * The entries due at or before {@code upTo}, earliest first, at most {@code limit} of them; they stay in the
     * index until removed.
     */
    public List<Bytes> dueBy(long upTo, int limit) {
        List<Bytes> due = new ArrayList<>();
        if (upTo < 0) {
            return due;
        }
        NavigableSet<Bytes> view = upTo == Long.MAX_VALUE ? keys : keys.headSet(key(upTo + 1, new byte[0]), false);
        for (Bytes k : view) {
            if (due.size() >= limit) {
                break;
            }
            due.add(k);
        }
        return due;
    }
}
