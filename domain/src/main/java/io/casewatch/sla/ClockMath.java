package io.casewatch.sla;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Deadline arithmetic as pure functions over epoch millis: where counting starts, how much counted time lies
 * between two instants, and when a budget runs out, with pause intervals excluded.
 *
 * <p>Counting happens in <em>windows</em>: the whole time line for calendar bases, each business day
 * (local midnight to midnight) for {@link TimeBasis#BUSINESS_DAYS}, business hours of each business day for
 * {@link TimeBasis#BUSINESS_HOURS}. Pauses are cut out of the windows.
 */
public final class ClockMath {

    /** Result of {@link #deadline} while a pause is still open: the clock cannot run out. */
    public static final long NEVER = Long.MAX_VALUE;

    private static final long DAY = 86_400_000L;
    /** No deadline lies further out than this: a bound on the walk, not a business rule. */
    private static final int MAX_DAYS_WALKED = 20 * 366;
    /** An answer the {@link DayTable} cannot give: walk instead. */
    private static final long BEYOND_TABLE = Long.MIN_VALUE;

    private ClockMath() {
    }

    /**
     * Where counting starts for a complaint received at {@code receivedAt}. Day bases start at the local midnight
     * after the day of receipt (the day of receipt does not count: FCA DISP 1.6 "after its receipt", 民法典 第201条
     * "开始的当日不计入"). With {@code afterHoursRollsToNextBusinessDay}, a receipt outside business hours is taken
     * as received at the next opening.
     */
    public static long countingStart(Budget budget, BusinessCalendar cal, long receivedAt,
            boolean afterHoursRollsToNextBusinessDay) {
        long received = afterHoursRollsToNextBusinessDay ? nextBusinessInstant(cal, receivedAt) : receivedAt;
        if (!budget.dayBased()) {
            return received;
        }
        DayTable table = cal.table();
        if (table.covers(received)) {
            return table.dayStart(table.dayOf(received) + 1);
        }
        LocalDate day = Instant.ofEpochMilli(received).atZone(cal.zone()).toLocalDate();
        return startOfDay(day.plusDays(1), cal.zone());
    }

    /** The instant itself if it lies within business hours, else the next opening. */
    public static long nextBusinessInstant(BusinessCalendar cal, long t) {
        ZonedDateTime z = Instant.ofEpochMilli(t).atZone(cal.zone());
        LocalDate day = z.toLocalDate();
        LocalTime time = z.toLocalTime();
        if (cal.isBusinessDay(day) && !time.isBefore(cal.opens()) && time.isBefore(cal.closes())) {
            return t;
        }
        if (!cal.isBusinessDay(day) || !time.isBefore(cal.closes())) {
            day = day.plusDays(1);
        }
        for (int i = 0; i < MAX_DAYS_WALKED && !cal.isBusinessDay(day); i++) {
            day = day.plusDays(1);
        }
        return day.atTime(cal.opens()).atZone(cal.zone()).toInstant().toEpochMilli();
    }

    /** How much counted time the budget allows from {@code start} (DST-aware for calendar days). */
    public static long budgetMillis(Budget budget, BusinessCalendar cal, long start) {
        return switch (budget.basis()) {
            case CALENDAR, BUSINESS_HOURS -> budget.amount() * 60_000L;
            case BUSINESS_DAYS -> budget.amount() * DAY;
            case CALENDAR_DAYS -> {
                ZonedDateTime s = Instant.ofEpochMilli(start).atZone(cal.zone());
                yield s.plusDays(budget.amount()).toInstant().toEpochMilli() - start;
            }
        };
    }

    /**
     * When {@code need} millis of counted time, from {@code start}, are used up, pauses excluded; {@link #NEVER} if an
     * open pause is reached first.
     */
    public static long runOut(TimeBasis basis, BusinessCalendar cal, long start, long need, List<Interval> pauses) {
        if (need > 0 && isBusinessBasis(basis)) {
            long r = runOutByTable(basis, cal.table(), start, need, merge(pauses));
            if (r != BEYOND_TABLE) {
                return r;
            }
        }
        return runOutByWalking(basis, cal, start, need, pauses);
    }

    private static boolean isBusinessBasis(TimeBasis basis) {
        return basis == TimeBasis.BUSINESS_DAYS || basis == TimeBasis.BUSINESS_HOURS;
    }

    /** {@link #runOut} from running totals: the counted time between pauses is a difference of two totals. */
    private static long runOutByTable(TimeBasis basis, DayTable table, long start, long need, List<Interval> merged) {
        if (!table.covers(start)) {
            return BEYOND_TABLE;
        }
        long cursor = start;
        long remaining = need;
        for (Interval p : merged) {
            if (p.to() <= cursor) {
                continue;
            }
            if (p.from() > cursor) {
                long before = table.total(basis, cursor);
                long available = table.total(basis, p.from()) - before;
                if (available >= remaining) {
                    return reachOrBeyond(table, basis, before + remaining);
                }
                if (!table.covers(p.from())) {
                    return BEYOND_TABLE;
                }
                remaining -= available;
            }
            if (p.isOpen()) {
                return NEVER;
            }
            cursor = Math.max(cursor, p.to());
            if (!table.covers(cursor)) {
                return BEYOND_TABLE;
            }
        }
        return reachOrBeyond(table, basis, table.total(basis, cursor) + remaining);
    }

    private static long reachOrBeyond(DayTable table, TimeBasis basis, long target) {
        long t = table.reach(basis, target);
        return t == Long.MIN_VALUE ? BEYOND_TABLE : t;
    }

    /** The reference walk, one window (business day or opening hours) at a time; also beyond the {@link DayTable}. */
    static long runOutByWalking(TimeBasis basis, BusinessCalendar cal, long start, long need, List<Interval> pauses) {
        List<Interval> merged = merge(pauses);
        long remaining = need;
        long[] w = firstWindow(basis, cal, start);
        for (int guard = 0; guard < MAX_DAYS_WALKED * 2; guard++) {
            long from = Math.max(w[0], start);
            long to = w[1];
            long t = from;
            for (Interval p : merged) {
                if (p.to() <= t || p.from() >= to) {
                    continue;
                }
                if (p.from() > t) {
                    long len = p.from() - t;
                    if (len >= remaining) {
                        return t + remaining;
                    }
                    remaining -= len;
                }
                if (p.isOpen()) {
                    return NEVER;
                }
                t = Math.max(t, p.to());
                if (t >= to) {
                    break;
                }
            }
            if (t < to) {
                long len = to - t;
                if (len >= remaining) {
                    return t + remaining;
                }
                remaining -= len;
            }
            if (to == Long.MAX_VALUE) {
                return NEVER;
            }
            w = nextWindow(basis, cal, to);
        }
        throw new IllegalStateException("no deadline within " + MAX_DAYS_WALKED + " days of " + Instant.ofEpochMilli(start));
    }

    /** Counted time in [start, until), pauses excluded. */
    public static long counted(TimeBasis basis, BusinessCalendar cal, long start, long until, List<Interval> pauses) {
        if (until <= start) {
            return 0;
        }
        if (isBusinessBasis(basis)) {
            DayTable table = cal.table();
            if (table.covers(start) && table.covers(until)) {
                long total = table.total(basis, until) - table.total(basis, start);
                for (Interval p : merge(pauses)) {
                    long from = Math.max(p.from(), start);
                    long to = Math.min(p.to(), until);
                    if (from < to) {
                        total -= table.total(basis, to) - table.total(basis, from);
                    }
                }
                return total;
            }
        }
        return countedByWalking(basis, cal, start, until, pauses);
    }

    /** The reference walk of {@link #counted}; also beyond the {@link DayTable}. */
    static long countedByWalking(TimeBasis basis, BusinessCalendar cal, long start, long until, List<Interval> pauses) {
        if (until <= start) {
            return 0;
        }
        List<Interval> merged = merge(pauses);
        long total = 0;
        long[] w = firstWindow(basis, cal, start);
        for (int guard = 0; guard < MAX_DAYS_WALKED * 2 && w[0] < until; guard++) {
            long from = Math.max(w[0], start);
            long to = Math.min(w[1], until);
            if (from < to) {
                total += (to - from) - overlap(merged, from, to);
            }
            if (w[1] >= until || w[1] == Long.MAX_VALUE) {
                break;
            }
            w = nextWindow(basis, cal, w[1]);
        }
        return total;
    }

    /**
     * The deadline of a budget: when it runs out, and for day bases the end (local midnight) of the day in which it
     * runs out; with {@code rollToBusinessDay} a deadline ending a non-business day moves to the end of the next
     * business day (民法典 第203条: a period whose last day is a holiday ends on the day after the holiday).
     */
    public static long deadline(Budget budget, BusinessCalendar cal, long start, List<Interval> pauses,
            boolean rollToBusinessDay) {
        long raw = budget.basis() == TimeBasis.CALENDAR_DAYS
                ? calendarDaysRunOut(budget.amount(), cal.zone(), start, pauses)
                : runOut(budget.basis(), cal, start, budgetMillis(budget, cal, start), pauses);
        if (raw == NEVER || !budget.dayBased()) {
            return raw;
        }
        DayTable table = cal.table();
        if (table.covers(raw)) {
            int day = table.dayOf(raw);
            int lastDay = raw == table.dayStart(day) && table.startsAtMidnight(day) && raw > start ? day - 1 : day;
            if (rollToBusinessDay) {
                while (lastDay >= 0 && lastDay < table.days() && !table.isBusinessDay(lastDay)) {
                    lastDay++;
                }
            }
            if (lastDay >= 0 && lastDay < table.days()) {
                return table.dayStart(lastDay + 1);
            }
        }
        ZoneId zone = cal.zone();
        ZonedDateTime z = Instant.ofEpochMilli(raw).atZone(zone);
        LocalDate lastDay = z.toLocalTime().equals(LocalTime.MIDNIGHT) && raw > start ? z.toLocalDate().minusDays(1) : z.toLocalDate();
        if (rollToBusinessDay) {
            for (int i = 0; i < MAX_DAYS_WALKED && !cal.isBusinessDay(lastDay); i++) {
                lastDay = lastDay.plusDays(1);
            }
        }
        return startOfDay(lastDay.plusDays(1), zone);
    }

    /**
     * Calendar days are counted on the local wall clock, where every day has 24 hours: a pause over a DST change
     * then moves the deadline by the local time it covered, and the budget never gains or loses the changed hour.
     */
    private static long calendarDaysRunOut(long days, ZoneId zone, long start, List<Interval> pauses) {
        List<Interval> local = new ArrayList<>(pauses.size());
        for (Interval p : pauses) {
            local.add(new Interval(toLocal(p.from(), zone), p.isOpen() ? Interval.OPEN : toLocal(p.to(), zone)));
        }
        long raw = runOut(TimeBasis.CALENDAR, null, toLocal(start, zone), days * DAY, local);
        return raw == NEVER ? NEVER : fromLocal(raw, zone);
    }

    private static long toLocal(long t, ZoneId zone) {
        return Instant.ofEpochMilli(t).atZone(zone).toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static long fromLocal(long localMillis, ZoneId zone) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(localMillis, 1000), (int) Math.floorMod(localMillis, 1000) * 1_000_000,
                ZoneOffset.UTC).atZone(zone).toInstant().toEpochMilli();
    }

    /** The instant at which counted time from {@code start} reaches {@code share} of {@code need}. */
    public static long shareReached(TimeBasis basis, BusinessCalendar cal, long start, long need, double share,
            List<Interval> pauses) {
        return runOut(basis, cal, start, (long) Math.ceil(need * share), pauses);
    }

    /**
     * The opening of the last business day on or before the deadline's last day: from then on the deadline is "within
     * its last business day" (SPEC section 4, STATUTORY_BREACH).
     */
    public static long lastBusinessDayStart(BusinessCalendar cal, long deadline) {
        DayTable table = cal.table();
        if (table.covers(deadline - 1)) {
            int day = table.dayOf(deadline - 1);
            while (day >= 0 && !table.isBusinessDay(day)) {
                day--;
            }
            if (day >= 0) {
                return Math.min(table.opens(day), deadline);
            }
        }
        ZonedDateTime z = Instant.ofEpochMilli(deadline - 1).atZone(cal.zone());
        LocalDate day = z.toLocalDate();
        for (int i = 0; i < MAX_DAYS_WALKED && !cal.isBusinessDay(day); i++) {
            day = day.minusDays(1);
        }
        long opening = day.atTime(cal.opens()).atZone(cal.zone()).toInstant().toEpochMilli();
        return Math.min(opening, deadline);
    }

    /** Business days between two instants: business days whose local date lies after {@code from}'s and up to {@code to}'s. */
    public static int businessDaysBetween(BusinessCalendar cal, long from, long to) {
        DayTable table = cal.table();
        if (table.covers(from) && table.covers(to)) {
            int a = table.dayOf(from);
            int b = table.dayOf(to);
            if (b <= a) {
                return 0;
            }
            if (b - a <= MAX_DAYS_WALKED) {
                return table.businessDaysBefore(b + 1) - table.businessDaysBefore(a + 1);
            }
        }
        LocalDate a = Instant.ofEpochMilli(from).atZone(cal.zone()).toLocalDate();
        LocalDate b = Instant.ofEpochMilli(to).atZone(cal.zone()).toLocalDate();
        int n = 0;
        for (LocalDate d = a.plusDays(1); !d.isAfter(b) && n < MAX_DAYS_WALKED; d = d.plusDays(1)) {
            if (cal.isBusinessDay(d)) {
                n++;
            }
        }
        return n;
    }

    private static long[] firstWindow(TimeBasis basis, BusinessCalendar cal, long t) {
        return switch (basis) {
            case CALENDAR, CALENDAR_DAYS -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
            case BUSINESS_DAYS, BUSINESS_HOURS -> windowFromDay(basis, cal, Instant.ofEpochMilli(t).atZone(cal.zone()).toLocalDate(), t);
        };
    }

    private static long[] nextWindow(TimeBasis basis, BusinessCalendar cal, long after) {
        LocalDate day = Instant.ofEpochMilli(after).atZone(cal.zone()).toLocalDate();
        return windowFromDay(basis, cal, day, after);
    }

    /** The first window of a business day on or after {@code day} that ends after {@code t}. */
    private static long[] windowFromDay(TimeBasis basis, BusinessCalendar cal, LocalDate day, long t) {
        ZoneId zone = cal.zone();
        for (int i = 0; i < MAX_DAYS_WALKED; i++, day = day.plusDays(1)) {
            if (!cal.isBusinessDay(day)) {
                continue;
            }
            long from;
            long to;
            if (basis == TimeBasis.BUSINESS_DAYS) {
                from = startOfDay(day, zone);
                to = startOfDay(day.plusDays(1), zone);
            } else {
                from = day.atTime(cal.opens()).atZone(zone).toInstant().toEpochMilli();
                to = day.atTime(cal.closes()).atZone(zone).toInstant().toEpochMilli();
            }
            if (to > t) {
                return new long[] {from, to};
            }
        }
        throw new IllegalStateException("calendar " + cal.id() + " has no business day within " + MAX_DAYS_WALKED + " days");
    }

    private static long startOfDay(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private static long overlap(List<Interval> merged, long from, long to) {
        long sum = 0;
        for (Interval p : merged) {
            long a = Math.max(p.from(), from);
            long b = Math.min(p.to(), to);
            if (a < b) {
                sum += b - a;
            }
        }
        return sum;
    }

    static List<Interval> merge(List<Interval> pauses) {
        if (pauses.size() <= 1) {
            return pauses;
        }
        List<Interval> sorted = new ArrayList<>(pauses);
        sorted.sort(Comparator.comparingLong(Interval::from));
        List<Interval> out = new ArrayList<>();
        Interval cur = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            Interval n = sorted.get(i);
            if (n.from() <= cur.to()) {
                cur = new Interval(cur.from(), Math.max(cur.to(), n.to()));
            } else {
                out.add(cur);
                cur = n;
            }
        }
        out.add(cur);
        return out;
    }
}
