package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.casewatch.topology.CasewatchTopology;

/** `run` tunes for live latency where the configuration is silent; `replay` keeps the topology's defaults. */
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
}
