package io.casewatch.stats;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import io.casewatch.schema.MerchantStats;
import io.casewatch.schema.WindowKind;
import io.casewatch.schema.internal.Figure;
import io.casewatch.schema.internal.MerchantFact;
import io.casewatch.schema.serde.AvroSerde;
import io.casewatch.state.TimerIndex;

/**
 * Per-merchant statistics (SPEC section 6) over the merchant-keyed facts: a window of one local day and 30-day
 * windows advancing by a day, both in the merchant's time zone. Windows close when every case task's watermark
 * has passed their end by the stats grace; they are then emitted final. Before that, the day window and the
 * 30-day window ending with it are emitted live (not final) at most once per live interval of stream time.
 *
 * <p>Time here is the watermarks' time, not Kafka stream time: each case task sends its progress to every
 * partition of the facts topic, and a window closes only when the slowest task has passed it. A fact that comes
 * after its window closed updates the window and re-emits it final (a correction); one that comes after its day
 * left the 30-day horizon is counted as dropped (metric) and logged.
 */
public final class MerchantStatsProcessor implements Processor<String, MerchantFact, String, MerchantStats> {

    public static final String DAYS = "merchant-days";
    /** Latest day window per merchant (key merchantId) and latest 30-day window (key merchantId + {@link #ROLLING_SUFFIX}). */
    public static final String LATEST = "merchant-latest";
    public static final String WATERMARKS = "merchant-watermarks";
    public static final String ROLLING_SUFFIX = "/P30D";

    private static final byte DAY_KIND = 0;
    private static final byte ROLLING_KIND = 1;

    /** Counters for what does not fit the windows. */
    public interface Counters {
        void lateCorrection();

        void lateDropped();
    }

