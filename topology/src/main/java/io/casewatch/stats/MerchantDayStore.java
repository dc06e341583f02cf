package io.casewatch.stats;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Each merchant's day aggregates: the store (key: merchant, a zero byte, the big-endian epoch day) and a decoded
 * mirror of it. A window reads the mirror rather than ranging over the store on every emission. A merchant's days
 * are read from the store on its first use after {@link #init}, kept in step with every put and delete, and the
 * least recently used merchants are dropped beyond a bound on the days held in all; the store holds the truth.
 */
final class MerchantDayStore {

    static final int DECODED_DAYS = 20_000;

    /** One merchant's part of the mirror. */
    static final class MerchantDays {
        /** The day aggregates, in the order of the store's keys (big-endian day after the merchant). */
        final TreeMap<Integer, DayAggregate> byDay = new TreeMap<>(Integer::compareUnsigned);
        /**
         * The figures of windows emitted live and not yet final (key {@link StatsWindow#key}), kept equal to what
         * summing their days would give, fact by fact; only exact ones (see {@link WindowFigures#exact()}), dropped
         * whenever a change cannot be applied exactly. The live 30-day window would otherwise merge 30 days' sketches
         * again for every change to its last day.
         */
        final Map<Long, Figures> windows = new HashMap<>();
    }

    /** A window's figures and the time zone it is shown in (its first day's). */
    record Figures(WindowFigures figures, String zone) {
    }

    /** A stored day, as {@link #forEachStored} reads them. */
    interface StoredDay {
        void accept(String merchant, int day, String zone);
    }

    private final int decodedDays;
    private KeyValueStore<Bytes, byte[]> days;
    private final LinkedHashMap<String, MerchantDays> mirror = new LinkedHashMap<>(1 << 8, 0.75f, true);
    private int mirroredDays;

    /** @param decodedDays how many day aggregates to keep decoded at most (tests force reloads with few) */
    MerchantDayStore(int decodedDays) {
        this.decodedDays = decodedDays;
    }

    /** Binds the store; the mirror starts empty (a revived task comes back with its stores rolled back). */
    void init(KeyValueStore<Bytes, byte[]> store) {
        this.days = store;
        mirror.clear();
        mirroredDays = 0;
    }

    /** Every stored day, in the store's order. */
    void forEachStored(StoredDay each) {
        try (KeyValueIterator<Bytes, byte[]> it = days.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] k = kv.key.get();
                String m = new String(k, 0, k.length - 5, StandardCharsets.UTF_8);
                int d = ByteBuffer.wrap(k).getInt(k.length - 4);
                each.accept(m, d, DayAggregate.zoneOf(kv.value));
            }
        }
    }

    /** The merchant's part of the mirror, its days read from the store on first use. */
    MerchantDays daysOf(String m) {
        MerchantDays md = mirror.get(m);
        if (md != null) {
            return md;
        }
        md = new MerchantDays();
        int keyLength = m.getBytes(StandardCharsets.UTF_8).length + 5;
        try (KeyValueIterator<Bytes, byte[]> it = days.range(dayKey(m, 0), dayKey(m, -1))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] k = kv.key.get();
                if (k.length == keyLength) {
                    md.byDay.put(ByteBuffer.wrap(k).getInt(keyLength - 4), DayAggregate.fromBytes(kv.value));
                }
            }
        }
        mirror.put(m, md);
        mirroredDays += md.byDay.size();
        trimMirror(m);
        return md;
    }

    /** Stores the day's aggregate as it now is. */
    void put(String m, int day, DayAggregate agg) {
        days.put(dayKey(m, day), agg.toBytes());
    }

    /** Mirrors a day just stored for the first time. */
    void added(String m, MerchantDays md, int day, DayAggregate agg) {
        md.byDay.put(day, agg);
        mirroredDays++;
        // A new day may change a window's time zone (its first day's): those windows are summed again.
        md.windows.keySet().removeIf(k -> StatsWindow.holds(k, day));
        trimMirror(m);
    }

    /** Forgets a day that no window holds any more, in the store and in the mirror. */
    void delete(String m, int day) {
        days.delete(dayKey(m, day));
        MerchantDays md = mirror.get(m);
        if (md != null && md.byDay.remove(day) != null) {
            mirroredDays--;
            md.windows.keySet().removeIf(window -> StatsWindow.holds(window, day));
        }
    }

    /** Drops the least recently used merchants' days while more than {@link #decodedDays} are held, never {@code m}'s. */
    private void trimMirror(String m) {
        Iterator<Map.Entry<String, MerchantDays>> it = mirror.entrySet().iterator();
        while (mirroredDays > decodedDays && it.hasNext()) {
            Map.Entry<String, MerchantDays> e = it.next();
            if (!e.getKey().equals(m)) {
                mirroredDays -= e.getValue().byDay.size();
                it.remove();
            }
        }
    }

    static Bytes dayKey(String merchant, int day) {
        byte[] m = merchant.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(m.length + 5).put(m).put((byte) 0).putInt(day).array());
    }
}
