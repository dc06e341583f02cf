package io.casewatch.testing;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import io.casewatch.schema.Actor;
import io.casewatch.schema.Category;
import io.casewatch.schema.Channel;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.Level;
import io.casewatch.schema.Outcome;

/** Test data builders with defaults: every event gets a fresh eventId unless one is given. */
public final class Events {
    private static final AtomicLong SEQ = new AtomicLong();

    private Events() {
    }

    public static String nextId() {
        return "ev-" + SEQ.incrementAndGet();
    }

    public static ComplaintEvent.Builder complaint(String caseId, ComplaintEventType type, Instant at) {
        return ComplaintEvent.newBuilder().setEventId(nextId()).setCaseId(caseId).setMerchantId("m-1").setOccurredAt(at)
                .setType(type).setCategory(Category.REFUND).setChannel(Channel.APP).setCustomerRef("cust-ref-1");
    }

    public static ComplaintEvent opened(String caseId, Instant at, String jurisdiction) {
        return complaint(caseId, ComplaintEventType.OPENED, at).setJurisdiction(jurisdiction).build();
    }

    public static ComplaintEvent resolved(String caseId, Instant at) {
        return complaint(caseId, ComplaintEventType.RESOLVED, at).setOutcome(Outcome.UPHELD).build();
    }

    public static ContactEvent.Builder contact(String caseId, Direction direction, Actor actor, Instant at) {
        return ContactEvent.newBuilder().setEventId(nextId()).setCaseId(caseId).setOccurredAt(at).setDirection(direction)
                .setActor(actor).setChannel(Channel.CHAT);
    }

    public static ContactEvent inbound(String caseId, Instant at) {
        return contact(caseId, Direction.INBOUND, Actor.CUSTOMER, at).setText("Where is my refund?").setLanguage("en").build();
    }

    public static ContactEvent agentReply(String caseId, Instant at, String text, String language) {
        return contact(caseId, Direction.OUTBOUND, Actor.AGENT, at).setText(text).setLanguage(language).build();
    }

    public static EscalationAck ack(String caseId, String alertId, Level level, Instant at) {
        return EscalationAck.newBuilder().setEventId(nextId()).setCaseId(caseId).setAlertId(alertId).setLevel(level)
                .setTeam("ops").setOccurredAt(at).build();
    }
}
