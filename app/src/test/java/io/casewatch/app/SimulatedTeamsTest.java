package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.casewatch.escalation.AlertIds;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.Level;

class SimulatedTeamsTest {

    private static final Instant T0 = Instant.parse("2026-09-28T09:00:00Z");

    private static Alert alert(String caseId, AlertKind kind, AlertStatus status) {
        return Alert.newBuilder().setAlertId(AlertIds.of(caseId, kind, 1, Level.L1)).setCaseId(caseId).setMerchantId("m1").setKind(kind)
                .setLevel(Level.L1).setStatus(status).setPolicyId("DEFAULT").setDetectedAt(T0).setEpisode(1)
                .setEvidence(Evidence.newBuilder().setNotes(new java.util.HashMap<>()).build()).build();
    }

    @Test
    void teamsAcknowledgeMostAlertsWithinMinutesAndLeaveTheRestToEscalate() {
        SimulatedTeams teams = new SimulatedTeams(42);
        List<EscalationAck> acks = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            teams.respond(alert("case-" + i, AlertKind.FIRST_RESPONSE_BREACH, AlertStatus.OPEN)).ifPresent(acks::add);
        }
        // 85% of 2,000 is 1,700; a binomial's standard deviation here is 16.
        assertThat(acks.size()).isBetween(1_600, 1_800);
        assertThat(acks).allSatisfy(a -> {
            Duration d = Duration.between(T0, a.getOccurredAt());
            assertThat(d).isBetween(Duration.ofMinutes(2), Duration.ofMinutes(20));
            // Well inside every preset's L1 ack time (4 hours): an acked alert never climbs.
            assertThat(d).isLessThan(Duration.ofHours(4));
            assertThat(a.getTeam()).isEqualTo("team-lead");
        });
    }

    @Test
    void theSameAlertGetsTheSameAnswer() {
        Alert a = alert("case-7", AlertKind.STALL_LOOP, AlertStatus.OPEN);
        Optional<EscalationAck> first = new SimulatedTeams(42).respond(a);
        assertThat(new SimulatedTeams(42).respond(a)).isEqualTo(first);
    }

    @Test
    void closesAndStormSummariesAreNotAcknowledged() {
        SimulatedTeams teams = new SimulatedTeams(42);
        for (int i = 0; i < 50; i++) {
            assertThat(teams.respond(alert("c" + i, AlertKind.FIRST_RESPONSE_BREACH, AlertStatus.CLOSED))).isEmpty();
            assertThat(teams.respond(alert("c" + i, AlertKind.ALERT_STORM, AlertStatus.OPEN))).isEmpty();
        }
    }
}
