package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.testing.CaseDriver;

/** The demo's script, through the topology: each SPEC §1 story raises the alert it is there to show. */
class DemoStoriesTest {

    @Test
    void everyStoryOfTheDemoRaisesItsAlert() {
        Instant start = Instant.parse("2026-09-28T00:00:00Z");
        List<DemoStories.Scheduled> script = new DemoStories(start, 42).build(50);
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            for (DemoStories.Scheduled s : script) {
                if (s.event() instanceof ComplaintEvent c) {
                    d.pipe(c);
                } else {
                    d.pipe((ContactEvent) s.event());
                }
            }
            d.tick(start.plus(Duration.ofDays(70)));
            List<Alert> open = d.alerts().stream().filter(a -> a.getStatus() == AlertStatus.OPEN).toList();
            assertThat(d.deadLetters()).isEmpty();
            assertThat(open).anyMatch(a -> a.getCaseId().equals("wallet-dispute-0001") && a.getKind() == AlertKind.STALL_LOOP);
            assertThat(open).anyMatch(a -> a.getCaseId().equals("reopen-0001") && a.getKind() == AlertKind.REOPEN_LOOP);
            assertThat(open).anyMatch(a -> a.getCaseId().equals("ato-0001") && a.getKind() == AlertKind.FIRST_RESPONSE_BREACH
                    && a.getDeadline().equals(Instant.parse("2026-10-08T16:00:00Z")));
            assertThat(open).anyMatch(a -> a.getCaseId().equals("payfail-0001") && a.getKind() == AlertKind.FIRST_RESPONSE_BREACH);
        }
    }
}
