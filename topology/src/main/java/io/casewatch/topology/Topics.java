package io.casewatch.topology;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.casewatch.schema.Alert;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.ComplianceRecord;
import io.casewatch.schema.Level;
import io.casewatch.schema.MerchantStats;
import io.casewatch.schema.internal.MerchantFact;
import io.casewatch.schema.serde.AvroSerde;
import io.casewatch.schema.serde.RecordSerdes;

/**
 * Every topic casewatch reads or writes (SPEC section 2), by configurable name. Inputs are read as bytes and
 * decoded by the intake, so that undecodable records can be dead-lettered with their original bytes. The ticks
 * topic carries casewatch's own heartbeats (docs/time.md); it must have as many partitions as the inputs. The facts
 * topic is casewatch's own too: case facts re-keyed by merchant for the merchant statistics.
 */
public record Topics(
        Topic<byte[], byte[]> complaints,
        Topic<byte[], byte[]> contacts,
        Topic<byte[], byte[]> acks,
        Topic<byte[], byte[]> ticks,
        Topic<String, Alert> l1,
        Topic<String, Alert> l2,
        Topic<String, Alert> l3,
        Topic<String, CaseStatus> status,
        Topic<String, MerchantStats> merchantStats,
        Topic<String, ComplianceRecord> compliance,
        Topic<byte[], byte[]> deadLetters,
        Topic<String, MerchantFact> facts) {

    public static final Map<String, String> DEFAULT_NAMES = Map.ofEntries(
            Map.entry("complaints", "complaints.events.v1"),
            Map.entry("contacts", "contacts.events.v1"),
            Map.entry("acks", "escalations.acks.v1"),
            Map.entry("ticks", "casewatch.ticks.v1"),
            Map.entry("l1", "escalations.l1.v1"),
            Map.entry("l2", "escalations.l2.v1"),
            Map.entry("l3", "escalations.l3.v1"),
            Map.entry("status", "cases.status.v1"),
            Map.entry("stats", "merchants.stats.v1"),
            Map.entry("compliance", "compliance.cases.v1"),
            Map.entry("dlq", "casewatch.dlq.v1"),
            Map.entry("facts", "casewatch.merchant-facts.v1"));

    public static Topics defaults() {
        return named(DEFAULT_NAMES);
    }

    /** Topics named by the keys of {@link #DEFAULT_NAMES}; missing keys keep their default name. */
    public static Topics named(Map<String, String> names) {
        for (String k : names.keySet()) {
            if (!DEFAULT_NAMES.containsKey(k)) {
                throw new IllegalArgumentException("unknown topic key '" + k + "'; known: " + DEFAULT_NAMES.keySet());
            }
        }
        Function<String, String> n = k -> names.getOrDefault(k, DEFAULT_NAMES.get(k));
        Serde<byte[]> bytes = Serdes.ByteArray();
        Serde<String> str = Serdes.String();
        return new Topics(
                new Topic<>(n.apply("complaints"), bytes, bytes),
                new Topic<>(n.apply("contacts"), bytes, bytes),
                new Topic<>(n.apply("acks"), bytes, bytes),
                new Topic<>(n.apply("ticks"), bytes, bytes),
                new Topic<>(n.apply("l1"), str, RecordSerdes.ALERT),
                new Topic<>(n.apply("l2"), str, RecordSerdes.ALERT),
                new Topic<>(n.apply("l3"), str, RecordSerdes.ALERT),
                new Topic<>(n.apply("status"), str, RecordSerdes.CASE_STATUS),
                new Topic<>(n.apply("stats"), str, RecordSerdes.MERCHANT_STATS),
                new Topic<>(n.apply("compliance"), str, RecordSerdes.COMPLIANCE_RECORD),
                new Topic<>(n.apply("dlq"), bytes, bytes),
                new Topic<>(n.apply("facts"), str, new AvroSerde<>(MerchantFact.class)));
    }

    public Topic<String, Alert> escalation(Level level) {
        return switch (level) {
            case L1 -> l1;
            case L2 -> l2;
            case L3 -> l3;
        };
    }

    public List<String> inputNames() {
        return List.of(complaints.name(), contacts.name(), acks.name(), ticks.name());
    }

    /** Topics casewatch both writes and reads. */
    public List<String> internalNames() {
        return List.of(facts.name());
    }

    public List<String> outputNames() {
        return List.of(l1.name(), l2.name(), l3.name(), status.name(), merchantStats.name(), compliance.name(), deadLetters.name());
    }

    /** Output topics whose records are keyed by a case and compacted to the latest. */
    public List<String> compactedNames() {
        return List.of(status.name());
    }
}
