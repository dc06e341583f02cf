package io.casewatch.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Day arithmetic of merchant statistics: local days in the merchant's time zone, and which 30-day windows a fact
 * may still be counted in. Windows are named by their first local day (epoch days); a 30-day window starting on
 * day {@code s} covers days {@code s .. s+29}.
 */
public final class StatsDays {

    public static final int ROLLING_DAYS = 30;

    private StatsDays() {
    }

    public static int epochDay(long at, ZoneId zone) {
        return (int) Instant.ofEpochMilli(at).atZone(zone).toLocalDate().toEpochDay();
    }

    /** The instant local day {@code day} begins (the first instant of the day, DST gaps included). */
    public static long dayStart(int day, ZoneId zone) {
        return LocalDate.ofEpochDay(day).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /**
     * The first 30-day window (by start day) in which a fact on {@code day} counts, when the same case was last
     * counted for the same figure on {@code prevDay}: every window that contains {@code day} but not
     * {@code prevDay}. The windows it counts in are {@code [result, day]}; none when {@code prevDay >= day}.
     */
    public static int firstRollingWindow(int day, Integer prevDay) {
        int lo = day - (ROLLING_DAYS - 1);
        return prevDay == null ? lo : Math.max(lo, prevDay + 1);
    }

    /** True when a fact counted on {@code firstWindow..day} counts in every 30-day window containing its day. */
    public static boolean countsInEveryWindow(int day, int firstWindow) {
        return firstWindow == day - (ROLLING_DAYS - 1);
    }
}
