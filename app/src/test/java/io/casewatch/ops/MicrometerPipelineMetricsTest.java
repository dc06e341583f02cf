package io.casewatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.Level;
import io.casewatch.topology.IntakeCounters;

class MicrometerPipelineMetricsTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    private static Alert alert(AlertStatus status, Instant detectedAt) {
        return Alert.newBuilder().setAlertId("a-1").setCaseId("c-1").setMerchantId("m-1").setKind(AlertKind.FIRST_RESPONSE_BREACH)
                .setLevel(Level.L1).setStatus(status).setPolicyId("DEFAULT").setDetectedAt(detectedAt).setEpisode(1)
                .setEvidence(Evidence.newBuilder().setNotes(new java.util.HashMap<>()).build()).build();
    }

    @Test
    void bindingRegistersTheDomainMetersTheDashboardsRead() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new MicrometerPipelineMetrics(Clock.fixed(NOW, ZoneOffset.UTC), new IntakeCounters(), a -> { }).bindTo(registry);
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).contains("casewatch.holding.replies", "casewatch.punctuation",
                "casewatch.alert.latency", "casewatch.cases.open", "casewatch.cases.at.risk", "casewatch.cases.breached",
                "casewatch.records.processed", "casewatch.texts.truncated", "casewatch.dead.letters");
    }

    @Test
    void aPublishedAlertIsCountedByKindLevelAndStatusAndAnOpenOnesLatencyTimed() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Alert> told = new ArrayList<>();
        MicrometerPipelineMetrics metrics = new MicrometerPipelineMetrics(Clock.fixed(NOW, ZoneOffset.UTC), new IntakeCounters(), told::add);
        metrics.bindTo(registry);

        metrics.alertPublished(alert(AlertStatus.OPEN, NOW.minus(Duration.ofSeconds(3))));
        metrics.alertPublished(alert(AlertStatus.CLOSED, NOW.minus(Duration.ofHours(5))));

        assertThat(registry.get("casewatch.alerts.published").tag("kind", "FIRST_RESPONSE_BREACH").tag("level", "L1").tag("status", "OPEN")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get("casewatch.alerts.published").tag("status", "CLOSED").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("casewatch.alert.latency").timer().count()).as("closed alerts have no latency").isEqualTo(1);
        assertThat(registry.get("casewatch.alert.latency").timer().totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
        assertThat(told).hasSize(2);
    }

    @Test
    void theMetersAreBoundToOneRegistryOnly() {
        MicrometerPipelineMetrics metrics = new MicrometerPipelineMetrics(Clock.systemUTC(), new IntakeCounters(), a -> { });
        metrics.bindTo(new SimpleMeterRegistry());
        assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry())).isInstanceOf(IllegalStateException.class);
    }
}
