package io.casewatch.app;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Compressed time for the demo: starts at {@code start} and runs {@code speed} times faster than the wall clock. */
public final class SimulatedClock extends Clock {
    private final Instant start;
    private final long realStartNanos;
    private final double speed;

    public SimulatedClock(Instant start, double speed) {
        this.start = start;
        this.realStartNanos = System.nanoTime();
        this.speed = speed;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the simulated clock is UTC only");
    }

    @Override
    public Instant instant() {
        long realMillis = (System.nanoTime() - realStartNanos) / 1_000_000L;
        return start.plusMillis((long) (realMillis * speed));
    }
}
