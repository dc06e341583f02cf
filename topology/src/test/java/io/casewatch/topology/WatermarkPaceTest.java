package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.internal.MerchantFact;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

/**
 * Watermarks to the merchant statistics: at most one per minute of stream time, and, when paced, at most one per
 * pace of wall-clock time, so that reading a backlog (hours of stream time a second) does not send more watermarks
 * than events. What the pace holds back goes out on the wall clock.
 */
class WatermarkPaceTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration GRACE = Duration.ofMillis(500);

    private static CasewatchTopology.Settings pacedBy(Duration pace) {
        CasewatchTopology.Settings s = CasewatchTopology.Settings.defaults(Topics.defaults(), PolicySet.presets()).withGrace(GRACE);
        return s.withStats(s.stats().withWatermarkPace(pace));
    }

    /** Thirty cases opened five minutes apart: two and a half hours of stream time. */
    private static void backlog(CaseDriver d) {
        for (int i = 0; i < 30; i++) {
            d.pipe(Events.opened("c-" + i, T0.plus(Duration.ofMinutes(5L * i)), "GB"));
        }
    }

    private static long at(Instant eventTime) {
        return eventTime.minus(GRACE).toEpochMilli();
    }

    @Test
    void unpacedEveryMinuteOfStreamTimeSendsAWatermark() {
        try (CaseDriver d = new CaseDriver(pacedBy(Duration.ZERO))) {
            backlog(d);
            assertThat(d.watermarks()).hasSize(30).last().extracting(MerchantFact::getAt).isEqualTo(at(T0.plus(Duration.ofMinutes(145))));
        }
    }

    @Test
    void aBacklogReadWithinOnePaceSendsOneWatermarkAndHoldsTheLatest() {
        try (CaseDriver d = new CaseDriver(pacedBy(Duration.ofSeconds(1)))) {
            backlog(d);
            List<MerchantFact> sent = d.watermarks();
            assertThat(sent).extracting(MerchantFact::getAt).containsExactly(at(T0));

            d.advanceWallClock(Duration.ofSeconds(1));
            assertThat(d.watermarks()).as("the wall clock sends the latest watermark held back")
                    .extracting(MerchantFact::getAt).containsExactly(at(T0.plus(Duration.ofMinutes(145))));

            d.advanceWallClock(Duration.ofSeconds(1));
            assertThat(d.watermarks()).as("nothing new held back, nothing sent").isEmpty();
        }
    }

    @Test
    void oncePaceHasPassedTheNextStreamTimeMinuteSendsAtOnce() {
        try (CaseDriver d = new CaseDriver(pacedBy(Duration.ofSeconds(1)))) {
            d.pipe(Events.opened("c-1", T0, "GB"));
            assertThat(d.watermarks()).hasSize(1);
            d.advanceWallClock(Duration.ofSeconds(5));
            assertThat(d.watermarks()).as("stream time has not moved: nothing held").isEmpty();

            d.pipe(Events.opened("c-2", T0.plus(Duration.ofMinutes(2)), "GB"));
            assertThat(d.watermarks()).extracting(MerchantFact::getAt).containsExactly(at(T0.plus(Duration.ofMinutes(2))));
        }
    }
}
