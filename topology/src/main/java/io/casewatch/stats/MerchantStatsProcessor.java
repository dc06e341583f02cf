package io.casewatch.stats;

import static io.casewatch.stats.StatsWindow.DAY;
import static io.casewatch.stats.StatsWindow.ROLLING;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

import io.casewatch.schema.MerchantStats;
import io.casewatch.schema.internal.Figure;
import io.casewatch.schema.internal.MerchantFact;
import io.casewatch.schema.serde.AvroSerde;
import io.casewatch.state.StoreKind;

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
 *
 * <p>Its parts: {@link MerchantDayStore} (the day aggregates and their decoded mirror), {@link WatermarkTracker}
 * (the slowest case task's watermark) and {@link WindowEmitter} (windows closed final and emitted live).
 */
public final class MerchantStatsProcessor implements Processor<String, MerchantFact, String, MerchantStats> {

    public static final String DAYS = "merchant-days";
    /** Latest day window per merchant (key merchantId) and latest 30-day window (key merchantId + {@link #ROLLING_SUFFIX}). */
    public static final String LATEST = "merchant-latest";
    public static final String WATERMARKS = "merchant-watermarks";
    public static final String ROLLING_SUFFIX = "/P30D";

    /** Counters for what does not fit the windows. */
    public interface Counters {
        void lateCorrection();

        void lateDropped();
    }

    private final Counters counters;
    private final ZoneCache zones = new ZoneCache();
    private final MerchantDayStore days;
    private final WatermarkTracker watermarks = new WatermarkTracker();
    private final WindowEmitter windows;

    MerchantStatsProcessor(Duration grace, Duration liveEvery, Counters counters) {
        this(grace, liveEvery, counters, MerchantDayStore.DECODED_DAYS);
    }

    /** @param decodedDays how many day aggregates to keep decoded in memory at most (tests force reloads with few) */
    MerchantStatsProcessor(Duration grace, Duration liveEvery, Counters counters, int decodedDays) {
        this.counters = counters;
        this.days = new MerchantDayStore(decodedDays);
        this.windows = new WindowEmitter(grace.toMillis(), liveEvery.toMillis(), days, watermarks, zones);
    }

    public static ProcessorSupplier<String, MerchantFact, String, MerchantStats> supplier(Duration grace, Duration liveEvery, Counters counters,
            StoreKind stores) {
        SketchRuntime.requireUsable();
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
        // A revived task re-initialises this instance with its stores rolled back: nothing in memory may survive.
        // The windows to close are rebuilt from the days and the watermark, so those two come first.
        days.init(context.getStateStore(DAYS));
        watermarks.init(context.getStateStore(WATERMARKS));
        windows.init(context, context.getStateStore(LATEST));
    }

    @Override
    public void process(Record<String, MerchantFact> record) {
        MerchantFact f = record.value();
        if (f.getFigure() == Figure.WATERMARK) {
            if (watermarks.advance(f.getSource(), f.getAt())) {
                windows.onWatermark(watermarks.slowest());
            }
        } else if (f.getMerchantId() != null && f.getFigure() != Figure.UNKNOWN) {
            onFact(f);
        }
    }

    /**
     * Counts a fact in its day and in the live figures of the windows holding it; a fact for a window already closed
     * re-emits that window final (a correction), one for a day beyond every window's reach is dropped and counted.
     */
    private void onFact(MerchantFact f) {
        String m = f.getMerchantId();
        int d = f.getDay();
        ZoneId zone = zones.of(f.getZone());
        long watermark = watermarks.slowest();
        if (windows.closeAt(ROLLING, d, zone) <= watermark) {
            counters.lateDropped();
            return;
        }
        MerchantDayStore.MerchantDays md = days.daysOf(m);
        DayAggregate stored = md.byDay.get(d);
        DayAggregate agg = stored == null ? new DayAggregate(f.getZone()) : stored;
        agg.add(f);
        days.put(m, d, agg);
        if (stored == null) {
            days.added(m, md, d, agg);
        } else if (!md.windows.isEmpty()) {
            int first = StatsDays.firstRollingWindow(d, f.getPrevDay());
            boolean everyWindow = StatsDays.countsInEveryWindow(d, first);
            int fig = f.getFigure().ordinal();
            double hours = f.getHours() == null ? Double.NaN : f.getHours();
            // As WindowFigures.add counts the day's facts: all in the day window, in a 30-day window when fresh or
            // when the repeat's first window is not after the window's start.
            md.windows.entrySet().removeIf(e -> StatsWindow.holds(e.getKey(), d)
                    && (StatsWindow.kindOf(e.getKey()) == DAY || everyWindow || first <= StatsWindow.startOf(e.getKey()))
                    && !e.getValue().figures().addFact(fig, hours));
        }
        if (stored == null) {
            windows.scheduleNewDay(m, d, zone);
        }
        boolean late = false;
        if (windows.closeAt(DAY, d, zone) <= watermark) {
            windows.schedule(DAY, d, zone, m);
            late = true;
        }
        for (int s = StatsDays.firstRollingWindow(d, f.getPrevDay()); s <= d; s++) {
            if (windows.closeAt(ROLLING, s, zone) <= watermark) {
                windows.schedule(ROLLING, s, zone, m);
                late = true;
            }
        }
        if (late) {
            counters.lateCorrection();
            windows.closeUpTo(watermark);
        } else {
            windows.markDirty(m, d);
        }
    }
}
