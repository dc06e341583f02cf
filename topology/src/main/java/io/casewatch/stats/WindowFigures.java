package io.casewatch.stats;

import java.time.Instant;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import io.casewatch.schema.MerchantStats;
import io.casewatch.schema.WindowKind;
import io.casewatch.schema.internal.Figure;

/** The figures of one merchant window, summed from its days' aggregates. */
final class WindowFigures {

    private final long[] counts = new long[DayAggregate.FIGURES];
    private KllDoublesSketch hours;

    /** Adds a day's facts that count in a window starting on {@code windowStart} ({@code null}: the day window). */
    void add(DayAggregate day, Integer windowStart) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += day.fresh[i];
        }
        if (day.freshHours != null) {
            sketch().merge(day.freshHours);
        }
        for (DayAggregate.Repeat r : day.repeats) {
            if (windowStart == null || r.firstWindow() <= windowStart) {
                counts[r.figure()]++;
                if (r.figure() == Figure.RESOLVED.ordinal() && !Double.isNaN(r.hours())) {
                    sketch().update(r.hours());
                }
            }
        }
    }

    /**
     * True when the sketch kept every item on one level: building these figures compacted nothing, so drew no bits
     * from the sketches' shared random generator (replay's output depends on that sequence).
     */
    boolean exact() {
        return hours == null || !hours.isEstimationMode();
    }

    /**
     * Counts one more fact of a figure in these (exact) figures, as summing the days again would once the fact is in
     * its day: the counts are sums and an exact sketch's quantiles do not depend on the order of its items. Declines
     * (false, nothing changed) when the sketch is full: the next item would compact it, drawing random bits that
     * summing the days again draws at another time, if at all.
     */
    boolean addFact(int figure, double factHours) {
        if (figure == Figure.RESOLVED.ordinal() && !Double.isNaN(factHours)) {
            if (hours != null && (hours.isEstimationMode() || hours.getNumRetained() >= DayAggregate.K)) {
                return false;
            }
            sketch().update(factHours);
        }
        counts[figure]++;
        return true;
    }

    private KllDoublesSketch sketch() {
        if (hours == null) {
            hours = KllDoublesSketch.newHeapInstance(DayAggregate.K);
        }
        return hours;
    }

    long count(Figure f) {
        return counts[f.ordinal()];
    }

    MerchantStats toStats(String merchantId, WindowKind kind, String zone, long start, long end, boolean fin) {
        long within = count(Figure.RESOLVED_WITHIN_SLA);
        long breached = count(Figure.RESOLUTION_BREACHED);
        boolean anyHours = hours != null && !hours.isEmpty();
        return MerchantStats.newBuilder()
                .setMerchantId(merchantId)
                .setWindow(kind)
                .setTimeZone(zone)
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setFinal$(fin)
                .setOpened(count(Figure.OPENED))
                .setResolved(count(Figure.RESOLVED))
                .setResolvedWithinSla(within)
                .setResolutionBreached(breached)
                .setFirstResponseBreached(count(Figure.FIRST_RESPONSE_BREACHED))
                .setReopened(count(Figure.REOPENED))
                .setStallLoops(count(Figure.STALL_LOOP))
                .setTimelyResolutionRate(within + breached == 0 ? null : (double) within / (within + breached))
                .setMedianHoursToResolve(anyHours ? hours.getQuantile(0.5, QuantileSearchCriteria.INCLUSIVE) : null)
                .setP90HoursToResolve(anyHours ? hours.getQuantile(0.9, QuantileSearchCriteria.INCLUSIVE) : null)
                .build();
    }
}
