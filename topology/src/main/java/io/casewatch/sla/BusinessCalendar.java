package io.casewatch.sla;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;

/**
 * A jurisdiction's working calendar: its time zone, working week, business hours, public holidays and make-up
 * working days (a Saturday that is worked in exchange for a bridging holiday, as in China's 调休).
 */
public record BusinessCalendar(
        String id,
        ZoneId zone,
        Set<DayOfWeek> workingWeek,
        LocalTime opens,
        LocalTime closes,
        Set<LocalDate> holidays,
        Set<LocalDate> makeUpWorkdays,
        Set<Integer> provisionalYears,
        String source) {

    public BusinessCalendar {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(zone, "zone");
        workingWeek = Set.copyOf(workingWeek);
        holidays = Set.copyOf(holidays);
        makeUpWorkdays = Set.copyOf(makeUpWorkdays);
        provisionalYears = Set.copyOf(provisionalYears);
        if (!opens.isBefore(closes)) {
            throw new IllegalArgumentException("calendar " + id + ": opens " + opens + " must be before closes " + closes);
        }
    }

    /** A make-up working day wins over the working week; a holiday removes a working-week day. */
    public boolean isBusinessDay(LocalDate date) {
        if (makeUpWorkdays.contains(date)) {
            return true;
        }
        return workingWeek.contains(date.getDayOfWeek()) && !holidays.contains(date);
    }

    /** A plain calendar for tests and fallbacks: Monday to Friday, 09:00-17:00, no holidays. */
    public static BusinessCalendar weekdays(String id, ZoneId zone) {
        return new BusinessCalendar(id, zone,
                Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY),
                LocalTime.of(9, 0), LocalTime.of(17, 0), Set.of(), Set.of(), Set.of(), "Monday to Friday, no holidays");
    }
}
