package io.casewatch.sla;

/** How a clock counts time. */
public enum TimeBasis {
    /** Exact elapsed time, around the clock. */
    CALENDAR,
    /** Whole calendar days, counted from the day after receipt, ending at local midnight. */
    CALENDAR_DAYS,
    /** Whole business days of the calendar, counted from the day after receipt, ending at local midnight. */
    BUSINESS_DAYS,
    /** Time within the calendar's business hours on business days. */
    BUSINESS_HOURS
}
