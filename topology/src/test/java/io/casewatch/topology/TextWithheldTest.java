package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.casewatch.cases.CaseEngine;
import io.casewatch.escalation.EscalationRules;
import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.policy.Policy;
import io.casewatch.policy.PolicySet;
import io.casewatch.policy.Presets;
import io.casewatch.schema.Actor;
import io.casewatch.schema.Alert;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.HeldEvent;
import io.casewatch.schema.internal.HeldEvents;
import io.casewatch.schema.serde.AvroSerde;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.sla.Calendars;
import io.casewatch.testing.Events;

/**
 * An event kept waiting for the gate holds none of the free text producers put in it, and, decoded again, changes
 * its case exactly as the event that was read: the expected case is the one the engine builds from the original
 * events directly.
 */
class TextWithheldTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String NAME = "Imogen Featherstonehaugh";
    private static final String EMAIL = "imogen.f@example.org";
    private static final String HOLDING_ZH = "您的问题正在处理中，请耐心等待";

    private final CaseEngine engine = engineWith(PolicySet.presets());
    private final AvroSerde<HeldEvents> changelog = new AvroSerde<>(HeldEvents.class);
    private long offset;

    private static CaseEngine engineWith(PolicySet policies) {
        return new CaseEngine(policies, HoldingReplyClassifier.shipped(), EscalationRules.DEFAULT);
    }

    private CaseInput read(SpecificRecord event, boolean truncated) {
        CaseInput.Kind kind;
        byte[] value;
        String eventId;
        long at;
        if (event instanceof ComplaintEvent c) {
            kind = CaseInput.Kind.COMPLAINT;
            value = RecordSerdes.COMPLAINT_EVENT.toBytes(c);
            eventId = c.getEventId();
            at = c.getOccurredAt().toEpochMilli();
        } else if (event instanceof ContactEvent c) {
            kind = CaseInput.Kind.CONTACT;
            value = RecordSerdes.CONTACT_EVENT.toBytes(c);
            eventId = c.getEventId();
            at = c.getOccurredAt().toEpochMilli();
        } else {
            EscalationAck a = (EscalationAck) event;
            kind = CaseInput.Kind.ACK;
            value = RecordSerdes.ESCALATION_ACK.toBytes(a);
            eventId = a.getEventId();
            at = a.getOccurredAt().toEpochMilli();
        }
        CaseInput.Source s = new CaseInput.Source(kind.name().toLowerCase(), 0, offset++, at, "c-1".getBytes(StandardCharsets.UTF_8), value,
                new RecordHeaders().add("trace", new byte[] {1}));
        return new CaseInput(kind, event, eventId, at, s, truncated);
    }

    /** What the changelog of the hold would carry for {@code in}, and the event decoded back from it. */
    private CaseInput throughTheStore(TextWithheld withheld, CaseInput in, List<String> changelogBytes) {
        byte[] bytes = changelog.serializer().serialize("casewatch-case-held-changelog", new HeldEvents(List.of(withheld.keep(in))));
        changelogBytes.add(new String(bytes, StandardCharsets.UTF_8));
        HeldEvent back = changelog.deserializer().deserialize("casewatch-case-held-changelog", bytes).getEvents().get(0);
        CaseInput.Source s = PendingRecords.source(back.getRecord());
        assertThat(s.offset()).isEqualTo(in.source().offset());
        assertThat(s.headers().lastHeader("trace").value()).containsExactly(1);
        return TextWithheld.restore(Intake.decode(in.kind(), Intake.Limits.DEFAULT, s), back.getText());
    }

    private static List<Alert> apply(CaseEngine engine, CaseData c, CaseInput in) {
        return switch (in.kind()) {
            case COMPLAINT -> engine.onComplaint(c, (ComplaintEvent) in.event());
            case CONTACT -> engine.onContact(c, (ContactEvent) in.event(), in.textTruncated(), in.reading());
            case ACK -> engine.onAck(c, (EscalationAck) in.event());
        };
    }

    private List<CaseInput> scenario() {
        List<CaseInput> events = new ArrayList<>();
        events.add(read(ComplaintEvent.newBuilder(Events.opened("c-1", T0, "GB")).setReason("Opened by " + NAME).build(), false));
        events.add(read(Events.contact("c-1", Direction.INBOUND, Actor.CUSTOMER, T0.plusSeconds(60))
                .setText("This is " + NAME + ", write to " + EMAIL).build(), false));
        events.add(read(Events.agentReply("c-1", T0.plus(Duration.ofHours(1)), HOLDING_ZH, "zh-Hans"), false));
        events.add(read(Events.agentReply("c-1", T0.plus(Duration.ofHours(5)), "Dear " + NAME + ", " + HOLDING_ZH, "zh-Hans"), true));
        events.add(read(Events.contact("c-1", Direction.OUTBOUND, Actor.AGENT, T0.plus(Duration.ofHours(9)))
                .setText("Dear " + NAME + ", thanks for waiting.").setTemplateId("tpl-wait").build(), false));
        events.add(read(Events.contact("c-1", Direction.OUTBOUND, Actor.AGENT, T0.plus(Duration.ofHours(30)))
                .setText("  ").setTemplateId("tpl-wait").build(), false));
        events.add(read(Events.complaint("c-1", ComplaintEventType.AWAITING_CUSTOMER, T0.plus(Duration.ofDays(2)))
                .setReason("EXTERNAL_APPRAISAL").build(), false));
        events.add(read(Events.complaint("c-1", ComplaintEventType.EXTENDED, T0.plus(Duration.ofDays(3)))
                .setReason(NAME + " asked for more time").build(), false));
        events.add(read(Events.agentReply("c-1", T0.plus(Duration.ofDays(4)), "Your refund of £35 was sent on 6 March.", "en"), false));
        return events;
    }

    @Test
    void aKeptEventChangesItsCaseAsTheEventThatWasReadAndHoldsNoFreeText() {
        TextWithheld withheld = new TextWithheld(engine);
        CaseData direct = CaseEngine.newCase("c-1", T0.toEpochMilli());
        CaseData kept = CaseEngine.newCase("c-1", T0.toEpochMilli());
        List<Alert> directAlerts = new ArrayList<>();
        List<Alert> keptAlerts = new ArrayList<>();
        List<String> changelogBytes = new ArrayList<>();
        for (CaseInput in : scenario()) {
            directAlerts.addAll(apply(engine, direct, in));
            keptAlerts.addAll(apply(engine, kept, throughTheStore(withheld, in, changelogBytes)));
        }
        long later = T0.plus(Duration.ofDays(60)).toEpochMilli();
        directAlerts.addAll(engine.advance(direct, later));
        keptAlerts.addAll(engine.advance(kept, later));
        assertThat(directAlerts).as("the scenario raises an alert to acknowledge").isNotEmpty();
        Alert first = directAlerts.get(0);
        CaseInput ack = read(EscalationAck.newBuilder(Events.ack("c-1", first.getAlertId(), first.getLevel(), Instant.ofEpochMilli(later)))
                .setTeam("desk of " + NAME).build(), false);
        directAlerts.addAll(apply(engine, direct, ack));
        keptAlerts.addAll(apply(engine, kept, throughTheStore(withheld, ack, changelogBytes)));

        assertThat(direct.getHolding()).as("the scenario exercises the classifier").isGreaterThanOrEqualTo(2);
        assertThat(direct.getTruncatedTexts()).isEqualTo(1);
        assertThat(kept).isEqualTo(direct);
        assertThat(keptAlerts).isEqualTo(directAlerts);
        assertThat(changelogBytes).allSatisfy(b -> assertThat(b).doesNotContain("Featherstonehaugh", EMAIL, "thanks for waiting", "请耐心等待"));
        // What stays are codes and identifiers producers chose, and the configured phrase the classifier matched,
        // which an alert's evidence names anyway.
        assertThat(String.join("", changelogBytes)).contains("EXTERNAL_APPRAISAL", "tpl-wait", "处理中");
    }

    @Test
    void aReasonThatIsNoCodeIsKeptWhenAPolicyExcludesItFromTheStatutoryClock() {
        List<Policy> policies = new ArrayList<>();
        for (Policy p : Presets.all()) {
            Policy.Builder b = p.toBuilder();
            if (p.id().equals("DEFAULT")) {
                b.exclusionReasons = Set.of("awaiting the bank's appraisal");
            }
            policies.add(b.build());
        }
        CaseEngine custom = engineWith(new PolicySet(policies, Map.of(), Calendars.presets()));

        assertThat(custom.actionableReason("awaiting the bank's appraisal")).isEqualTo("awaiting the bank's appraisal");
        assertThat(custom.actionableReason("COMPLEX")).isEqualTo("COMPLEX");
        assertThat(custom.actionableReason("call " + NAME)).isEqualTo(CaseEngine.WITHHELD_REASON);
        assertThat(custom.actionableReason(null)).isNull();
    }
}
