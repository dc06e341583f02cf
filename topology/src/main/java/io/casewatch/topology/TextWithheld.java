package io.casewatch.topology;

import io.casewatch.cases.CaseEngine;
import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.internal.HeldEvent;
import io.casewatch.schema.internal.HeldText;
import io.casewatch.schema.serde.RecordSerdes;

/**
 * How an event of an opened case is kept while it waits for the input-partition gate ({@link GateHold}): without the
 * free text producers put in it, which the schema promises is never stored (a contact's text, an ack's team, a
 * lifecycle reason that is not a code). What the case engine reads of that text is taken while it is still there:
 * the classifier's {@link HoldingReplyClassifier.Reading} of a contact, and the reason reduced to what a policy can
 * act on. So the event applied later is handled exactly as the one that was read, and the store's changelog carries
 * no message text, unlike the orphan hold's, which keeps records to dead-letter them as they came.
 */
final class TextWithheld {

    private final CaseEngine engine;

    TextWithheld(CaseEngine engine) {
        this.engine = engine;
    }

    /** The waiting form of {@code in}: its record with a text-free value, and what was read of its text. */
    HeldEvent keep(CaseInput in) {
        HeldText text = null;
        byte[] value = switch (in.kind()) {
            case CONTACT -> {
                ContactEvent c = (ContactEvent) in.event();
                HoldingReplyClassifier.Reading r = engine.classifier().read(c.getText(), c.getLanguage());
                text = new HeldText(r.hasText(), r.normalizedEmpty(), r.fingerprint(), r.holdingPhrase(), in.textTruncated());
                yield RecordSerdes.CONTACT_EVENT.toBytes(ContactEvent.newBuilder(c).setText(null).build());
            }
            case COMPLAINT -> {
                ComplaintEvent c = (ComplaintEvent) in.event();
                yield RecordSerdes.COMPLAINT_EVENT.toBytes(ComplaintEvent.newBuilder(c).setReason(engine.actionableReason(c.getReason())).build());
            }
            case ACK -> RecordSerdes.ESCALATION_ACK.toBytes(EscalationAck.newBuilder((EscalationAck) in.event()).setTeam(null).build());
        };
        CaseInput.Source s = in.source();
        CaseInput.Source kept = new CaseInput.Source(s.topic(), s.partition(), s.offset(), s.timestamp(), s.key(), value, s.headers());
        return new HeldEvent(in.occurredAt(), PendingRecords.of(kept), text);
    }

    /** {@code decoded}, the event of a kept record decoded again, with what was read of its text before it was kept. */
    static CaseInput restore(CaseInput decoded, HeldText text) {
        if (text == null) {
            return decoded;
        }
        HoldingReplyClassifier.Reading r = new HoldingReplyClassifier.Reading(text.getHasText(), text.getNormalizedEmpty(),
                text.getFingerprint(), text.getHoldingPhrase());
        return new CaseInput(decoded.kind(), decoded.event(), decoded.eventId(), decoded.occurredAt(), decoded.source(), text.getTruncated(), r);
    }
}
