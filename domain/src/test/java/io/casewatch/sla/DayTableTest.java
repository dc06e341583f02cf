package io.casewatch.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The running totals must give, to the millisecond, what the day-by-day walk gives: random starts, budgets and pauses
 * (open ones too) on the shipped calendars and on calendars in zones whose DST changes fall at midnight or inside the
 * opening hours.
 */
class DayTableTest {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final long FROM = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final long SPAN = 4L * 366 * DAY;

    private static List<BusinessCalendar> calendars() {
        List<BusinessCalendar> out = new ArrayList<>();
        Calendars.PRESETS.forEach(id -> out.add(Calendars.presets().get(id)));
        // Santiago moves its clocks at midnight (the day starts at 01:00); a 7-day calendar opening at 01:30 in London
        // has its opening inside the spring-forward gap.
        out.add(BusinessCalendar.weekdays("CL", ZoneId.of("America/Santiago")));
        out.add(new BusinessCalendar("GAP", ZoneId.of("Europe/London"), Set.of(DayOfWeek.values()), LocalTime.of(1, 30),
                LocalTime.of(23, 0), Set.of(LocalDate.of(2025, 12, 25)), Set.of(), Set.of(), "test"));
        return out;
    }

    @Test
    void runOutFromRunningTotalsEqualsTheWalk() {
        Random r = new Random(20261129);
        for (BusinessCalendar cal : calendars()) {
            for (int i = 0; i < 2_000; i++) {
                TimeBasis basis = r.nextBoolean() ? TimeBasis.BUSINESS_DAYS : TimeBasis.BUSINESS_HOURS;
                long start = FROM + (long) (r.nextDouble() * SPAN);
                long need = 1 + (long) (r.nextDouble() * (basis == TimeBasis.BUSINESS_DAYS ? 70 * DAY : 300 * HOUR));
                List<Interval> pauses = pauses(r, start);
                assertThat(ClockMath.runOut(basis, cal, start, need, pauses))
                        .as("%s %s start %s need %d pauses %s", cal.id(), basis, Instant.ofEpochMilli(start), need, pauses)
                        .isEqualTo(ClockMath.runOutByWalking(basis, cal, start, need, pauses));
            }
        }
    }

    @Test
    void countedFromRunningTotalsEqualsTheWalk() {
        Random r = new Random(7);
        for (BusinessCalendar cal : calendars()) {
            for (int i = 0; i < 2_000; i++) {
                TimeBasis basis = r.nextBoolean() ? TimeBasis.BUSINESS_DAYS : TimeBasis.BUSINESS_HOURS;
                long start = FROM + (long) (r.nextDouble() * SPAN);
                long until = start + (long) (r.nextDouble() * 200 * DAY) - DAY;
                List<Interval> pauses = pauses(r, start);
                assertThat(ClockMath.counted(basis, cal, start, until, pauses))
                        .as("%s %s %s..%s pauses %s", cal.id(), basis, Instant.ofEpochMilli(start), Instant.ofEpochMilli(until), pauses)
                        .isEqualTo(ClockMath.countedByWalking(basis, cal, start, until, pauses));
            }
        }
    }

    @Test
    void daysAreTheLocalDatesOfTheirInstants() {
        Random r = new Random(11);
        for (BusinessCalendar cal : calendars()) {
            DayTable table = cal.table();
            for (int i = 0; i < 5_000; i++) {
                long t = FROM + (long) (r.nextDouble() * SPAN);
                LocalDate date = Instant.ofEpochMilli(t).atZone(cal.zone()).toLocalDate();
                int day = table.dayOf(t);
                assertThat(table.date(day)).as("%s %s", cal.id(), Instant.ofEpochMilli(t)).isEqualTo(date);
                assertThat(table.isBusinessDay(day)).isEqualTo(cal.isBusinessDay(date));
                assertThat(table.dayStart(day)).isEqualTo(date.atStartOfDay(cal.zone()).toInstant().toEpochMilli());
            }
        }
    }

    @Test
    void instantsBeyondTheTableAreWalked() {
        BusinessCalendar gb = Calendars.presets().get("GB");
        long start = LocalDate.of(2059, 12, 20).atStartOfDay(gb.zone()).toInstant().toEpochMilli();
        long deadline = ClockMath.runOut(TimeBasis.BUSINESS_DAYS, gb, start, 20 * DAY, List.of());
        assertThat(deadline).isEqualTo(ClockMath.runOutByWalking(TimeBasis.BUSINESS_DAYS, gb, start, 20 * DAY, List.of()));
        assertThat(gb.table().covers(deadline)).isFalse();
    }

    private static List<Interval> pauses(Random r, long start) {
        List<Interval> out = new ArrayList<>();
        int n = r.nextInt(4);
        for (int k = 0; k < n; k++) {
            long from = start + (long) ((r.nextDouble() - 0.1) * 60 * DAY);
            boolean open = r.nextInt(8) == 0;
            out.add(new Interval(from, open ? Interval.OPEN : from + (long) (r.nextDouble() * 15 * DAY)));
        }
        return out;
    }
}
