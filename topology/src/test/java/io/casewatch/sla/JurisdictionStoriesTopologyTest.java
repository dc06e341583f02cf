package io.casewatch.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.ClockKind;
import io.casewatch.schema.ClockState;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.Level;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

/** SPEC §1 and §5 stories through the whole topology, one per test. */
class JurisdictionStoriesTopologyTest {

    private static List<Alert> open(CaseDriver d, AlertKind kind) {
        return d.alerts().stream().filter(a -> a.getKind() == kind && a.getStatus() == AlertStatus.OPEN).toList();
    }

    @Test
    void fridayNightComplaintBeforeChineseHolidayCountsFromTheNextWorkingDayIncludingTheMakeUpSaturday() {
        // Friday 2026-02-13 23:00 in Shanghai; Spring Festival 15-23 Feb; Saturday 14 Feb is a make-up working day.
        Instant received = Instant.parse("2026-02-13T15:00:00Z");
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("cn-ato", received, "CN"));
            d.tick(Instant.parse("2026-02-14T15:59:00Z"));
            assertThat(open(d, AlertKind.FIRST_RESPONSE_BREACH)).isEmpty();

            d.tick(Instant.parse("2026-02-14T16:00:01Z"));

            // One business day after the day of receipt: the make-up Saturday, ending at its local midnight.
            assertThat(open(d, AlertKind.FIRST_RESPONSE_BREACH)).singleElement().satisfies(a -> {
                assertThat(a.getDeadline()).isEqualTo(Instant.parse("2026-02-14T16:00:00Z"));
                assertThat(a.getPolicyId()).isEqualTo("CN-BANKING-2020");
            });
        }
    }

    @Test
    void chineseStatutoryFifteenDaysEndingInTheHolidayRollsToTheNextWorkingDay() {
        // Received 2026-09-20 (a make-up Sunday); day 15 is 2026-10-05, inside National Day: the period ends 2026-10-08.
        Instant received = Instant.parse("2026-09-20T02:00:00Z");
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("cn-stat", received, "CN"));
            d.pipe(Events.agentReply("cn-stat", received.plus(Duration.ofHours(1)), "已为您登记，退款50元将于3个工作日内到账。", "zh-Hans"));
            d.tick(Instant.parse("2026-10-08T02:00:00Z")); // 10:00 in Shanghai on the last day

            assertThat(open(d, AlertKind.STATUTORY_BREACH)).singleElement().satisfies(a -> {
                assertThat(a.getLevel()).isEqualTo(Level.L3);
                assertThat(a.getDeadline()).isEqualTo(Instant.parse("2026-10-08T16:00:00Z"));
                assertThat(a.getEvidence().getNotes()).containsEntry("phase", "LAST_BUSINESS_DAY");
            });
        }
    }

    @Test
    void psd2HoldingReplyWithExtensionMovesTheStatutoryDeadlineFrom15To35BusinessDays() {
        Instant received = Instant.parse("2026-03-02T09:00:00Z"); // Monday, Germany
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("eu-1", received, "DE"));
            d.pipe(Events.agentReply("eu-1", received.plus(Duration.ofHours(3)),
                    "We need more time because the card scheme must answer; you will have our final reply by 20 April.", "en"));
            d.pipe(Events.complaint("eu-1", ComplaintEventType.EXTENDED, received.plus(Duration.ofDays(5))).setReason("SCHEME_INQUIRY").build());
            d.tick(Instant.parse("2026-03-25T00:00:00Z"));

            assertThat(open(d, AlertKind.STATUTORY_BREACH)).isEmpty();
            assertThat(d.lastStatus().getClocks()).filteredOn(c -> c.getClock() == ClockKind.STATUTORY).singleElement()
                    .satisfies(c -> assertThat(c.getDeadline()).isAfter(Instant.parse("2026-04-15T00:00:00Z")));
        }
    }

    @Test
    void awaitingCustomerPausesTheResolutionClockUntilResumed() {
        Instant received = Instant.parse("2026-03-02T09:00:00Z");
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("pause-1", received, null));
            d.pipe(Events.agentReply("pause-1", received.plus(Duration.ofHours(1)), "Please send the receipt so we can refund €20.", "en"));
            d.pipe(Events.complaint("pause-1", ComplaintEventType.AWAITING_CUSTOMER, received.plus(Duration.ofDays(2))).build());
            d.tick(received.plus(Duration.ofDays(20)));

            assertThat(open(d, AlertKind.RESOLUTION_BREACH)).isEmpty();
            assertThat(d.lastStatus().getClocks()).filteredOn(c -> c.getClock() == ClockKind.RESOLUTION).singleElement()
                    .satisfies(c -> assertThat(c.getState()).isEqualTo(ClockState.PAUSED));

            d.pipe(Events.complaint("pause-1", ComplaintEventType.RESUMED, received.plus(Duration.ofDays(20))).build());
            d.tick(received.plus(Duration.ofDays(33)));
            assertThat(open(d, AlertKind.RESOLUTION_BREACH)).isEmpty();
            // 15 calendar days from 3 March 00:00 (the day after receipt) would end on 18 March; the 18 days paused
            // (4 March 09:00 to 22 March 09:00) move the end to 5 April 00:00.
            d.tick(received.plus(Duration.ofDays(35)));
            assertThat(open(d, AlertKind.RESOLUTION_BREACH)).singleElement()
                    .satisfies(a -> assertThat(a.getDeadline()).isEqualTo(Instant.parse("2026-04-05T00:00:00Z")));
        }
    }
}
