package io.casewatch.replay.imports;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an import did: rows read, rows rejected by reason, events written by stream.
 *
 * @param rowsRead         data rows (header and skipped lines excluded)
 * @param rowsRejected     rows that produced no event because one of their values did not map
 * @param rejectsByReason  rejected rows by reason and column, sorted by that key
 * @param eventsByStream   events written, by stream name, sorted
 * @param casesOpened      OPENED events synthesised for cases that had none (per-event {@code openCases})
 */
public record ImportSummary(long rowsRead, long rowsRejected, SortedMap<String, Long> rejectsByReason,
                            SortedMap<String, Long> eventsByStream, long casesOpened) {

    public ImportSummary {
        rejectsByReason = new TreeMap<>(rejectsByReason);
        eventsByStream = new TreeMap<>(eventsByStream);
    }

    public long eventsWritten() {
        return eventsByStream.values().stream().mapToLong(Long::longValue).sum();
    }

    public long rowsMapped() {
        return rowsRead - rowsRejected;
    }

    /** The console summary. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("rows read:      ").append(rowsRead).append('\n');
        b.append("rows mapped:    ").append(rowsMapped()).append('\n');
        b.append("rows rejected:  ").append(rowsRejected).append('\n');
        b.append("events written: ").append(eventsWritten());
        if (!eventsByStream.isEmpty()) {
            b.append(" (");
            String sep = "";
            for (Map.Entry<String, Long> e : eventsByStream.entrySet()) {
                b.append(sep).append(e.getKey()).append(' ').append(e.getValue());
                sep = ", ";
            }
            b.append(')');
        }
        b.append('\n');
        if (casesOpened > 0) {
            b.append("cases opened for threads without an OPENED: ").append(casesOpened).append('\n');
        }
        if (!rejectsByReason.isEmpty()) {
            b.append("rejected rows by reason:\n");
            rejectsByReason.forEach((k, v) -> b.append(String.format("  %7d  %s%n", v, k)));
        }
        return b.toString();
    }
}
