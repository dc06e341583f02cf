package io.casewatch.peer;

import java.nio.charset.StandardCharsets;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

import io.casewatch.schema.Actor;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.serde.AvroSerde;

/**
 * Decodes both input topics with casewatch's own {@link AvroSerde} (single-object encoding) and reduces each event to
 * a {@link CaseEvent}. Every record yields exactly one element, undecodable ones included, so that a downstream
 * operator can count what was processed.
 */
final class CaseEventDeserializer implements KafkaRecordDeserializationSchema<CaseEvent> {

    private static final long serialVersionUID = 1L;

    private final String complaintsTopic;
    // AvroSerde is not serialisable: built per source reader in open().
    private transient AvroSerde<ComplaintEvent> complaints;
    private transient AvroSerde<ContactEvent> contacts;

    CaseEventDeserializer(String complaintsTopic) {
        this.complaintsTopic = complaintsTopic;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        complaints = new AvroSerde<>(ComplaintEvent.class);
        contacts = new AvroSerde<>(ContactEvent.class);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CaseEvent> out) {
        try {
            out.collect(record.topic().equals(complaintsTopic) ? of(complaints.fromBytes(record.value()))
                    : of(contacts.fromBytes(record.value())));
        } catch (SerializationException e) {
            // casewatch dead-letters such records; the peer counts and drops them.
            String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
            out.collect(new CaseEvent(key, null, record.timestamp(), CaseEvent.Kind.UNDECODABLE));
        }
    }

    static CaseEvent of(ComplaintEvent e) {
        CaseEvent.Kind kind = switch (e.getType()) {
            case OPENED -> CaseEvent.Kind.OPENED;
            case RESOLVED, CLOSED, WITHDRAWN -> CaseEvent.Kind.ENDED;
            default -> CaseEvent.Kind.OTHER;
        };
        return new CaseEvent(e.getCaseId(), e.getMerchantId(), e.getOccurredAt().toEpochMilli(), kind);
    }

    static CaseEvent of(ContactEvent e) {
        boolean reply = e.getDirection() == Direction.OUTBOUND && (e.getActor() == Actor.AGENT || e.getActor() == Actor.MERCHANT);
        return new CaseEvent(e.getCaseId(), null, e.getOccurredAt().toEpochMilli(), reply ? CaseEvent.Kind.REPLY : CaseEvent.Kind.OTHER);
    }

    @Override
    public TypeInformation<CaseEvent> getProducedType() {
        return TypeInformation.of(CaseEvent.class);
    }
}