    private final long grace;
    private final long liveEvery;
    private final Counters counters;
    private ProcessorContext<String, MerchantStats> context;
    private KeyValueStore<Bytes, byte[]> days;
    /**
     * Windows to close, by close time (key: close millis, kind, start day, merchant). Every entry is determined by a
     * stored day and the watermark, so the index lives in memory and is rebuilt from the restored days in
     * {@code init()}.
     */
    private final TimerIndex closing = new TimerIndex();
    private KeyValueStore<String, MerchantStats> latest;
    private KeyValueStore<Integer, Long> watermarks;
    private long watermark = Long.MIN_VALUE;
    /** The stored watermarks, read once in {@code init()}: the slowest is needed on every watermark. */
    private final Map<Integer, Long> sources = new TreeMap<>();
    /** No window closes before this instant; in memory, reset to zero on start. */
    private long earliestClose = 0L;
    private long nextLiveAt = Long.MIN_VALUE;
    /** Merchant-days changed since the last live emission; in memory only, as live values are advisory. */
    private final Map<String, TreeSet<Integer>> dirty = new TreeMap<>();
    /**
     * Each merchant's day aggregates, decoded, as the DAYS store holds them (same days, same order): a window reads
     * them here rather than ranging over the store on every emission. Filled from the store on a merchant's first
     * use after {@code init()}, kept in step with every put and delete of DAYS, and dropped for the least recently
     * used merchants beyond {@link #DECODED_DAYS} days in all (by default); the store holds the truth.
     */
    private final java.util.LinkedHashMap<String, MerchantDays> mirror = new java.util.LinkedHashMap<>(1 << 8, 0.75f, true);
    private int mirroredDays;
    private final int decodedDays;
    private static final int DECODED_DAYS = 20_000;
    /**
     * The window start of each LATEST entry (epoch millis, {@link Long#MIN_VALUE} when there is none), so that an
     * emission need not read and decode the stored record to learn whether it is newer. Filled from the store on
     * first use after {@code init()}, kept in step with every put.
     */
    private final Map<String, Long> latestStart = new java.util.LinkedHashMap<>(1 << 8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > LATEST_STARTS;
        }
    };
    private static final int LATEST_STARTS = 100_000;
    /** Parsed time zones by id: {@code ZoneId.of} looks the rules up anew on every call. */
    private final Map<String, ZoneId> zones = new java.util.HashMap<>();

    /** One merchant's part of the in-memory mirror. */
    private static final class MerchantDays {
        /** The day aggregates, in the order of the store's keys (big-endian day after the merchant). */
        final TreeMap<Integer, DayAggregate> byDay = new TreeMap<>(Integer::compareUnsigned);
        /**
         * The figures of windows emitted live and not yet final (key {@link #windowKey}), kept equal to what summing
         * their days would give, fact by fact; only exact ones (see {@link WindowFigures#exact()}), dropped whenever
         * a change cannot be applied exactly. The live 30-day window would otherwise merge 30 days' sketches again
         * for every change to its last day.
         */
        final Map<Long, Figures> windows = new java.util.HashMap<>();
    }

    /** A window's figures and the time zone it is shown in (its first day's). */
    private record Figures(WindowFigures figures, String zone) {
    }

    MerchantStatsProcessor(Duration grace, Duration liveEvery, Counters counters) {
        this(grace, liveEvery, counters, DECODED_DAYS);
    }

    /** @param decodedDays how many day aggregates to keep decoded in memory at most (tests force reloads with few) */
    MerchantStatsProcessor(Duration grace, Duration liveEvery, Counters counters, int decodedDays) {
        this.decodedDays = decodedDays;
        this.grace = grace.toMillis();
        this.liveEvery = liveEvery.toMillis();
        this.counters = counters;
    }

    public static ProcessorSupplier<String, MerchantFact, String, MerchantStats> supplier(Duration grace, Duration liveEvery, Counters counters,
            io.casewatch.topology.StoreKind stores) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, MerchantFact, String, MerchantStats> get() {
                return new MerchantStatsProcessor(grace, liveEvery, counters);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        stores.keyValue(DAYS, Serdes.Bytes(), Serdes.ByteArray()),
                        stores.keyValue(LATEST, Serdes.String(), new AvroSerde<>(MerchantStats.class)),
                        stores.keyValue(WATERMARKS, Serdes.Integer(), Serdes.Long()));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, MerchantStats> context) {
        this.context = context;
        days = context.getStateStore(DAYS);
        latest = context.getStateStore(LATEST);
        watermarks = context.getStateStore(WATERMARKS);
        // A revived task re-initialises this instance with its stores rolled back: nothing in memory may survive.
        sources.clear();
        dirty.clear();
        mirror.clear();
        mirroredDays = 0;
        latestStart.clear();
        earliestClose = 0L;
        nextLiveAt = Long.MIN_VALUE;
        try (KeyValueIterator<Integer, Long> it = watermarks.all()) {
            while (it.hasNext()) {
                KeyValue<Integer, Long> kv = it.next();
                sources.put(kv.key, kv.value);
            }
        }
        watermark = slowestWatermark();
        rebuildClosing();
    }

    /**
     * The windows still to close: the day window of every stored day and each 30-day window holding it, where the
     * watermark has not passed their close time. A day stays stored until the last 30-day window holding it closes,
     * and each window closes once the watermark passes it, so this is exactly what was scheduled and not yet closed.
     */
    private void rebuildClosing() {
        closing.clear();
        try (KeyValueIterator<Bytes, byte[]> it = days.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] k = kv.key.get();
                String m = new String(k, 0, k.length - 5, StandardCharsets.UTF_8);
                int d = ByteBuffer.wrap(k).getInt(k.length - 4);
                ZoneId zone = zone(DayAggregate.zoneOf(kv.value));
                scheduleOpen(DAY_KIND, d, zone, m);
                for (int s = d - (StatsDays.ROLLING_DAYS - 1); s <= d; s++) {
                    scheduleOpen(ROLLING_KIND, s, zone, m);
                }
            }
        }
    }

    private void scheduleOpen(byte kind, int start, ZoneId zone, String m) {
        if (watermark == Long.MIN_VALUE || closeAt(kind, start, zone) > watermark) {
            schedule(kind, start, zone, m);
        }
    }

    @Override
    public void process(Record<String, MerchantFact> record) {
        MerchantFact f = record.value();
        if (f.getFigure() == Figure.WATERMARK) {
            onWatermark(f.getSource(), f.getAt());
        } else if (f.getMerchantId() != null && f.getFigure() != Figure.UNKNOWN) {
            onFact(f);
        }
    }

    private void onFact(MerchantFact f) {
        String m = f.getMerchantId();
        int d = f.getDay();
        ZoneId zone = zone(f.getZone());
        if (closeAt(ROLLING_KIND, d, zone) <= watermark) {
            counters.lateDropped();
            return;
        }
        MerchantDays md = daysOf(m);
        DayAggregate stored = md.byDay.get(d);
        DayAggregate agg = stored == null ? new DayAggregate(f.getZone()) : stored;
        agg.add(f);
        days.put(dayKey(m, d), agg.toBytes());
        if (stored == null) {
            md.byDay.put(d, agg);
            mirroredDays++;
            // A new day may change a window's time zone (its first day's): those windows are summed again.
            md.windows.keySet().removeIf(k -> holds(k, d));
            trimMirror(m);
        } else if (!md.windows.isEmpty()) {
            int first = StatsDays.firstRollingWindow(d, f.getPrevDay());
            boolean everyWindow = StatsDays.countsInEveryWindow(d, first);
            int fig = f.getFigure().ordinal();
            double hours = f.getHours() == null ? Double.NaN : f.getHours();
            // As WindowFigures.add counts the day's facts: all in the day window, in a 30-day window when fresh or
            // when the repeat's first window is not after the window's start.
            md.windows.entrySet().removeIf(e -> holds(e.getKey(), d)
                    && (kindOf(e.getKey()) == DAY_KIND || everyWindow || first <= startOf(e.getKey()))
                    && !e.getValue().figures().addFact(fig, hours));
        }
        if (stored == null) {
            schedule(DAY_KIND, d, zone, m);
            for (int s = d - (StatsDays.ROLLING_DAYS - 1); s <= d; s++) {
                schedule(ROLLING_KIND, s, zone, m);
            }
        }
        boolean late = false;
        if (closeAt(DAY_KIND, d, zone) <= watermark) {
            schedule(DAY_KIND, d, zone, m);
            late = true;
        }
        for (int s = StatsDays.firstRollingWindow(d, f.getPrevDay()); s <= d; s++) {
            if (closeAt(ROLLING_KIND, s, zone) <= watermark) {
                schedule(ROLLING_KIND, s, zone, m);
                late = true;
            }
        }
        if (late) {
            counters.lateCorrection();
            closeUpTo(watermark);
        } else {
            dirty.computeIfAbsent(m, k -> new TreeSet<>()).add(d);
        }
    }

    private void onWatermark(int source, long at) {
        Long old = sources.get(source);
        if (old != null && old >= at) {
            return;
        }
        watermarks.put(source, at);
        sources.put(source, at);
        long w = slowestWatermark();
        if (w <= watermark) {
            return;
        }
        watermark = w;
        closeUpTo(w);
        if (liveEvery > 0 && w >= nextLiveAt) {
            emitLive();
            nextLiveAt = Math.floorDiv(w, liveEvery) * liveEvery + liveEvery;
        }
    }

    private long slowestWatermark() {
        long min = Long.MAX_VALUE;
        for (long w : sources.values()) {
            min = Math.min(min, w);
        }
        return min == Long.MAX_VALUE ? Long.MIN_VALUE : min;
    }

    /** Emits final every window whose close time the watermark has reached, in close-time order. */
    private void closeUpTo(long w) {
        if (w == Long.MIN_VALUE || w < earliestClose) {
            return;
        }
        List<Bytes> due = closing.dueBy(w, Integer.MAX_VALUE);
        earliestClose = w + 1;
        for (Bytes k : due) {
            closing.remove(k);
            ByteBuffer b = ByteBuffer.wrap(k.get());
            b.getLong();
            byte kind = b.get();
            int start = b.getInt();
            String m = new String(k.get(), 13, k.get().length - 13, StandardCharsets.UTF_8);
            emit(m, kind, start, true);
            if (kind == ROLLING_KIND) {
                // No later window holds this day any more.
                days.delete(dayKey(m, start));
                MerchantDays md = mirror.get(m);
                if (md != null && md.byDay.remove(start) != null) {
                    mirroredDays--;
                    md.windows.keySet().removeIf(window -> holds(window, start));
                }
            }
        }
    }

    private void emitLive() {
        for (Map.Entry<String, TreeSet<Integer>> e : dirty.entrySet()) {
            for (int d : e.getValue()) {
                DayAggregate stored = daysOf(e.getKey()).byDay.get(d);
                if (stored == null) {
                    continue;
                }
                ZoneId zone = zone(stored.zone);
                if (closeAt(DAY_KIND, d, zone) > watermark) {
                    emit(e.getKey(), DAY_KIND, d, false);
                    emit(e.getKey(), ROLLING_KIND, d - (StatsDays.ROLLING_DAYS - 1), false);
                }
            }
        }
        dirty.clear();
    }

    private void emit(String m, byte kind, int start, boolean fin) {
        MerchantDays md = daysOf(m);
        long wk = windowKey(kind, start);
        Figures cached = fin ? md.windows.remove(wk) : md.windows.get(wk);
        WindowFigures w;
        String zone;
        if (cached != null) {
            w = cached.figures();
            zone = cached.zone();
        } else {
            w = new WindowFigures();
            zone = null;
            if (kind == DAY_KIND) {
                DayAggregate a = md.byDay.get(start);
                if (a == null) {
                    return;
                }
                zone = a.zone;
                w.add(a, null);
            } else {
                int end = start + StatsDays.ROLLING_DAYS - 1;
                // The store's range over these keys: none when the end's key sorts before the start's.
                if (Integer.compareUnsigned(start, end) <= 0) {
                    for (DayAggregate a : md.byDay.subMap(start, true, end, true).values()) {
                        zone = zone == null ? a.zone : zone;
                        w.add(a, start);
                    }
                }
                if (zone == null) {
                    return;
                }
            }
            if (!fin && w.exact()) {
                md.windows.put(wk, new Figures(w, zone));
            }
        }
        ZoneId z = zone(zone);
        long from = StatsDays.dayStart(start, z);
        long to = StatsDays.dayStart(start + (kind == DAY_KIND ? 1 : StatsDays.ROLLING_DAYS), z);
        MerchantStats stats = w.toStats(m, kind == DAY_KIND ? WindowKind.DAY : WindowKind.ROLLING_30D, zone, from, to, fin);
        String key = m + "@" + Instant.ofEpochMilli(from) + (kind == DAY_KIND ? "" : ROLLING_SUFFIX);
        String latestKey = kind == DAY_KIND ? m : m + ROLLING_SUFFIX;
        Long prevStart = latestStart.get(latestKey);
        if (prevStart == null) {
            MerchantStats prev = latest.get(latestKey);
            prevStart = prev == null ? Long.MIN_VALUE : prev.getWindowStart().toEpochMilli();
        }
        if (prevStart <= from) {
            latest.put(latestKey, stats);
            prevStart = from;
        }
        latestStart.put(latestKey, prevStart);
        // Stamped with the watermark that made it known, never with the window's end: a live day ends in the future,
        // and brokers reject records stamped more than message.timestamp.after.max.ms (an hour) ahead.
        context.forward(new Record<>(key, stats, Math.max(0L, Math.min(to - 1, watermark))));
    }

    /** The merchant's part of the mirror, its days read from the store on first use. */
    private MerchantDays daysOf(String m) {
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

    /** Drops the least recently used merchants' days while more than {@link #decodedDays} are held, never {@code m}'s. */
    private void trimMirror(String m) {
        java.util.Iterator<Map.Entry<String, MerchantDays>> it = mirror.entrySet().iterator();
        while (mirroredDays > decodedDays && it.hasNext()) {
            Map.Entry<String, MerchantDays> e = it.next();
            if (!e.getKey().equals(m)) {
                mirroredDays -= e.getValue().byDay.size();
                it.remove();
            }
        }
    }

    private static long windowKey(byte kind, int start) {
        return ((long) kind << 32) | (start & 0xFFFF_FFFFL);
    }

    private static byte kindOf(long windowKey) {
        return (byte) (windowKey >>> 32);
    }

    private static int startOf(long windowKey) {
        return (int) windowKey;
    }

    /** True when the window's days (as emit reads them) include {@code day}. */
    private static boolean holds(long windowKey, int day) {
        int start = startOf(windowKey);
        if (kindOf(windowKey) == DAY_KIND) {
            return day == start;
        }
        int end = start + StatsDays.ROLLING_DAYS - 1;
        return Integer.compareUnsigned(start, end) <= 0 && Integer.compareUnsigned(start, day) <= 0 && Integer.compareUnsigned(day, end) <= 0;
    }

    private ZoneId zone(String id) {
        ZoneId z = zones.get(id);
        if (z == null) {
            z = ZoneId.of(id);
            zones.put(id, z);
        }
        return z;
    }

    private void schedule(byte kind, int start, ZoneId zone, String m) {
        long at = closeAt(kind, start, zone);
        closing.add(closingKey(at, kind, start, m));
        earliestClose = Math.min(earliestClose, Math.max(0L, at));
    }

    private long closeAt(byte kind, int start, ZoneId zone) {
        return StatsDays.dayStart(start + (kind == DAY_KIND ? 1 : StatsDays.ROLLING_DAYS), zone) + grace;
    }

    static Bytes dayKey(String merchant, int day) {
        byte[] m = merchant.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(m.length + 5).put(m).put((byte) 0).putInt(day).array());
    }

    static Bytes closingKey(long at, byte kind, int start, String merchant) {
        byte[] m = merchant.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(13 + m.length).putLong(Math.max(0L, at)).put(kind).putInt(start).put(m).array());
    }

}
