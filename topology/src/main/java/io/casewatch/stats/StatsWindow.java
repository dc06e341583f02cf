package io.casewatch.stats;

import java.time.ZoneId;

/**
 * A window of the merchant statistics, named by its kind and first local day and packed into a long: the kind in
 * the high half, the first day in the low half.
 */
final class StatsWindow {

    static final byte DAY = 0;
    static final byte ROLLING = 1;

    private StatsWindow() {
    }

    static long key(byte kind, int start) {
        return ((long) kind << 32) | (start & 0xFFFF_FFFFL);
    }

    static byte kindOf(long windowKey) {
        return (byte) (windowKey >>> 32);
    }

    static int startOf(long windowKey) {
        return (int) windowKey;
    }

    /**
     * True when the window's days (as the emitter reads them from the day store: an unsigned range of keys) include
     * {@code day}.
     */
    static boolean holds(long windowKey, int day) {
        int start = startOf(windowKey);
        if (kindOf(windowKey) == DAY) {
            return day == start;
        }
        int end = start + StatsDays.ROLLING_DAYS - 1;
        return Integer.compareUnsigned(start, end) <= 0 && Integer.compareUnsigned(start, day) <= 0 && Integer.compareUnsigned(day, end) <= 0;
    }

    /** The window's end in the merchant's time zone plus {@code grace}: when the watermark closes it. */
    static long closeAt(byte kind, int start, ZoneId zone, long grace) {
        return StatsDays.dayStart(start + (kind == DAY ? 1 : StatsDays.ROLLING_DAYS), zone) + grace;
    }
}
