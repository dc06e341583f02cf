package io.casewatch.schema.serde;

import io.casewatch.schema.Alert;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplianceRecord;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.MerchantStats;

/**
 * One serde per public record type; each is stateless after construction and safe to share. (Named apart from Kafka's
 * {@code Serdes}, which the same classes use for keys.)
 */
public final class RecordSerdes {
    public static final AvroSerde<ComplaintEvent> COMPLAINT_EVENT = new AvroSerde<>(ComplaintEvent.class);
    public static final AvroSerde<ContactEvent> CONTACT_EVENT = new AvroSerde<>(ContactEvent.class);
    public static final AvroSerde<EscalationAck> ESCALATION_ACK = new AvroSerde<>(EscalationAck.class);
    public static final AvroSerde<Alert> ALERT = new AvroSerde<>(Alert.class);
    public static final AvroSerde<CaseStatus> CASE_STATUS = new AvroSerde<>(CaseStatus.class);
    public static final AvroSerde<MerchantStats> MERCHANT_STATS = new AvroSerde<>(MerchantStats.class);
    public static final AvroSerde<ComplianceRecord> COMPLIANCE_RECORD = new AvroSerde<>(ComplianceRecord.class);

    private RecordSerdes() {
    }
}
