package io.casewatch.replay.imports;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Reads an export's date or date-time text into a zoned time. A value with an offset keeps it; a local date-time
 * is placed in the mapping's time zone (in a DST gap it moves forward, in an overlap it takes the earlier offset,
 * as {@link ZonedDateTime#of} does, so the result is the same on every run); a date alone is the start of that day.
 */
final class TimeParser {

    /** Written with the offset, e.g. {@code 2020-03-19T00:00:00-04:00} or {@code 2017-10-31T22:10:47Z}. */
    static final DateTimeFormatter OUTPUT = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final DateTimeFormatter formatter;
    private final String pattern;
    private final ZoneId zone;

    TimeParser(String pattern, ZoneId zone, Locale locale) {
        this.pattern = pattern == null ? "ISO" : pattern;
        this.formatter = pattern == null || pattern.equals("ISO") ? null : DateTimeFormatter.ofPattern(pattern, locale);
        this.zone = zone;
    }

    ZonedDateTime parse(String text) {
        TemporalAccessor t = formatter == null ? isoBest(text)
                : formatter.parseBest(text, ZonedDateTime::from, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
        if (t instanceof ZonedDateTime z) {
            return z;
        }
        if (t instanceof OffsetDateTime o) {
            return o.toZonedDateTime();
        }
        if (t instanceof LocalDateTime l) {
            return l.atZone(zone);
        }
        return ((LocalDate) t).atStartOfDay(zone);
    }

    String pattern() {
        return pattern;
    }

    private static TemporalAccessor isoBest(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeException e) {
            // not with an offset; try the local forms
        }
        try {
            return LocalDateTime.parse(text);
        } catch (DateTimeException e) {
            // not a local date-time; try a date
        }
        return LocalDate.parse(text);
    }
}
