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
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

/**
 * SPEC section 4 (issue 21): the first-response clock covers the contact that opened the case; every later INBOUND
 * contact waiting longer than the next-reply time raises UNANSWERED_CONTACT, with or without a first response.
 * US-CFPB preset: first response 15 calendar days, next reply 2 business days of the US calendar (America/New_York,
 * no holiday in the weeks used here). Day-based budgets count whole local days from the day after the contact
 * (docs/time.md), so a contact's 2 business days end at the midnight that closes its second business day.
 */
class UnansweredContactTopologyTest {

    /** Monday 2026-03-02 09:00 EST. */
    private static final Instant OPENED = Instant.parse("2026-03-02T14:00:00Z");
    /** Tuesday 2026-03-03 10:00 EST: the customer's first chaser. */
    private static final Instant CHASER = Instant.parse("2026-03-03T15:00:00Z");
    /** Wednesday and Thursday counted: Friday 2026-03-06 00:00 EST (UTC-5), worked out by hand. */
    private static final Instant CHASER_DEADLINE = Instant.parse("2026-03-06T05:00:00Z");

    private static List<Alert> unanswered(CaseDriver d) {
        return d.alerts().stream().filter(a -> a.getKind() == AlertKind.UNANSWERED_CONTACT && a.getStatus() == AlertStatus.OPEN).toList();
    }

    @Test
    void customerChasingBeforeFirstResponseRaisesUnansweredContact() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("chase-1", OPENED, "US"));
            d.pipe(Events.inbound("chase-1", OPENED));
            d.pipe(Events.inbound("chase-1", CHASER));
            d.pipe(Events.inbound("chase-1", Instant.parse("2026-03-04T15:00:00Z")));
            d.pipe(Events.inbound("chase-1", Instant.parse("2026-03-07T15:00:00Z")));
            d.tick(Instant.parse("2026-03-08T15:00:00Z"));

            List<Alert> alerts = unanswered(d);
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).getDeadline()).isEqualTo(CHASER_DEADLINE);
            assertThat(alerts.get(0).getDetectedAt()).isEqualTo(CHASER_DEADLINE);
            assertThat(alerts.get(0).getPolicyId()).isEqualTo("US-CFPB");
            // Six days in, the 15-day first response is not yet at risk (75%: 11.25 days).
            assertThat(d.alerts()).noneMatch(a -> a.getKind() == AlertKind.FIRST_RESPONSE_AT_RISK);
            assertThat(d.lastStatus().getClocks()).anySatisfy(c -> assertThat(c.getClock()).isEqualTo(ClockKind.NEXT_REPLY));
        }
    }

    @Test
    void theContactThatOpenedTheCaseIsTimedByTheFirstResponseClockAlone() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("open-only-1", OPENED, "US"));
            d.pipe(Events.inbound("open-only-1", OPENED));
            d.tick(OPENED.plus(Duration.ofDays(10)));

            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void anOpeningContactReadBeforeItsOpenedStartsNoWait() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.inbound("early-1", OPENED.minus(Duration.ofMinutes(10))));
            d.pipe(Events.opened("early-1", OPENED, "US"));
            d.tick(OPENED.plus(Duration.ofDays(10)));

            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void aChaserReadBeforeItsOpenedStillStartsAWait() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            // The producer of contacts is a day ahead of the one of lifecycle events; both within the orphan grace.
            d.pipe(Events.inbound("late-open-1", CHASER));
            d.pipe(Events.opened("late-open-1", OPENED, "US"));
            d.tick(Instant.parse("2026-03-08T15:00:00Z"));

            assertThat(unanswered(d)).extracting(Alert::getDeadline).containsExactly(CHASER_DEADLINE);
        }
    }

    @Test
    void aReplyClosesTheWaitAndTheNextChaserStartsANewOne() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("reply-1", OPENED, "US"));
            d.pipe(Events.inbound("reply-1", CHASER));
            d.pipe(Events.agentReply("reply-1", CHASER.plus(Duration.ofDays(1)), "We have reversed the fee of $35 today.", "en"));
            // Thursday 2026-03-05, unanswered: Friday and Monday count (not the weekend), due Tuesday 2026-03-10
            // 00:00 local, EDT (UTC-4) since Sunday 8 March.
            d.pipe(Events.inbound("reply-1", Instant.parse("2026-03-05T15:00:00Z")));
            d.tick(Instant.parse("2026-03-11T15:00:00Z"));

            List<Alert> alerts = unanswered(d);
            assertThat(alerts).extracting(Alert::getDeadline).containsExactly(Instant.parse("2026-03-10T04:00:00Z"));
            assertThat(d.alerts()).noneMatch(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH);
        }
    }
}
