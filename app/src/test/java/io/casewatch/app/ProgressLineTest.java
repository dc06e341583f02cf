package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void saysEventsRateShareReadAndTimeLeftAtThatPace() {
        // 30,000 events in 2 s, a quarter of the file read: 6 s more at that pace.
        assertThat(ProgressLine.text("replay", 30_000, 0.25, 2_000_000_000L))
                .isEqualTo("replay: 30,000 events, 15,000 events/s, 25% read, ~6 s left");
    }

    @Test
    void saysNoTimeLeftBeforeAnythingIsReadOrOnceAllIs() {
        assertThat(ProgressLine.text("replay", 0, 0.0, 1_000_000_000L)).isEqualTo("replay: 0 events, 0 events/s, 0% read");
        assertThat(ProgressLine.text("replay", 10, 1.0, 1_000_000_000L)).isEqualTo("replay: 10 events, 10 events/s, 100% read");
    }

    @Test
    void isSilentWithoutAConsole() {
        // The build runs without a terminal: what a script or CI sees.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.console() == null);
        assertThat(ProgressLine.forStderr("replay")).isSameAs(io.casewatch.replay.Replay.Progress.NONE);
    }
}
