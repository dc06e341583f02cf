package io.casewatch.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.escalation.EscalationRules;
import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Actor;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.Channel;
import io.casewatch.schema.ClockKind;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.serde.AvroSerde;
import io.casewatch.testing.Events;

/** The case view of the live page (issue 21 item 5), from the engine: no Kafka needed. */
class CaseTimelineTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z"); // Monday, GB calendar (UK-DISP)
    private static final String HOLDING = "您的问题正在处理中，请耐心等待。";
    private static final String SUBSTANTIVE = "We refunded the £35 fee to your card today.";

    private final CaseEngine engine = new CaseEngine(PolicySet.presets(), HoldingReplyClassifier.shipped(), EscalationRules.DEFAULT);

    private CaseData apply(CaseData c, Object... events) {
        for (Object e : events) {
            long t = e instanceof ComplaintEvent ce ? ce.getOccurredAt().toEpochMilli() : ((ContactEvent) e).getOccurredAt().toEpochMilli();
            engine.advance(c, t);
            if (e instanceof ComplaintEvent ce) {
                engine.onComplaint(c, ce);
            } else {
                engine.onContact(c, (ContactEvent) e);
            }
        }
        return c;
    }

    private static ContactEvent contact(Direction d, Actor a, Channel ch, Duration after, String text) {
        return Events.contact("view-1", d, a, T0.plus(after)).setChannel(ch).setText(text).setLanguage(text == null ? null : HOLDING.equals(text) ? "zh-Hans" : "en").build();
    }

    @Test
    void everyChannelActorDirectionAndReplyClassSurvivesTheCompactCode() {
        for (Channel ch : Channel.values()) {
            for (Actor a : Actor.values()) {
                for (Direction d : Direction.values()) {
                    for (CaseTimeline.Reply r : CaseTimeline.Reply.values()) {
                        int code = CaseTimeline.code(ch, a, d, r);
                        assertThat(List.of(CaseTimeline.channel(code), CaseTimeline.actor(code), CaseTimeline.direction(code), CaseTimeline.reply(code)))
                                .containsExactly(ch, a, d, r);
                    }
                }
            }
        }
    }

    @Test
    void theViewShowsEventsByTypeAndChannelWithRepliesMarkedAndNoText() {
        CaseData c = apply(CaseEngine.newCase("view-1", T0.toEpochMilli()),
                Events.opened("view-1", T0, "GB"),
                contact(Direction.INBOUND, Actor.CUSTOMER, Channel.CHAT, Duration.ofHours(1), "Where is my refund?"),
                contact(Direction.OUTBOUND, Actor.AGENT, Channel.EMAIL, Duration.ofHours(60), HOLDING),
                contact(Direction.OUTBOUND, Actor.AGENT, Channel.PHONE, Duration.ofHours(70), SUBSTANTIVE),
                Events.complaint("view-1", ComplaintEventType.AWAITING_CUSTOMER, T0.plus(Duration.ofDays(3))).build(),
                Events.complaint("view-1", ComplaintEventType.RESUMED, T0.plus(Duration.ofDays(5))).build());

        CaseTimeline.View v = engine.timeline(c, T0.plus(Duration.ofDays(6)).toEpochMilli());

        assertThat(v.events()).extracting(CaseTimeline.Event::type)
                .containsExactly("OPENED", "INBOUND", "OUTBOUND", "OUTBOUND", "AWAITING_CUSTOMER", "RESUMED");
        assertThat(v.events().get(1).channel()).isEqualTo(Channel.CHAT);
        assertThat(v.events().get(2).reply()).isEqualTo(CaseTimeline.Reply.HOLDING);
        assertThat(v.events().get(2).channel()).isEqualTo(Channel.EMAIL);
        assertThat(v.events().get(3).reply()).isEqualTo(CaseTimeline.Reply.SUBSTANTIVE);
        assertThat(v.events().get(3).at()).isEqualTo(T0.plus(Duration.ofHours(70)).toEpochMilli());
        // First response: 1 business day counted from the day after receipt, so due Wednesday 00:00 London (GMT);
        // the holding reply on Wednesday 22:00 is late: at risk, breached, both closed by it.
        assertThat(v.alerts()).extracting(CaseTimeline.AlertLine::kind)
                .contains(AlertKind.FIRST_RESPONSE_AT_RISK, AlertKind.FIRST_RESPONSE_BREACH);
        assertThat(v.alerts()).filteredOn(a -> a.kind() == AlertKind.FIRST_RESPONSE_BREACH).singleElement()
                .satisfies(a -> {
                    assertThat(a.raisedAt()).isEqualTo(Instant.parse("2026-03-04T00:00:00Z").toEpochMilli());
                    assertThat(a.closedAt()).isEqualTo(T0.plus(Duration.ofHours(60)).toEpochMilli());
                });
        CaseTimeline.Bar resolution = v.clocks().stream().filter(b -> b.clock() == ClockKind.RESOLUTION).findFirst().orElseThrow();
        assertThat(resolution.pauses()).singleElement().satisfies(p -> {
            assertThat(p.from()).isEqualTo(T0.plus(Duration.ofDays(3)).toEpochMilli());
            assertThat(p.to()).isEqualTo(T0.plus(Duration.ofDays(5)).toEpochMilli());
            assertThat(p.kind()).isEqualTo("AWAITING_CUSTOMER");
        });
        assertThat(resolution.deadline()).isNotNull().isGreaterThan(resolution.start());
        assertThat(v.toString()).doesNotContain("refund?", "处理中", "£35");
    }

    @Test
    void aLongCaseKeepsItsFirstAndLatestContactsWithinTheCap() {
        CaseData c = apply(CaseEngine.newCase("view-1", T0.toEpochMilli()), Events.opened("view-1", T0, "GB"));
        for (int i = 0; i < 40; i++) {
            apply(c, contact(Direction.INBOUND, i == 0 ? Actor.CUSTOMER : Actor.CUSTOMER, i == 0 ? Channel.LETTER : Channel.APP,
                    Duration.ofHours(1 + i), null));
        }

        CaseTimeline.View v = engine.timeline(c, T0.plus(Duration.ofDays(3)).toEpochMilli());

        assertThat(v.contacts()).isEqualTo(40);
        assertThat(v.contactsShown()).isEqualTo(CaseTimeline.MAX_MARKS);
        List<CaseTimeline.Event> contacts = v.events().stream().filter(e -> e.type().equals("INBOUND")).toList();
        assertThat(contacts.get(0).channel()).isEqualTo(Channel.LETTER);
        assertThat(contacts.get(contacts.size() - 1).at()).isEqualTo(T0.plus(Duration.ofHours(40)).toEpochMilli());
    }

    @Test
    void theTimelineKeepsABusyCaseWithinTheStateBudget() {
        AvroSerde<CaseData> serde = new AvroSerde<>(CaseData.class);
        CaseData c = apply(CaseEngine.newCase("cfpb-1234567", T0.toEpochMilli()), Events.opened("cfpb-1234567", T0, "GB"));
        for (int i = 0; i < 40; i++) {
            apply(c, contact(Direction.INBOUND, Actor.CUSTOMER, Channel.APP, Duration.ofHours(5L * i + 1), "chasing " + i),
                    contact(Direction.OUTBOUND, Actor.AGENT, Channel.EMAIL, Duration.ofHours(5L * i + 3), HOLDING));
        }
        engine.advance(c, T0.plus(Duration.ofDays(30)).toEpochMilli());
        int withMarks = serde.serializer().serialize("t", c).length;
        c.setContactMarks(List.of());
        int without = serde.serializer().serialize("t", c).length;

        // 16 marks of 5-8 bytes: about 100 bytes; the whole busy case stays within 1 KiB.
        assertThat(withMarks - without).isBetween(60, 140);
        assertThat(withMarks).isLessThanOrEqualTo(1024);
    }
}
