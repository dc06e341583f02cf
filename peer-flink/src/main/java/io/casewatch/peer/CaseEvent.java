package io.casewatch.peer;

/**
 * What the peer keeps of an input event: only the fields its two detections and the merchant count read. Decoding
 * into this small record right at the source keeps Flink's network and state serialisation cheap.
 *
 * @param caseId the key of both input topics
 * @param merchantId set on complaint events, {@code null} on contacts
 * @param at event time ({@code occurredAt}, epoch millis)
 * @param kind what the event means to the peer
 */
public record CaseEvent(String caseId, String merchantId, long at, Kind kind) {

    /** The peer's reading of an event; everything it does not use is {@link #OTHER}. */
    public enum Kind {
        /** ComplaintEvent OPENED: starts both clocks. */
        OPENED,
        /** ContactEvent OUTBOUND from AGENT or MERCHANT: meets the first-response goal (BOT replies do not). */
        REPLY,
        /** ComplaintEvent RESOLVED, CLOSED or WITHDRAWN: stops both clocks. */
        ENDED,
        /** Any other event: counted as processed, then dropped. */
        OTHER,
        /** A value that is not casewatch's Avro single-object encoding: counted, then dropped. */
        UNDECODABLE
    }
}
