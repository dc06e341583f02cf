package io.casewatch.replay.imports;

import java.util.List;
import java.util.Map;

/**
 * One event a per-case row yields, e.g. "OPENED at {@code Date received}".
 *
 * @param id       unique within the mapping; the default eventId is {@code <caseId>:<id>}
 * @param stream   which stream the event goes to
 * @param at       the event time ({@code occurredAt})
 * @param when     emit the event only when all of these hold (empty: always)
 * @param optional when the time cell is empty, skip this event instead of rejecting the row
 * @param fields   this event's own fields; they win over the row's shared {@code case} fields
 */
public record EventSpec(String path, String id, EventStream stream, ValueSpec at, List<Condition> when, boolean optional,
                        Map<String, ValueSpec> fields) {

    public EventSpec {
        fields = Map.copyOf(fields);
        when = List.copyOf(when);
    }
}
