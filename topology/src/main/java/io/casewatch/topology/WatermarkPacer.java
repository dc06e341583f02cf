package io.casewatch.topology;

import java.time.Duration;

/**
 * When a case task tells the merchant statistics how far it has got: at most once per {@link #EVERY_MS} of stream
 * time, and, with a pace, at most once per pace of wall-clock time. Each watermark is a record to every statistics
 * partition; reading a backlog, stream time runs through a minute every few events, so unpaced, watermarks would
 * outnumber the events several times over. A watermark the pace holds back goes out on the next wall-clock
 * punctuation, so a quiet stream still closes its windows. In memory, per task.
 */
final class WatermarkPacer {

    /** How far stream time moves between two watermarks. */
    static final long EVERY_MS = 60_000L;
    static final long NONE = Long.MIN_VALUE;

    private final long paceMs;
    private long last = NONE;
    private long lastWallMs;
    private long held = NONE;

    /** @param pace least wall-clock time between two watermarks; zero: stream time only (replay, tests) */
    WatermarkPacer(Duration pace) {
        this.paceMs = pace.toMillis();
    }

    boolean paced() {
        return paceMs > 0;
    }

    Duration pace() {
        return Duration.ofMillis(paceMs);
    }

    void reset() {
        last = NONE;
        held = NONE;
    }

    /** Deadlines have fired up to {@code now}: the watermark to send now, or {@link #NONE}. */
    long onTime(long now, long wallMs) {
        if (last != NONE && now - last < EVERY_MS) {
            return NONE;
        }
        if (paceMs > 0 && last != NONE && wallMs - lastWallMs < paceMs) {
            held = now;
            return NONE;
        }
        return now;
    }

    /** The wall-clock punctuation: the watermark the pace held back, or {@link #NONE}. */
    long onWallClock() {
        return held != NONE && held > last ? held : NONE;
    }

    /** The watermark {@code w} was sent at wall-clock time {@code wallMs}. */
    void sent(long w, long wallMs) {
        last = w;
        lastWallMs = wallMs;
        held = NONE;
    }
}
