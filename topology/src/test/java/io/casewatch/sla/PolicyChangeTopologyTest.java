package io.casewatch.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicyFile;
import io.casewatch.policy.PolicySet;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

class PolicyChangeTopologyTest {

    private static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");

    @Test
    void aShorterFirstResponseTimeAppliesToOpenCasesFromItsEffectiveTime() {
        // From T0+10h the default first response is 8 hours: the open case's deadline moves to T0+8h, already past,
        // so the breach fires at the change, not at the old deadline (T0+24h) nor at the old at-risk time (T0+18h).
        PolicySet policies = PolicyFile.parse("""
                {"policies": [{"id": "DEFAULT", "effectiveFrom": "2026-06-01T18:00:00Z", "firstResponse": "8 hours"}]}
                """);
        try (CaseDriver d = new CaseDriver(policies)) {
            d.pipe(Events.opened("change-1", T0, null));
            d.tick(T0.plus(Duration.ofHours(9)));
            assertThat(d.alerts()).noneMatch(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH);

            d.tick(T0.plus(Duration.ofHours(10)).plusSeconds(1));

            assertThat(d.alerts()).filteredOn(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH && a.getStatus() == AlertStatus.OPEN)
                    .singleElement().satisfies(a -> {
                        assertThat(a.getDeadline()).isEqualTo(T0.plus(Duration.ofHours(8)));
                        assertThat(a.getDetectedAt()).isBefore(T0.plus(Duration.ofHours(11)));
                    });
        }
    }

    @Test
    void aPolicyFileErrorNamesTheField() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicyFile.parse("""
                {"policies": [{"id": "X", "resolution": {"budget": "15 bizness days"}}]}
                """)).hasMessageContaining("policies[0].resolution.budget");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicyFile.parse("""
                {"policies": [{"id": "X", "firstRespnse": "4 hours"}]}
                """)).hasMessageContaining("policies[0].firstRespnse: unknown field");
    }

    @Test
    void aSubMinuteBudgetInAPolicyFileIsRefusedWithItsPath() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicyFile.parse("""
                {"policies": [{"id": "X", "firstResponse": {"budget": "PT20S"}}]}
                """)).hasMessageContaining("policies[0].firstResponse.budget").hasMessageContaining("whole minutes");
    }
}
