package io.casewatch.loops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.HoldingReason;
import io.casewatch.schema.Level;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

class StallLoopTopologyTest {

    private static final Instant T0 = Instant.parse("2024-01-08T02:00:00Z");
    private static final String HOLDING = "您的问题正在处理中，请耐心等待。";

    private static List<Alert> of(CaseDriver d, AlertKind kind) {
        return d.alerts().stream().filter(a -> a.getKind() == kind && a.getStatus() == AlertStatus.OPEN).toList();
    }

    @Test
    void twoYearWalletDisputeAlertsWithinTheFirstWindowAndEscalatesToL3() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("alipay-1", T0, "CN"));
            Instant firstAlertAt = null;
            for (int round = 0; round < 52; round++) {
                Instant ask = T0.plus(Duration.ofDays(14L * round)).plus(Duration.ofHours(1));
                d.pipe(Events.inbound("alipay-1", ask));
                d.pipe(Events.agentReply("alipay-1", ask.plus(Duration.ofHours(3)), HOLDING, "zh-Hans"));
                if (firstAlertAt == null && !of(d, AlertKind.STALL_LOOP).isEmpty()) {
                    firstAlertAt = ask;
                }
            }
            List<Alert> stalls = of(d, AlertKind.STALL_LOOP).stream().filter(a -> a.getEpisode() == 1).toList();
            assertThat(stalls).extracting(Alert::getLevel).containsExactly(Level.L2, Level.L3);
            assertThat(firstAlertAt).isBefore(T0.plus(Duration.ofDays(30)));
            Alert first = stalls.get(0);
            assertThat(first.getEvidence().getHoldingReplies()).isNotEmpty()
                    .allSatisfy(h -> assertThat(h.getReason()).isIn(HoldingReason.PHRASE, HoldingReason.SIMILAR));
            assertThat(first.getEvidence().getNotes().get("contactsInWindow")).isEqualTo("3");
            assertThat(first.toString()).doesNotContain(HOLDING).doesNotContain("Where is my refund");
        }
    }

    @Test
    void agentsPastingTheSameReplyWithSmallEditsIsAStall() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("paste-1", T0, "GB"));
            String[] replies = {
                "Dear Sam, regarding order A1234: the payments desk has your file under reference 55120.",
                "Dear Sam, regarding order A1234 - the payments desk has your file under reference 55187.",
                "Dear Sam, regarding your order A1234: the payments desk has your file, reference 55120.",
                "Dear Sam, regarding order A1234: the payments desk has your file under reference 55120!"};
            // The first paste is news to the customer; the three that repeat it answer three further contacts.
            for (int i = 0; i < replies.length; i++) {
                Instant ask = T0.plus(Duration.ofDays(3L * i));
                d.pipe(Events.inbound("paste-1", ask));
                d.pipe(Events.agentReply("paste-1", ask.plus(Duration.ofHours(1)), replies[i], "en"));
            }
            List<Alert> stalls = of(d, AlertKind.STALL_LOOP);
            assertThat(stalls).hasSize(1);
            assertThat(stalls.get(0).getEvidence().getHoldingReplies())
                    .anySatisfy(h -> assertThat(h.getReason()).isEqualTo(HoldingReason.SIMILAR));
        }
    }

    @Test
    void manyContactsWithRealProgressRaiseNoStall() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("progress-1", T0, "US"));
            String[] replies = {"We reversed the $35 fee today.", "Your replacement card was mailed on 12 March with tracking number 9400.",
                "We refunded the remaining $12 to your account; it shows as pending now.", "Your dispute was decided in your favour and closed."};
            for (int i = 0; i < replies.length; i++) {
                Instant ask = T0.plus(Duration.ofDays(2L * i));
                d.pipe(Events.inbound("progress-1", ask));
                d.pipe(Events.agentReply("progress-1", ask.plus(Duration.ofHours(1)), replies[i], "en"));
            }
            assertThat(of(d, AlertKind.STALL_LOOP)).isEmpty();
        }
    }

    @Test
    void contactsInThreeChannelsWithinAnHourAreOneCaseAndOneWait() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("pay-1", T0, "GB"));
            d.pipe(Events.agentReply("pay-1", T0.plus(Duration.ofMinutes(5)), "We refunded £20 to your card.", "en"));
            d.pipe(Events.contact("pay-1", io.casewatch.schema.Direction.INBOUND, io.casewatch.schema.Actor.CUSTOMER, T0.plus(Duration.ofMinutes(10)))
                    .setChannel(io.casewatch.schema.Channel.CHAT).build());
            d.pipe(Events.contact("pay-1", io.casewatch.schema.Direction.INBOUND, io.casewatch.schema.Actor.CUSTOMER, T0.plus(Duration.ofMinutes(30)))
                    .setChannel(io.casewatch.schema.Channel.PHONE).build());
            d.pipe(Events.contact("pay-1", io.casewatch.schema.Direction.INBOUND, io.casewatch.schema.Actor.CUSTOMER, T0.plus(Duration.ofMinutes(55)))
                    .setChannel(io.casewatch.schema.Channel.EMAIL).build());
            d.tick(T0.plus(Duration.ofDays(10)));

            assertThat(of(d, AlertKind.UNANSWERED_CONTACT)).hasSize(1);
            assertThat(d.lastStatus().getInboundContacts()).isEqualTo(3);
            assertThat(d.alerts()).extracting(Alert::getCaseId).containsOnly("pay-1");
        }
    }

    @Test
    void reopenLoopFiresAtTheSecondReopening() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("reopen-1", T0, "US"));
            for (int i = 0; i < 2; i++) {
                Instant r = T0.plus(Duration.ofDays(1 + 3L * i));
                d.pipe(Events.resolved("reopen-1", r));
                d.pipe(Events.complaint("reopen-1", ComplaintEventType.REOPENED, r.plus(Duration.ofDays(1))).build());
            }
            assertThat(of(d, AlertKind.REOPEN_LOOP)).singleElement().satisfies(a -> {
                assertThat(a.getLevel()).isEqualTo(Level.L2);
                assertThat(a.getEvidence().getReopens()).isEqualTo(2);
            });
        }
    }

    @Test
    void caseOpenPastItsStatutoryMaximumWithOnlyHoldingRepliesIsAChronicStallAtL3() {
        // Contacts 40 days apart never make three within 30 days, so only the chronic rule can catch this case.
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("chronic-1", T0, "CN"));
            for (int i = 0; i < 3; i++) {
                Instant ask = T0.plus(Duration.ofDays(40L * i)).plus(Duration.ofHours(1));
                d.pipe(Events.inbound("chronic-1", ask));
                d.pipe(Events.agentReply("chronic-1", ask.plus(Duration.ofHours(2)), HOLDING, "zh-Hans"));
            }
            assertThat(of(d, AlertKind.STALL_LOOP)).singleElement().satisfies(a -> {
                assertThat(a.getEpisode()).isZero();
                assertThat(a.getLevel()).isEqualTo(Level.L3);
                assertThat(a.getEvidence().getNotes()).containsKey("chronic");
                // CN statutory maximum: 60 days from the day after receipt, 9 Jan 2024 00:00 Shanghai.
                assertThat(a.getDetectedAt()).isEqualTo(Instant.parse("2024-03-08T16:00:00Z"));
            });
        }
    }

    @Test
    void aFirstHoldingReplyAfterTheStatutoryMaximumIsAChronicStallOnceTimePasses() {
        // Nothing said for 70 days, then only "still processing": the case was already past its maximum when the
        // condition (open, holding replies only) began to hold, and no later event of its own comes to look again.
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("chronic-late", T0, "CN"));
            Instant ask = T0.plus(Duration.ofDays(69));
            d.pipe(Events.inbound("chronic-late", ask));
            d.pipe(Events.agentReply("chronic-late", T0.plus(Duration.ofDays(70)), HOLDING, "zh-Hans"));
            d.tick(T0.plus(Duration.ofDays(71)));
            assertThat(of(d, AlertKind.STALL_LOOP)).singleElement().satisfies(a -> {
                assertThat(a.getLevel()).isEqualTo(Level.L3);
                assertThat(a.getEvidence().getNotes()).containsKey("chronic");
                // Stamped when the maximum passed, as it would be had the reply come before it.
                assertThat(a.getDetectedAt()).isEqualTo(Instant.parse("2024-03-08T16:00:00Z"));
            });
        }
    }
}
