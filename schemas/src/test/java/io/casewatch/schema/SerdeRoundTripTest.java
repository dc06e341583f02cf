package io.casewatch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import io.casewatch.schema.serde.RecordSerdes;

class SerdeRoundTripTest {

    private static ComplaintEvent event() {
        return ComplaintEvent.newBuilder().setEventId("e-1").setCaseId("c-1").setMerchantId("m-1")
                .setOccurredAt(Instant.parse("2026-01-05T08:00:00Z")).setType(ComplaintEventType.OPENED)
                .setJurisdiction("CN").setCategory(Category.REFUND).build();
    }

    @Test
    void complaintEventRoundTripsThroughSingleObjectEncoding() {
        byte[] bytes = RecordSerdes.COMPLAINT_EVENT.toBytes(event());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(RecordSerdes.COMPLAINT_EVENT.fromBytes(bytes)).isEqualTo(event());
    }

    @Test
    void truncatedRecordIsASerializationErrorNotACrash() {
        byte[] bytes = RecordSerdes.COMPLAINT_EVENT.toBytes(event());
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertThatThrownBy(() -> RecordSerdes.COMPLAINT_EVENT.fromBytes(cut)).isInstanceOf(SerializationException.class);
    }

    @Test
    void aRecordOfAnotherSchemaIsRejectedWithItsReason() {
        byte[] ack = RecordSerdes.ESCALATION_ACK.toBytes(EscalationAck.newBuilder().setEventId("a").setCaseId("c").setAlertId("x")
                .setLevel(Level.L1).setOccurredAt(Instant.EPOCH).build());
        assertThatThrownBy(() -> RecordSerdes.COMPLAINT_EVENT.fromBytes(ack)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("ComplaintEvent");
    }

    @Test
    void emptyValueIsRejected() {
        assertThatThrownBy(() -> RecordSerdes.COMPLAINT_EVENT.fromBytes(new byte[0])).hasMessageContaining("empty");
    }
}
