package io.casewatch.peer;

import java.time.Instant;

/**
 * Cases OPENED at one merchant in one UTC day (an event-time tumbling window). Keyed {@code merchantId@windowStart}
 * like casewatch's merchant statistics.
 *
 * @param merchantId the merchant
 * @param windowStart epoch millis, inclusive
 * @param windowEnd epoch millis, exclusive
 * @param opened cases opened in the window, each case once
 */
public record MerchantDay(String merchantId, long windowStart, long windowEnd, long opened) implements KeyedJson {

    @Override
    public String key() {
        return merchantId + "@" + Instant.ofEpochMilli(windowStart);
    }

    @Override
    public String toJson() {
        return "{\"merchantId\":" + KeyedJson.quote(merchantId) + ",\"windowStart\":\"" + Instant.ofEpochMilli(windowStart)
                + "\",\"windowEnd\":\"" + Instant.ofEpochMilli(windowEnd) + "\",\"opened\":" + opened + "}";
    }
}
