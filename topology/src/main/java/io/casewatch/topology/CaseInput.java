package io.casewatch.topology;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;

import io.casewatch.loops.HoldingReplyClassifier;

/**
 * A decoded, validated input event on its way to the case processor, with the original record kept so that a
 * later failure can still dead-letter the exact bytes that came in. {@code textTruncated}: the contact's text was
 * longer than the limit and the event holds only its head. {@code reading}: what the classifier read of the contact's
 * text before the text was taken out of an event kept waiting (null: the text is in the event; see
 * {@link TextWithheld}).
 */
public record CaseInput(Kind kind, SpecificRecord event, String eventId, long occurredAt, Source source, boolean textTruncated,
        HoldingReplyClassifier.Reading reading) implements CaseTaskInput {

    public CaseInput(Kind kind, SpecificRecord event, String eventId, long occurredAt, Source source) {
        this(kind, event, eventId, occurredAt, source, false, null);
    }

    public CaseInput(Kind kind, SpecificRecord event, String eventId, long occurredAt, Source source, boolean textTruncated) {
        this(kind, event, eventId, occurredAt, source, textTruncated, null);
    }

    /** Which input stream the event came from. */
    public enum Kind { COMPLAINT, CONTACT, ACK }

    /** The record as it was read. */
    public record Source(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, Headers headers) {
    }
}
