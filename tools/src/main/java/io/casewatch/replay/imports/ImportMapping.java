package io.casewatch.replay.imports;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed mapping file (see docs/import.md): how the rows of one kind of CSV export become replay events.
 *
 * @param mode         one event per row, or several dated events per case row
 * @param csv          how to read the file
 * @param timeZone     the zone of times written without an offset
 * @param locale       the language of month and day names in time formats
 * @param sortByTime   write all events in time order (stable: ties keep input order) rather than input order
 * @param stream       per-event: the stream of each row's event
 * @param fields       per-event: the event's fields; per-case: the fields shared by every event of the row
 * @param events       per-case: the events each row yields
 * @param outOfOrder   per-case: what to do with a row whose dates contradict the declared event order
 * @param openCases    per-event: synthesise an OPENED complaint for cases that have none (null: do not)
 */
public record ImportMapping(
        Mode mode,
        CsvOptions csv,
        ZoneId timeZone,
        Locale locale,
        boolean sortByTime,
        ValueSpec stream,
        Map<String, ValueSpec> fields,
        List<EventSpec> events,
        OutOfOrder outOfOrder,
        OpenCases openCases) {

    public ImportMapping {
        fields = Map.copyOf(fields);
        events = List.copyOf(events);
    }

    /** The two shapes of export. */
    public enum Mode {
        PER_EVENT("per-event"), PER_CASE("per-case");

        private final String jsonName;

        Mode(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    /** A per-case row whose later-declared event is dated before an earlier one (closed before opened). */
    public enum OutOfOrder {
        /** Reject the row: the dates are a data error that would reach the pipeline as nonsense. */
        REJECT,
        /** Emit the events in time order anyway. */
        SORT
    }

    /**
     * For per-event exports that hold only messages: an OPENED complaint for every case that has no OPENED, at
     * the time of the case's first event (and before it), with the first merchantId any of its events carries.
     *
     * @param fields             constant fields of the OPENED event (category, channel, jurisdiction ...)
     * @param merchantIdFallback merchantId when none of the case's events names one
     */
    public record OpenCases(Map<String, ValueSpec> fields, String merchantIdFallback) {

        public OpenCases {
            fields = Map.copyOf(fields);
        }
    }
}
