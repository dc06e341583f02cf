package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class WatermarkPacerTest {

    @Test
    void unpacedAWatermarkGoesOutPerMinuteOfStreamTime() {
        WatermarkPacer p = new WatermarkPacer(Duration.ZERO);
        assertThat(p.onTime(0, 0)).isZero();
        p.sent(0, 0);
        assertThat(p.onTime(59_999, 0)).isEqualTo(WatermarkPacer.NONE);
        assertThat(p.onTime(60_000, 0)).isEqualTo(60_000);
        assertThat(p.paced()).isFalse();
    }

    @Test
    void thePaceHoldsAWatermarkBackUntilTheWallClockPunctuation() {
        WatermarkPacer p = new WatermarkPacer(Duration.ofSeconds(1));
        assertThat(p.onTime(0, 1_000)).as("the first goes out at once").isZero();
        p.sent(0, 1_000);

        assertThat(p.onTime(60_000, 1_500)).as("half a second of wall clock later").isEqualTo(WatermarkPacer.NONE);
        assertThat(p.onTime(120_000, 1_600)).isEqualTo(WatermarkPacer.NONE);
        assertThat(p.onWallClock()).as("the latest held back").isEqualTo(120_000);
        p.sent(120_000, 2_000);
        assertThat(p.onWallClock()).isEqualTo(WatermarkPacer.NONE);

        assertThat(p.onTime(180_000, 3_000)).as("a second after the last").isEqualTo(180_000);
    }

    @Test
    void aResetSendsTheNextAtOnce() {
        WatermarkPacer p = new WatermarkPacer(Duration.ofSeconds(1));
        p.sent(60_000, 1_000);
        p.reset();
        assertThat(p.onTime(60_001, 1_001)).isEqualTo(60_001);
        assertThat(p.onWallClock()).isEqualTo(WatermarkPacer.NONE);
    }
}
