package io.casewatch.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.ClockKind;
import io.casewatch.schema.ClockState;
import io.casewatch.schema.Level;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

class FirstResponseTopologyTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void firstResponseBreachFiresWhenNoAgentRepliesWithin24Hours() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("case-1", T0, null));
            d.tick(T0.plus(Duration.ofHours(23)));
            assertThat(d.alerts()).extracting(a -> a.getKind())
                    .contains(AlertKind.FIRST_RESPONSE_AT_RISK).doesNotContain(AlertKind.FIRST_RESPONSE_BREACH);

            d.tick(T0.plus(Duration.ofHours(24)).plusSeconds(1));

            var breaches = d.alerts().stream().filter(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH).toList();
            assertThat(breaches).hasSize(1);
            assertThat(breaches.get(0).getLevel()).isEqualTo(Level.L1);
            assertThat(breaches.get(0).getDeadline()).isEqualTo(T0.plus(Duration.ofHours(24)));
            assertThat(breaches.get(0).getPolicyId()).isEqualTo("DEFAULT");
            assertThat(d.lastStatus().getClocks()).anySatisfy(c -> {
                assertThat(c.getClock()).isEqualTo(ClockKind.FIRST_RESPONSE);
                assertThat(c.getState()).isEqualTo(ClockState.BREACHED);
            });
        }
    }

    @Test
    void replyInTimeRaisesNothing() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("case-2", T0, null));
            d.pipe(Events.agentReply("case-2", T0.plus(Duration.ofHours(2)), "Your refund of $20 was sent today.", "en"));
            d.tick(T0.plus(Duration.ofDays(3)));

            assertThat(d.alerts()).noneMatch(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH
                    || a.getKind() == AlertKind.FIRST_RESPONSE_AT_RISK);
        }
    }

    @Test
    void lateReplyStillCountsAsBreachEvenWhenItArrivesBeforeTheTimerFires() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("case-3", T0, null));
            d.pipe(Events.agentReply("case-3", T0.plus(Duration.ofHours(30)), "Sorry for the delay, refund sent.", "en"));

            assertThat(d.openAlerts()).extracting(a -> a.getKind()).contains(AlertKind.FIRST_RESPONSE_BREACH);
            assertThat(d.alerts()).anyMatch(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH && a.getStatus() == AlertStatus.CLOSED);
        }
    }

    @Test
    void duplicateEventChangesNothing() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            var open = Events.opened("case-4", T0, null);
            var reply = Events.agentReply("case-4", T0.plus(Duration.ofHours(1)), "Refund of $5 sent.", "en");
            d.pipe(open).pipe(reply).pipe(reply).pipe(open);

            assertThat(d.lastStatus().getOutboundContacts()).isEqualTo(1);
            // Only the counts say that they came (issue 18: every input record is accounted for in the outputs).
            assertThat(d.lastStatus().getEventsApplied()).isEqualTo(2);
            assertThat(d.lastStatus().getDuplicatesIgnored()).isEqualTo(2);
        }
    }

    @Test
    void garbageBytesAreDeadLetteredAndThePipelineGoesOn() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipeRawComplaint("case-5", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, T0);
            d.pipe(Events.opened("case-6", T0, null));
            d.tick(T0.plus(Duration.ofHours(25)));

            assertThat(d.deadLetters()).singleElement().satisfies(r ->
                    assertThat(new String(r.headers().lastHeader("casewatch.dlq.reason").value())).isEqualTo("UNDECODABLE"));
            assertThat(d.alerts()).anyMatch(a -> a.getCaseId().equals("case-6") && a.getKind() == AlertKind.FIRST_RESPONSE_BREACH);
        }
    }

    @Test
    void deadlinePassedWithinTheGraceOfAnotherEventStillFiresOnTheNextTick() {
        // An unrelated contact 200 ms after the deadline (inside the 500 ms grace) must not make the deadline skip
        // its timer: the breach fires when stream time moves on, with no further event on the case.
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("case-7", T0, null));
            d.tick(T0.plus(Duration.ofHours(24)).minusSeconds(1));
            d.pipe(Events.inbound("case-7", T0.plus(Duration.ofHours(24)).plusMillis(200)));
            d.tick(T0.plus(Duration.ofHours(24)).plusSeconds(5));

            assertThat(d.alerts()).anyMatch(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH && a.getStatus() == AlertStatus.OPEN);
        }
    }
}
