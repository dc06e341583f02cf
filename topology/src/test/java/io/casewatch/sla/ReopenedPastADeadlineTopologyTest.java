package io.casewatch.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

/**
 * A case resolved and then reopened after its statutory clock's last point passed (case-0002555 of the 50,000-case
 * workload, times as there): the reopening itself is what makes that point due, and the case may have no later event
 * to look again.
 */
class ReopenedPastADeadlineTopologyTest {

    private static final Instant OPENED = Instant.parse("2026-02-12T05:29:11.698Z");
    private static final Instant RESOLVED = Instant.parse("2026-02-27T02:52:27.180Z");
    private static final Instant REOPENED = Instant.parse("2026-03-06T23:34:09.851Z");

    @Test
    void aStatutoryPointThatPassedBeforeTheReopeningIsRaisedAtTheNextLookWithoutAnotherEvent() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("reopen-late", OPENED, "US"));
            d.pipe(Events.agentReply("reopen-late", OPENED.plusSeconds(3_600), "We refunded 128.50 to your card.", "en"));
            d.pipe(Events.resolved("reopen-late", RESOLVED));
            d.pipe(Events.complaint("reopen-late", io.casewatch.schema.ComplaintEventType.REOPENED, REOPENED).build());
            assertThat(statutoryBreaches(d)).as("nothing looks again before time moves").isEmpty();
            // 26 minutes later: before the statutory deadline itself (8 March) and before any other point of the case.
            d.tick(Instant.parse("2026-03-07T00:00:00Z"));
            assertThat(statutoryBreaches(d)).singleElement()
                    .satisfies(a -> assertThat(a.getDetectedAt()).as("stamped when its point passed").isBefore(REOPENED));
        }
    }

    private static List<Alert> statutoryBreaches(CaseDriver d) {
        return d.alerts().stream().filter(a -> a.getKind() == AlertKind.STATUTORY_BREACH && a.getStatus() == AlertStatus.OPEN).toList();
    }
}
