package io.casewatch.cases;

import static io.casewatch.cases.Cases.HOUR;
import static io.casewatch.cases.Cases.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.schema.Actor;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.testing.Events;

/** The fallback policy: bot replies do not count. */
class ContactsTest {

    private static final String HOLDING = "您的问题正在处理中，请耐心等待。";
    private static final String SUBSTANTIVE = "We refunded the £35 fee to your card today.";

    private final AlertBook book = Cases.alertBook();
    private final Contacts contacts = new Contacts(Cases.POLICY, HoldingReplyClassifier.shipped(), book, new StallDetection(book));
    private final long t0 = T0.toEpochMilli();

    private static ContactEvent reply(Actor actor, Duration after, String text, String language) {
        return Events.contact("c-1", Direction.OUTBOUND, actor, T0.plus(after)).setText(text).setLanguage(language).build();
    }

    @Test
    void aContactAfterReceiptStartsAWaitForAReply() {
        CaseData c = Cases.opened("c-1");
        contacts.apply(c, Events.inbound("c-1", T0.plus(Duration.ofHours(2))), false);
        assertThat(c.getAwaitingReplySince()).isEqualTo(t0 + 2 * HOUR);
        assertThat(c.getWaits()).isEqualTo(1);
        assertThat(c.getInbound()).isEqualTo(1);
        assertThat(c.getFirstContactAt()).isEqualTo(t0 + 2 * HOUR);
        assertThat(c.getStallInbound()).containsExactly(t0 + 2 * HOUR);
    }

    @Test
    void aBotReplyAnswersNothingWhenThePolicyDoesNotCountBots() {
        CaseData c = Cases.opened("c-1");
        contacts.apply(c, Events.inbound("c-1", T0.plus(Duration.ofHours(2))), false);
        contacts.apply(c, reply(Actor.BOT, Duration.ofHours(3), SUBSTANTIVE, "en"), false);
        assertThat(c.getAwaitingReplySince()).isEqualTo(t0 + 2 * HOUR);
        assertThat(c.getFirstResponseAt()).isNull();
        assertThat(c.getOutbound()).isEqualTo(1);
        assertThat(c.getSubstantive()).isZero();
    }

    @Test
    void aSubstantiveReplyIsTheFirstResponseAndClosesTheUnansweredContactAlert() {
        CaseData c = Cases.opened("c-1");
        contacts.apply(c, Events.inbound("c-1", T0.plus(Duration.ofHours(2))), false);
        List<Alert> raised = new ArrayList<>();
        book.raise(c, Cases.policyOf(c), AlertKind.UNANSWERED_CONTACT, 1, null, t0 + 50 * HOUR, Evidences.of(c, t0).build(), raised);

        List<Alert> out = contacts.apply(c, reply(Actor.AGENT, Duration.ofHours(51), SUBSTANTIVE, "en"), false);

        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.getAlertId()).isEqualTo(raised.get(0).getAlertId());
            assertThat(a.getStatus()).isEqualTo(AlertStatus.CLOSED);
            assertThat(a.getCloseReason()).isEqualTo("contact answered");
        });
        assertThat(c.getAwaitingReplySince()).isNull();
        assertThat(c.getFirstResponseAt()).isEqualTo(t0 + 51 * HOUR);
        assertThat(c.getLastSubstantiveReplyAt()).isEqualTo(t0 + 51 * HOUR);
    }

    @Test
    void aHoldingReplyByAnAgentIsAResponseButCountsTowardsAStall() {
        CaseData c = Cases.opened("c-1");
        contacts.apply(c, Events.inbound("c-1", T0.plus(Duration.ofHours(2))), false);

        contacts.apply(c, reply(Actor.AGENT, Duration.ofHours(3), HOLDING, "zh-Hans"), false);

        assertThat(c.getHolding()).isEqualTo(1);
        assertThat(c.getStallHolding()).isEqualTo(1);
        assertThat(c.getSubstantive()).isZero();
        assertThat(c.getFirstResponseAt()).isEqualTo(t0 + 3 * HOUR);
        assertThat(c.getAwaitingReplySince()).isNull();
        assertThat(c.getStallEvidence()).hasSize(1);
    }

    @Test
    void aTemplateIsRememberedOnceAndATruncatedTextCounted() {
        CaseData c = Cases.opened("c-1");
        ContactEvent templated = Events.contact("c-1", Direction.OUTBOUND, Actor.AGENT, T0.plus(Duration.ofHours(1)))
                .setText(SUBSTANTIVE).setLanguage("en").setTemplateId("tpl-7").build();
        contacts.apply(c, templated, true);
        contacts.apply(c, Events.contact("c-1", Direction.OUTBOUND, Actor.AGENT, T0.plus(Duration.ofHours(2)))
                .setText("Another text").setLanguage("en").setTemplateId("tpl-7").build(), false);
        assertThat(Hashes.longs(c.getTemplates())).hasSize(1);
        assertThat(Hashes.longs(c.getFingerprints())).hasSize(2);
        assertThat(c.getTruncatedTexts()).isEqualTo(1);
    }

    @Test
    void aContactWithoutADirectionIsRejected() {
        CaseData c = Cases.opened("c-1");
        ContactEvent e = Events.inbound("c-1", T0.plus(Duration.ofHours(1)));
        e.setDirection(null);
        assertThatThrownBy(() -> contacts.apply(c, e, false))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        x -> assertThat(x.reason()).isEqualTo(InvalidEventException.Reason.UNKNOWN_ENUM));
    }
}
