package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.casewatch.escalation.EscalationRules;
import io.casewatch.ops.MicrometerPipelineMetrics;
import io.casewatch.policy.PolicySet;
import io.casewatch.state.StoreKind;
import io.casewatch.topology.CasewatchTopology;
import io.casewatch.topology.IntakeCounters;
import io.casewatch.topology.Topics;
import io.casewatch.topology.TopologyRuntime;

/** `run` tunes for live latency and `replay` for a report where the configuration is silent; the tests keep the topology's defaults. */
class RunSettingsTest {

    private static AppConfig config(Map<String, String> flags) {
        return AppConfig.load(null, Map.of(), new HashMap<>(flags));
    }

    @Test
    void runLooksForDeadlinesEveryTenthOfASecondAndPacesWatermarks() {
        CasewatchTopology.Settings s = Pipeline.runSettings(config(Map.of()));
        assertThat(s.punctuateEvery()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.stats().watermarkPace()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void replayKeepsTheTopologyDefaults() {
        CasewatchTopology.Settings s = Pipeline.settings(config(Map.of()));
        assertThat(s.punctuateEvery()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.stats().watermarkPace()).isZero();
    }

    @Test
    void configuredValuesWinOverRunDefaults() {
        CasewatchTopology.Settings s = Pipeline.runSettings(config(Map.of(AppConfig.PUNCTUATE, "PT2S", AppConfig.STATS_WATERMARK_PACE, "PT0S")));
        assertThat(s.punctuateEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.stats().watermarkPace()).isZero();
    }

    @Test
    void replayKeepsAStatusAndLiveWindowsPerDayInMemoryUnlessConfigured() {
        CasewatchTopology.Settings s = Pipeline.replaySettings(config(Map.of()));
        assertThat(s.statusInterval()).isEqualTo(Duration.ofDays(1));
        assertThat(s.stats().liveEvery()).isEqualTo(Duration.ofDays(1));
        assertThat(s.stores()).isEqualTo(StoreKind.IN_MEMORY);
        assertThat(s.punctuateEvery()).isEqualTo(Duration.ofMillis(500));

        CasewatchTopology.Settings configured = Pipeline.replaySettings(config(Map.of(AppConfig.STATUS_INTERVAL, "PT0S")));
        assertThat(configured.statusInterval()).isZero();
    }

    @Test
    void aCopyThroughTheBuilderKeepsEverySetting() {
        CasewatchTopology.Settings s = CasewatchTopology.Settings.builder(Topics.defaults(), PolicySet.presets(), CasewatchTopology.Settings.Preset.RUN)
                .grace(Duration.ofSeconds(3)).maxFuture(Duration.ofHours(2)).maxTextChars(99)
                .escalation(EscalationRules.DEFAULT.withAckEscalation(false)).stores(StoreKind.IN_MEMORY).orphanGrace(Duration.ofMinutes(7))
                .build();
        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThat(s.withGrace(Duration.ofSeconds(4))).isEqualTo(s.toBuilder().grace(Duration.ofSeconds(4)).build()).isNotEqualTo(s);
    }

    @Test
    void theRuntimeIsApartFromTheConfiguration() {
        TopologyRuntime live = TopologyRuntime.live(Clock.systemUTC());
        IntakeCounters counters = new IntakeCounters();
        TopologyRuntime measured = live.withCounters(counters).withMetrics(new MicrometerPipelineMetrics(Clock.systemUTC(), counters, a -> { }));
        assertThat(measured.live()).isTrue();
        assertThat(measured.counters()).isSameAs(counters);
        assertThat(measured.clock()).isSameAs(live.clock());

        TopologyRuntime replay = TopologyRuntime.replay();
        assertThat(replay.mode()).isEqualTo(TopologyRuntime.Mode.REPLAY);
        assertThatThrownBy(replay::clock).isInstanceOf(IllegalStateException.class).hasMessageContaining("no wall clock");
    }
}
