package io.casewatch.stats;

import static io.casewatch.stats.StatsWindow.DAY;
import static io.casewatch.stats.StatsWindow.ROLLING;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.casewatch.schema.MerchantStats;
import io.casewatch.schema.WindowKind;
import io.casewatch.state.TimerIndex;

/**
 * Emits the merchant windows: final once the watermark passes a window's close time (its end plus the grace), in
 * close-time order; live (not final), at most once per live interval of watermark time, for the days changed since
 * the last live emission. Keeps the latest window of each kind per merchant for the queries.
 */
final class WindowEmitter {

    private static final int LATEST_STARTS = 100_000;

    private final long grace;
    private final long liveEvery;
    private final MerchantDayStore days;
    private final WatermarkTracker watermarks;
    private final ZoneCache zones;
    private ProcessorContext<String, MerchantStats> context;
    private KeyValueStore<String, MerchantStats> latest;
    /**
     * Windows to close, by close time (key: close millis, kind, start day, merchant). Every entry is determined by a
     * stored day and the watermark, so the index lives in memory and is rebuilt from the restored days in
     * {@link #init}.
     */
    private final TimerIndex closing = new TimerIndex();
    /** No window closes before this instant; in memory, reset to zero on start. */
    private long earliestClose = 0L;
    private long nextLiveAt = Long.MIN_VALUE;
    /** Merchant-days changed since the last live emission; in memory only, as live values are advisory. */
    private final Map<String, TreeSet<Integer>> dirty = new TreeMap<>();
    /**
     * The window start of each LATEST entry (epoch millis, {@link Long#MIN_VALUE} when there is none), so that an
     * emission need not read and decode the stored record to learn whether it is newer. Filled from the store on
     * first use after {@link #init}, kept in step with every put.
     */
    private final Map<String, Long> latestStart = new LinkedHashMap<>(1 << 8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > LATEST_STARTS;
        }
    };

    WindowEmitter(long grace, long liveEvery, MerchantDayStore days, WatermarkTracker watermarks, ZoneCache zones) {
        this.grace = grace;
        this.liveEvery = liveEvery;
        this.days = days;
        this.watermarks = watermarks;
        this.zones = zones;
    }

    /**
     * Starts from the restored stores (the day store and the watermarks bound first): the windows still to close are
     * the day window of every stored day and each 30-day window holding it, where the watermark has not passed their
     * close time. A day stays stored until the last 30-day window holding it closes, and each window closes once the
     * watermark passes it, so this is exactly what was scheduled and not yet closed.
     */
    void init(ProcessorContext<String, MerchantStats> context, KeyValueStore<String, MerchantStats> latestStore) {
        this.context = context;
        this.latest = latestStore;
        dirty.clear();
        latestStart.clear();
        earliestClose = 0L;
        nextLiveAt = Long.MIN_VALUE;
        closing.clear();
        days.forEachStored((m, d, zoneId) -> {
            ZoneId zone = zones.of(zoneId);
            scheduleOpen(DAY, d, zone, m);
            for (int s = d - (StatsDays.ROLLING_DAYS - 1); s <= d; s++) {
                scheduleOpen(ROLLING, s, zone, m);
            }
        });
    }

    private void scheduleOpen(byte kind, int start, ZoneId zone, String m) {
        long watermark = watermarks.slowest();
        if (watermark == Long.MIN_VALUE || closeAt(kind, start, zone) > watermark) {
            schedule(kind, start, zone, m);
        }
    }

    long closeAt(byte kind, int start, ZoneId zone) {
        return StatsWindow.closeAt(kind, start, zone, grace);
    }

    void schedule(byte kind, int start, ZoneId zone, String m) {
        long at = closeAt(kind, start, zone);
        closing.add(closingKey(at, kind, start, m));
        earliestClose = Math.min(earliestClose, Math.max(0L, at));
    }

    /** Schedules the windows of a day just stored for the first time: its day window and every 30-day window holding it. */
    void scheduleNewDay(String m, int day, ZoneId zone) {
        schedule(DAY, day, zone, m);
        for (int s = day - (StatsDays.ROLLING_DAYS - 1); s <= day; s++) {
            schedule(ROLLING, s, zone, m);
        }
    }

    /** The day changed and is emitted live at the next live emission, if still open then. */
    void markDirty(String m, int day) {
        dirty.computeIfAbsent(m, k -> new TreeSet<>()).add(day);
    }

    /** The watermark moved to {@code w}: closes what is due, and emits live when the live interval has passed. */
    void onWatermark(long w) {
        closeUpTo(w);
        if (liveEvery > 0 && w >= nextLiveAt) {
            emitLive();
            nextLiveAt = Math.floorDiv(w, liveEvery) * liveEvery + liveEvery;
        }
    }

    /** Emits final every window whose close time the watermark has reached, in close-time order. */
    void closeUpTo(long w) {
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
            if (kind == ROLLING) {
                // No later window holds this day any more.
                days.delete(m, start);
            }
        }
    }

    private void emitLive() {
        long watermark = watermarks.slowest();
        for (Map.Entry<String, TreeSet<Integer>> e : dirty.entrySet()) {
            for (int d : e.getValue()) {
                DayAggregate stored = days.daysOf(e.getKey()).byDay.get(d);
                if (stored == null) {
                    continue;
                }
                ZoneId zone = zones.of(stored.zone);
                if (closeAt(DAY, d, zone) > watermark) {
                    emit(e.getKey(), DAY, d, false);
                    emit(e.getKey(), ROLLING, d - (StatsDays.ROLLING_DAYS - 1), false);
                }
            }
        }
        dirty.clear();
    }

    private void emit(String m, byte kind, int start, boolean fin) {
        MerchantDayStore.MerchantDays md = days.daysOf(m);
        long wk = StatsWindow.key(kind, start);
        MerchantDayStore.Figures cached = fin ? md.windows.remove(wk) : md.windows.get(wk);
        WindowFigures w;
        String zone;
        if (cached != null) {
            w = cached.figures();
            zone = cached.zone();
        } else {
            w = new WindowFigures();
            zone = null;
            if (kind == DAY) {
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
                md.windows.put(wk, new MerchantDayStore.Figures(w, zone));
            }
        }
        ZoneId z = zones.of(zone);
        long from = StatsDays.dayStart(start, z);
        long to = StatsDays.dayStart(start + (kind == DAY ? 1 : StatsDays.ROLLING_DAYS), z);
        MerchantStats stats = w.toStats(m, kind == DAY ? WindowKind.DAY : WindowKind.ROLLING_30D, zone, from, to, fin);
        String key = m + "@" + Instant.ofEpochMilli(from) + (kind == DAY ? "" : MerchantStatsProcessor.ROLLING_SUFFIX);
        String latestKey = kind == DAY ? m : m + MerchantStatsProcessor.ROLLING_SUFFIX;
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
        context.forward(new Record<>(key, stats, Math.max(0L, Math.min(to - 1, watermarks.slowest()))));
    }

    static Bytes closingKey(long at, byte kind, int start, String merchant) {
        byte[] m = merchant.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(13 + m.length).putLong(Math.max(0L, at)).put(kind).putInt(start).put(m).array());
    }
}
