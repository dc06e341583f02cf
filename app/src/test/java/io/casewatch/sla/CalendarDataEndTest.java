package io.casewatch.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.casewatch.ops.CalendarHorizon;

/**
 * Calendars that run out (issue 19 item 7): the shipped holiday data ends with 2027. Past its end a calendar knows only
 * its working week, so a deadline there counts every working-week day as a business day: it comes out earlier than
 * the real deadline (a holiday would have pushed it later), never later. The metric and the start-up warning say so
 * in time.
 */
class CalendarDataEndTest {
    private static final BusinessCalendar US = Calendars.presets().get("US");

    @Test
    void theShippedDataEndsWith2027AndAWeekdayCalendarNeverRunsOut() {
        for (String id : Calendars.PRESETS) {
            assertThat(Calendars.presets().get(id).dataEnd()).as(id).contains(LocalDate.of(2027, 12, 31));
        }
        assertThat(Calendars.presets().get("UTC").dataEnd()).isEmpty();
    }

    @Test
    void aDeadlinePastTheDataCountsUnknownHolidaysAsBusinessDaysSoItComesEarlierNeverLater() {
        // 20 business days from Monday 2027-12-20 end on the Monday or Tuesday after Martin Luther King Day 2028
        // (2028-01-17), which the shipped data does not know yet.
        Set<LocalDate> withMlk = new HashSet<>(US.holidays());
        withMlk.add(LocalDate.of(2028, 1, 17));
        BusinessCalendar real = new BusinessCalendar("US-2028", US.zone(), US.workingWeek(), US.opens(), US.closes(), withMlk,
                US.makeUpWorkdays(), US.provisionalYears(), US.source());
        long start = LocalDate.of(2027, 12, 20).atTime(10, 0).atZone(US.zone()).toInstant().toEpochMilli();
        Budget budget = Budget.businessDays(20);

        long shipped = ClockMath.deadline(budget, US, start, List.of(), false);
        long truth = ClockMath.deadline(budget, real, start, List.of(), false);
        assertThat(Instant.ofEpochMilli(shipped).atZone(US.zone()).toLocalDate()).isAfter(LocalDate.of(2028, 1, 17));
        assertThat(truth - shipped).as("one business day earlier: MLK Day counted as a business day").isEqualTo(Duration.ofDays(1).toMillis());

        // Inside the data the holidays count as they should: the observed Christmas and New Year's Day 2027/2028.
        BusinessCalendar noHolidays = new BusinessCalendar("US-none", US.zone(), US.workingWeek(), US.opens(), US.closes(), Set.of(),
                Set.of(), Set.of(), "");
        long inData = ClockMath.deadline(Budget.businessDays(5), US, start, List.of(), false);
        long ignoring = ClockMath.deadline(Budget.businessDays(5), noHolidays, start, List.of(), false);
        assertThat(inData).isGreaterThan(ignoring);
    }

    @Test
    void daysLeftIsAGaugeAndWithin90DaysAStartUpWarning() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Clock early = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);
        assertThat(CalendarHorizon.watch(Calendars.presets(), registry, early)).isEmpty();
        assertThat(registry.get("casewatch.calendar.data.days.left").tag("calendar", "US").gauge().value()).isEqualTo(394);
        assertThat(registry.find("casewatch.calendar.data.days.left").tag("calendar", "UTC").gauge()).isNull();

        SimpleMeterRegistry late = new SimpleMeterRegistry();
        List<String> warnings = CalendarHorizon.watch(Calendars.presets(), late, Clock.fixed(Instant.parse("2027-11-01T12:00:00Z"), ZoneOffset.UTC));
        assertThat(warnings).hasSize(Calendars.PRESETS.size());
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("calendar US: holiday data ends 2027-12-31 (in 60 days)")
                .contains("every working-week day as a business day"));
        assertThat(late.get("casewatch.calendar.data.days.left").tag("calendar", "DE").gauge().value()).isEqualTo(60);

        List<String> past = CalendarHorizon.watch(Calendars.presets(), new SimpleMeterRegistry(),
                Clock.fixed(Instant.parse("2028-01-10T12:00:00Z"), ZoneOffset.UTC));
        assertThat(past).anySatisfy(w -> assertThat(w).contains("ends 2027-12-31 (10 days ago)"));
    }
}
