package io.casewatch.stats;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/** Parsed time zones by id: {@code ZoneId.of} looks the rules up anew on every call. Single-threaded. */
final class ZoneCache {

    private final Map<String, ZoneId> zones = new HashMap<>();

    ZoneId of(String id) {
        ZoneId z = zones.get(id);
        if (z == null) {
            z = ZoneId.of(id);
            zones.put(id, z);
        }
        return z;
    }
}
