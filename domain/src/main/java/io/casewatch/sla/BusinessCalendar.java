package io.casewatch.sla;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A jurisdiction's working calendar: its time zone, working week, business hours, public holidays and make-up
 * working days (a Saturday that is worked in exchange for a bridging holiday, as in China's 调休).
 *
 * <p>A value class with record-style accessors rather than a record only because it carries its {@link DayTable},
 * built on first use: deadline arithmetic runs several times per event and must not walk the calendar day by day.
 */
public final class BusinessCalendar {

    private final String id;
    private final ZoneId zone;
    private final Set<DayOfWeek> workingWeek;
    private final LocalTime opens;
    private final LocalTime closes;
    private final Set<LocalDate> holidays;
    private final Set<LocalDate> makeUpWorkdays;
    private final Set<Integer> provisionalYears;
    private final String source;
    /** Immutable once built; a race builds it twice, never half. */
    private DayTable table;

    public BusinessCalendar(String id, ZoneId zone, Set<DayOfWeek> workingWeek, LocalTime opens, LocalTime closes,
            Set<LocalDate> holidays, Set<LocalDate> makeUpWorkdays, Set<Integer> provisionalYears, String source) {
        this.id = Objects.requireNonNull(id, "id");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.workingWeek = Set.copyOf(workingWeek);
        this.opens = opens;
        this.closes = closes;
        this.holidays = Set.copyOf(holidays);
        this.makeUpWorkdays = Set.copyOf(makeUpWorkdays);
        this.provisionalYears = Set.copyOf(provisionalYears);
        this.source = source;
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

    DayTable table() {
        DayTable t = table;
        if (t == null) {
            t = DayTable.of(this);
            table = t;
        }
        return t;
    }

    /** A plain calendar for tests and fallbacks: Monday to Friday, 09:00-17:00, no holidays. */
    public static BusinessCalendar weekdays(String id, ZoneId zone) {
        return new BusinessCalendar(id, zone,
                Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY),
                LocalTime.of(9, 0), LocalTime.of(17, 0), Set.of(), Set.of(), Set.of(), "Monday to Friday, no holidays");
    }

    public String id() {
        return id;
    }

    public ZoneId zone() {
        return zone;
    }

    public Set<DayOfWeek> workingWeek() {
        return workingWeek;
    }

    public LocalTime opens() {
        return opens;
    }

    public LocalTime closes() {
        return closes;
    }

    public Set<LocalDate> holidays() {
        return holidays;
    }

    public Set<LocalDate> makeUpWorkdays() {
        return makeUpWorkdays;
    }

    public Set<Integer> provisionalYears() {
        return provisionalYears;
    }

    public String source() {
        return source;
    }

    /**
     * The last day the calendar's holiday data covers: 31 December of the latest year with a holiday or make-up day
     * (the data is kept by whole years). Empty for a calendar without holidays, which has no data to run out. Past it,
     * {@link #isBusinessDay} knows only the working week: every working-week day counts as a business day, so a
     * deadline there comes out earlier than (or as) the real one, never later (docs/time.md, Calendars that run out).
     */
    public Optional<LocalDate> dataEnd() {
        return Stream.concat(holidays.stream(), makeUpWorkdays.stream()).map(LocalDate::getYear).max(Integer::compare)
                .map(y -> LocalDate.of(y, 12, 31));
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof BusinessCalendar c && id.equals(c.id) && zone.equals(c.zone)
                && workingWeek.equals(c.workingWeek) && opens.equals(c.opens) && closes.equals(c.closes)
                && holidays.equals(c.holidays) && makeUpWorkdays.equals(c.makeUpWorkdays)
                && provisionalYears.equals(c.provisionalYears) && Objects.equals(source, c.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, zone, workingWeek, opens, closes, holidays, makeUpWorkdays, provisionalYears, source);
    }

    @Override
    public String toString() {
        return "BusinessCalendar[id=" + id + ", zone=" + zone + ", workingWeek=" + workingWeek + ", opens=" + opens
                + ", closes=" + closes + ", holidays=" + holidays.size() + ", makeUpWorkdays=" + makeUpWorkdays.size()
                + ", provisionalYears=" + provisionalYears + ", source=" + source + "]";
    }
}
