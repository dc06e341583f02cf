package io.casewatch.ops;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.casewatch.sla.BusinessCalendar;
import io.casewatch.sla.Calendars;

/**
 * How many days of holiday data each calendar has left: the gauge {@code casewatch_calendar_data_days_left{calendar}}
 * (negative once the data has run out; the rule {@code CasewatchCalendarDataRunningOut} fires under 90), and a
 * start-up WARN line per calendar within {@link #WARN_WITHIN_DAYS} days of its end. The shipped data ends in 2027;
 * without this, deadlines would quietly start ignoring holidays on 1 January 2028.
 */
public final class CalendarHorizon {
    private static final Logger LOG = LoggerFactory.getLogger(CalendarHorizon.class);

    /** Warn at start-up, and alert, this many days before a calendar's data ends. */
    public static final int WARN_WITHIN_DAYS = 90;

    private CalendarHorizon() {
    }

    /** Days from today (in the calendar's zone) to the end of its data; negative past it. */
    public static long daysLeft(BusinessCalendar cal, LocalDate end, Clock clock) {
        // From the instant, not clock.withZone: a deployment's clock need not support zones (the demo's does not).
        return ChronoUnit.DAYS.between(LocalDate.ofInstant(clock.instant(), cal.zone()), end);
    }

    /**
     * Registers the gauges and logs the warnings.
     *
     * @return the warning lines logged (one per calendar near or past its end)
     */
    public static List<String> watch(Calendars calendars, MeterRegistry registry, Clock clock) {
        List<String> warnings = new ArrayList<>();
        for (String id : calendars.ids()) {
            BusinessCalendar cal = calendars.get(id);
            cal.dataEnd().ifPresent(end -> {
                Gauge.builder("casewatch.calendar.data.days.left", () -> daysLeft(cal, end, clock)).tag("calendar", id)
                        .description("days until the calendar's holiday data ends (negative: ended)").register(registry);
                long left = daysLeft(cal, end, clock);
                if (left < WARN_WITHIN_DAYS) {
                    String line = "calendar " + id + ": holiday data ends " + end + (left < 0 ? " (" + -left + " days ago)" : " (in " + left + " days)")
                            + "; deadlines after it count every working-week day as a business day (earlier than the real ones). "
                            + "Update casewatch or add a calendar file with the next years (docs/policies.md).";
                    LOG.warn(line);
                    warnings.add(line);
                }
            });
        }
        return warnings;
    }
}
