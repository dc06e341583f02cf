package io.casewatch.sla;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;

/**
 * A calendar's days from {@link #FIRST} to {@link #END} resolved once into epoch millis: where each local day starts,
 * whether it is a business day, its opening hours, and running totals of business time. Counted time between two
 * instants is then a difference of two running totals, and the instant a budget runs out a binary search, instead of
 * a walk over every day with a time-zone conversion per day (the walk cost grew with a case's age and was the largest
 * single cost per event).
 *
 * <p>Every entry is computed with the same {@code java.time} calls the day-by-day walk makes, so both agree to the
 * millisecond (a property test checks it); instants outside the table fall back to the walk.
 */
final class DayTable {

    static final LocalDate FIRST = LocalDate.of(2000, 1, 1);
    static final LocalDate END = LocalDate.of(2060, 1, 1);

    private final long firstEpochDay;
    /** Start (first valid local instant) of day i; entry n is the end of the last day. */
    private final long[] dayStart;
    private final boolean[] business;
    /** Whether day i's start is its local 00:00 (not so where a DST change skips midnight). */
    private final boolean[] startsAtMidnight;
    private final long[] opens;
    private final long[] closes;
    /** Business-day time of the days before i (whole local days). */
    private final long[] cumDays;
    /** Business-hour time of the days before i. */
    private final long[] cumHours;
    /** Business days before i. */
    private final int[] cumCount;

    private DayTable(BusinessCalendar cal) {
        ZoneId zone = cal.zone();
        LocalTime open = cal.opens();
        LocalTime close = cal.closes();
        firstEpochDay = FIRST.toEpochDay();
        int n = (int) (END.toEpochDay() - firstEpochDay);
        dayStart = new long[n + 1];
        business = new boolean[n];
        startsAtMidnight = new boolean[n];
        opens = new long[n];
        closes = new long[n];
        cumDays = new long[n + 1];
        cumHours = new long[n + 1];
        cumCount = new int[n + 1];
        LocalDate day = FIRST;
        for (int i = 0; i <= n; i++, day = day.plusDays(1)) {
            ZonedDateTime start = day.atStartOfDay(zone);
            dayStart[i] = start.toInstant().toEpochMilli();
            if (i == n) {
                break;
            }
            startsAtMidnight[i] = start.toLocalTime().equals(LocalTime.MIDNIGHT);
            business[i] = cal.isBusinessDay(day);
            opens[i] = day.atTime(open).atZone(zone).toInstant().toEpochMilli();
            closes[i] = day.atTime(close).atZone(zone).toInstant().toEpochMilli();
        }
        for (int i = 0; i < n; i++) {
            cumDays[i + 1] = cumDays[i] + (business[i] ? dayStart[i + 1] - dayStart[i] : 0);
            cumHours[i + 1] = cumHours[i] + (business[i] ? closes[i] - opens[i] : 0);
            cumCount[i + 1] = cumCount[i] + (business[i] ? 1 : 0);
        }
    }

    static DayTable of(BusinessCalendar cal) {
        return new DayTable(cal);
    }

    int days() {
        return business.length;
    }

    /** Whether {@code t} lies on a day of the table. */
    boolean covers(long t) {
        return t >= dayStart[0] && t < dayStart[days()];
    }

    /** The day holding {@code t}; only for instants the table {@link #covers}. */
    int dayOf(long t) {
        int i = Arrays.binarySearch(dayStart, t);
        return i >= 0 ? i : -i - 2;
    }

    LocalDate date(int day) {
        return LocalDate.ofEpochDay(firstEpochDay + day);
    }

    long dayStart(int day) {
        return dayStart[day];
    }

    boolean isBusinessDay(int day) {
        return business[day];
    }

    boolean startsAtMidnight(int day) {
        return startsAtMidnight[day];
    }

    long opens(int day) {
        return opens[day];
    }

    /** Business days among the days before {@code day}. */
    int businessDaysBefore(int day) {
        return cumCount[day];
    }

    /** Counted time of the table's first day up to {@code t}, which the table covers or whose end it is. */
    long total(TimeBasis basis, long t) {
        if (t >= dayStart[days()]) {
            return cum(basis)[days()];
        }
        int i = dayOf(t);
        long[] cum = cum(basis);
        if (!business[i]) {
            return cum[i];
        }
        long from = windowFrom(basis, i);
        long to = windowTo(basis, i);
        return cum[i] + Math.max(0, Math.min(t, to) - from);
    }

    /**
     * The first instant at or after which the total reaches {@code target}, or {@code Long.MIN_VALUE} if that lies
     * beyond the table.
     */
    long reach(TimeBasis basis, long target) {
        long[] cum = cum(basis);
        if (target > cum[days()]) {
            return Long.MIN_VALUE;
        }
        // The first k with cum[k] >= target: the budget is used up on day k - 1.
        int k = Arrays.binarySearch(cum, target);
        if (k < 0) {
            k = -k - 1;
        } else {
            while (k > 0 && cum[k - 1] == target) {
                k--;
            }
        }
        int day = k - 1;
        return windowFrom(basis, day) + (target - cum[day]);
    }

    private long[] cum(TimeBasis basis) {
        return basis == TimeBasis.BUSINESS_DAYS ? cumDays : cumHours;
    }

    private long windowFrom(TimeBasis basis, int day) {
        return basis == TimeBasis.BUSINESS_DAYS ? dayStart[day] : opens[day];
    }

    private long windowTo(TimeBasis basis, int day) {
        return basis == TimeBasis.BUSINESS_DAYS ? dayStart[day + 1] : closes[day];
    }
}
