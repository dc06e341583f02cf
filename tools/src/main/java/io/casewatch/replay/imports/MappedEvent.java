package io.casewatch.replay.imports;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event ready for the replay file.
 *
 * @param stream     where it goes
 * @param caseId     its case, for grouping
 * @param occurredAt its event time, for ordering
 * @param json       the line to write: {@code stream} first, then the fields in schema order
 */
public record MappedEvent(EventStream stream, String caseId, Instant occurredAt, ObjectNode json) {
}
