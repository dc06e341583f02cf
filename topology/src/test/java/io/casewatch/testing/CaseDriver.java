package io.casewatch.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.internal.Figure;
import io.casewatch.schema.internal.MerchantFact;
import io.casewatch.topology.IntakeCounters;
import io.casewatch.topology.TopologyRuntime;
import io.casewatch.topology.CasewatchTopology;
import io.casewatch.topology.Topics;

/**
 * The topology under TopologyTestDriver with typed inputs and collected outputs. Each pipe sets the record
 * timestamp to the event's time, as producers are expected to; {@link #tick} moves stream time as the live ticker
 * would.
 */
public final class CaseDriver implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final TopologyRuntime runtime;
    private final Topics topics = Topics.defaults();
    private final TestInputTopic<String, byte[]> complaints;
    private final TestInputTopic<String, byte[]> contacts;
    private final TestInputTopic<String, byte[]> acks;
    private final TestInputTopic<String, byte[]> ticks;
    private final List<TestOutputTopic<String, Alert>> escalations = new ArrayList<>();
    private final TestOutputTopic<String, CaseStatus> status;
    private final TestOutputTopic<byte[], byte[]> dlq;
    private final TestOutputTopic<String, MerchantFact> facts;
    private final List<Alert> seen = new ArrayList<>();
    private CaseStatus lastStatus;

    public CaseDriver(PolicySet policies) {
        this(CasewatchTopology.Settings.defaults(Topics.defaults(), policies));
    }

    /** On stream time alone ({@link TopologyRuntime#replay()}), as most topology tests are. */
    public CaseDriver(CasewatchTopology.Settings settings) {
        this(settings, TopologyRuntime.replay());
    }

    public CaseDriver(CasewatchTopology.Settings settings, TopologyRuntime runtime) {
        this.runtime = runtime;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // A folder of its own: test JVMs of parallel builds on one machine must not share (and delete) state.
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, java.nio.file.Files.createTempDirectory("casewatch-ttd-").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(CasewatchTopology.build(settings, runtime), props, Instant.parse("2026-01-01T00:00:00Z"));
        complaints = driver.createInputTopic(topics.complaints().name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        contacts = driver.createInputTopic(topics.contacts().name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        acks = driver.createInputTopic(topics.acks().name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        ticks = driver.createInputTopic(topics.ticks().name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        for (var t : List.of(topics.l1(), topics.l2(), topics.l3())) {
            escalations.add(driver.createOutputTopic(t.name(), Serdes.String().deserializer(), t.valueSerde().deserializer()));
        }
        status = driver.createOutputTopic(topics.status().name(), Serdes.String().deserializer(), topics.status().valueSerde().deserializer());
        facts = driver.createOutputTopic(topics.facts().name(), Serdes.String().deserializer(), topics.facts().valueSerde().deserializer());
        dlq = driver.createOutputTopic(topics.deadLetters().name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    /** The counters the topology under test counts into. */
    public IntakeCounters counters() {
        return runtime.counters();
    }

    public CaseDriver pipe(ComplaintEvent e) {
        complaints.pipeInput(new TestRecord<>(e.getCaseId(), io.casewatch.schema.serde.RecordSerdes.COMPLAINT_EVENT.toBytes(e), e.getOccurredAt()));
        return this;
    }

    public CaseDriver pipe(ContactEvent e) {
        contacts.pipeInput(new TestRecord<>(e.getCaseId(), io.casewatch.schema.serde.RecordSerdes.CONTACT_EVENT.toBytes(e), e.getOccurredAt()));
        return this;
    }

    public CaseDriver pipe(EscalationAck e) {
        acks.pipeInput(new TestRecord<>(e.getCaseId(), io.casewatch.schema.serde.RecordSerdes.ESCALATION_ACK.toBytes(e), e.getOccurredAt()));
        return this;
    }

    public CaseDriver pipeRawComplaint(String key, byte[] value, Instant at) {
        complaints.pipeInput(new TestRecord<>(key, value, at));
        return this;
    }

    /** A heartbeat at {@code at}: moves stream time like the live ticker does. */
    public CaseDriver tick(Instant at) {
        RecordHeaders h = new RecordHeaders();
        h.add("casewatch.tick", "1".getBytes(StandardCharsets.UTF_8));
        ticks.pipeInput(new TestRecord<>("tick", new byte[0], h, at));
        return this;
    }

    /** A heartbeat of today's ticker: moves stream time and carries the input partitions' end offsets at {@code at}. */
    public CaseDriver heartbeat(Instant at, java.util.Map<String, Long> endOffsets) {
        RecordHeaders h = new RecordHeaders();
        h.add("casewatch.tick", "tick".getBytes(StandardCharsets.UTF_8));
        ticks.pipeInput(new TestRecord<>("tick", io.casewatch.topology.Heartbeat.encode(endOffsets), h, at));
        return this;
    }

    /** Every alert record published so far (open and closed), in order per level. */
    public List<Alert> alerts() {
        for (var t : escalations) {
            seen.addAll(t.readValuesToList());
        }
        return List.copyOf(seen);
    }

    public List<Alert> openAlerts() {
        return alerts().stream().filter(a -> a.getStatus() == AlertStatus.OPEN).toList();
    }

    public CaseStatus lastStatus() {
        for (CaseStatus s : status.readValuesToList()) {
            lastStatus = s;
        }
        return lastStatus;
    }

    /** The statuses published since the last call, in order. */
    public List<CaseStatus> statuses() {
        List<CaseStatus> read = status.readValuesToList();
        if (!read.isEmpty()) {
            lastStatus = read.get(read.size() - 1);
        }
        return read;
    }

    /** The watermarks sent to the merchant statistics since the last call (one record per statistics partition). */
    public List<MerchantFact> watermarks() {
        return facts.readValuesToList().stream().filter(f -> f.getFigure() == Figure.WATERMARK).toList();
    }

    /** Moves the driver's wall clock, which fires wall-clock punctuations. */
    public CaseDriver advanceWallClock(java.time.Duration d) {
        driver.advanceWallClockTime(d);
        return this;
    }

    public List<TestRecord<byte[], byte[]>> deadLetters() {
        return dlq.readRecordsToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
