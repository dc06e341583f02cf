package io.casewatch.peer;

import java.time.Instant;

/**
 * One alert of the peer: a case missed a deadline. Written as JSON keyed by case id.
 *
 * @param caseId the case
 * @param kind {@code FIRST_RESPONSE_BREACH} or {@code RESOLUTION_BREACH}, casewatch's names for the same alerts
 * @param deadline epoch millis of the deadline that passed
 */
public record Breach(String caseId, String kind, long deadline) implements KeyedJson {

    public static final String FIRST_RESPONSE = "FIRST_RESPONSE_BREACH";
    public static final String RESOLUTION = "RESOLUTION_BREACH";

    @Override
    public String key() {
        return caseId;
    }

    @Override
    public String toJson() {
        return "{\"caseId\":" + KeyedJson.quote(caseId) + ",\"kind\":\"" + kind + "\",\"deadline\":\""
                + Instant.ofEpochMilli(deadline) + "\"}";
    }
}
