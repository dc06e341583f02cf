package io.casewatch.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicyFile;
import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.Level;
import io.casewatch.sla.Calendars;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;
import io.casewatch.topology.CasewatchTopology;
import io.casewatch.topology.Topics;

/** The escalation ladder (acks, re-escalation, closing, storms, quiet hours) through the topology. */
class EscalationTopologyTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z"); // Monday
    /** First response in 2 hours, no at-risk warning, so each case raises exactly one L1 alert. */
    private static final PolicySet POLICY = PolicyFile.parse("""
            {"replacePresets": true, "policies": [{"id": "DEFAULT", "calendar": "GB",
              "firstResponse": {"budget": "2 hours", "atRisk": []}, "nextReply": null, "resolution": null, "statutory": null,
              "ackTimes": {"L1": "PT1H", "L2": "PT2H", "L3": "PT4H"}}]}
            """);
    private static final Instant BREACH = T0.plus(Duration.ofHours(2));

    private static CaseDriver driver() {
        return new CaseDriver(CasewatchTopology.Settings.defaults(Topics.defaults(), POLICY));
    }

    private static List<Alert> open(CaseDriver d) {
        return d.alerts().stream().filter(a -> a.getStatus() == AlertStatus.OPEN).toList();
    }

    @Test
    void ackInTimeStopsTheLadder() {
        try (CaseDriver d = driver()) {
            d.pipe(Events.opened("c-1", T0, "GB")).tick(BREACH.plusSeconds(1));
            Alert breach = open(d).get(0);
            d.pipe(Events.ack("c-1", breach.getAlertId(), Level.L1, BREACH.plus(Duration.ofMinutes(30))));
            d.tick(BREACH.plus(Duration.ofDays(1)));

            assertThat(open(d)).extracting(Alert::getKind).containsExactly(AlertKind.FIRST_RESPONSE_BREACH);
        }
    }

    @Test
    void noAckClimbsL1ToL2ToL3AndStops() {
        try (CaseDriver d = driver()) {
            d.pipe(Events.opened("c-2", T0, "GB")).tick(BREACH.plus(Duration.ofDays(2)));

            List<Alert> alerts = open(d);
            assertThat(alerts).extracting(Alert::getKind, Alert::getLevel).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(AlertKind.FIRST_RESPONSE_BREACH, Level.L1),
                    org.assertj.core.groups.Tuple.tuple(AlertKind.ESCALATION_UNACKED, Level.L2),
                    org.assertj.core.groups.Tuple.tuple(AlertKind.ESCALATION_UNACKED, Level.L3));
            String root = alerts.get(0).getAlertId();
            assertThat(alerts.subList(1, 3)).allSatisfy(a -> assertThat(a.getRelatedAlertId()).isEqualTo(root));
            assertThat(alerts.get(1).getDetectedAt()).isEqualTo(BREACH.plus(Duration.ofHours(1)));
            assertThat(alerts.get(2).getDetectedAt()).isEqualTo(BREACH.plus(Duration.ofHours(3)));
        }
    }

    @Test
    void ackAfterReEscalationStopsTheClimbAtL2() {
        try (CaseDriver d = driver()) {
            d.pipe(Events.opened("c-3", T0, "GB")).tick(BREACH.plus(Duration.ofMinutes(90)));
            Alert l2 = open(d).stream().filter(a -> a.getLevel() == Level.L2).findFirst().orElseThrow();
            d.pipe(Events.ack("c-3", l2.getAlertId(), Level.L2, BREACH.plus(Duration.ofMinutes(100))));
            d.tick(BREACH.plus(Duration.ofDays(2)));

            assertThat(open(d)).extracting(Alert::getLevel).containsExactly(Level.L1, Level.L2);
        }
    }

    @Test
    void resolvingTheCaseClosesItsOpenAlertsOnTheirOwnTopics() {
        try (CaseDriver d = driver()) {
            d.pipe(Events.opened("c-4", T0, "GB")).tick(BREACH.plus(Duration.ofMinutes(70)));
            d.pipe(Events.resolved("c-4", BREACH.plus(Duration.ofMinutes(80))));
            d.tick(BREACH.plus(Duration.ofDays(1)));

            List<Alert> all = d.alerts();
            List<Alert> opened = all.stream().filter(a -> a.getStatus() == AlertStatus.OPEN).toList();
            List<Alert> closed = all.stream().filter(a -> a.getStatus() == AlertStatus.CLOSED).toList();
            assertThat(opened).hasSize(2);
            assertThat(closed).extracting(Alert::getAlertId).containsExactlyInAnyOrderElementsOf(opened.stream().map(Alert::getAlertId).toList());
            assertThat(closed).allSatisfy(c -> assertThat(c.getCloseReason()).isEqualTo("case resolved"));
            assertThat(closed).extracting(Alert::getLevel).containsExactlyInAnyOrder(Level.L1, Level.L2);
        }
    }

    @Test
    void alertStormOfOneMerchantIsFoldedIntoOneSummaryWithItsCount() {
        var settings = CasewatchTopology.Settings.defaults(Topics.defaults(), POLICY)
                .withEscalation(new EscalationRules(5, Duration.ofHours(1), null));
        try (CaseDriver d = new CaseDriver(settings)) {
            for (int i = 0; i < 200; i++) {
                d.pipe(Events.opened("outage-" + i, T0.plusSeconds(i), "GB"));
            }
            d.tick(BREACH.plus(Duration.ofMinutes(61))); // the 12:00-13:00 window of the L1 breaches has ended

            List<Alert> published = open(d);
            assertThat(published).filteredOn(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH).hasSize(5);
            assertThat(published).filteredOn(a -> a.getKind() == AlertKind.ALERT_STORM).singleElement().satisfies(s -> {
                assertThat(s.getEvidence().getCount()).isEqualTo(195L);
                assertThat(s.getMerchantId()).isEqualTo("m-1");
                assertThat(s.getLevel()).isEqualTo(Level.L1);
            });
        }
    }

    @Test
    void quietHoursHoldL1UntilTheNextOpeningOfTheTeamCalendar() {
        var settings = CasewatchTopology.Settings.defaults(Topics.defaults(), PolicySet.presets())
                .withEscalation(new EscalationRules(50, Duration.ofHours(1), Calendars.presets().get("GB")));
        // First response for DEFAULT is 24 hours: opened Friday 20:00, the breach falls Saturday 20:00 London.
        Instant friday = Instant.parse("2026-03-06T20:00:00Z");
        try (CaseDriver d = new CaseDriver(settings)) {
            d.pipe(Events.opened("quiet-1", friday, null));
            d.tick(Instant.parse("2026-03-08T12:00:00Z"));
            assertThat(open(d)).noneMatch(a -> a.getLevel() == Level.L1);

            d.tick(Instant.parse("2026-03-09T09:00:05Z"));
            assertThat(open(d)).filteredOn(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH).singleElement()
                    .satisfies(a -> assertThat(a.getEvidence().getNotes()).containsEntry("heldUntil", "2026-03-09T09:00:00Z"));
        }
    }
}
