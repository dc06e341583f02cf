package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.casewatch.cases.CaseEngine;
import io.casewatch.policy.PolicySet;
import io.casewatch.replay.AvroJson;
import io.casewatch.replay.Replay;
import io.casewatch.schema.Actor;
import io.casewatch.schema.Alert;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.Outcome;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.testing.Events;
import io.casewatch.testing.LogCapture;

/**
 * SPEC §4: "no raw message text and no customer identifier other than customerRef ever leaves". A scenario whose
 * events carry a customer's name, email, phone number and account number wherever producers could put free text or
 * an identifier of their own (contact texts, lifecycle reasons, an event id, an ack's team) runs through the
 * topology; every topic it writes (escalations, status, merchant stats, compliance, merchant facts, and the store
 * changelogs, i.e. what the broker would keep) and every line printed meanwhile is searched for those strings, in
 * the live topology and in {@code replay}'s files.
 *
 * <p>Two outputs hold original input bytes by design and are left out of the search, documented as such
 * (docs/operations.md, Security): the dead-letter topic (SPEC §8: original key and value) and the changelog of the
 * store that keeps the records of cases not yet OPENED (so that they can be dead-lettered with their bytes). The
 * test checks that the planted strings did reach the dead-letter topic, so that the search is known to find them.
 */
class PiiScanTest {
    private static final String NAME = "Imogen Featherstonehaugh";
    private static final String EMAIL = "imogen.featherstonehaugh@example.org";
    private static final String PHONE = "+44 7700 900461";
    private static final String ACCOUNT = "GB29NWBK60161331926819";
    private static final List<String> PII = List.of(NAME, EMAIL, PHONE, ACCOUNT, "Featherstonehaugh", "7700 900461", "60161331926819");

    private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");
    private static final Instant END = T0.plus(Duration.ofDays(70));
    private static final Topics TOPICS = Topics.defaults();
    /** The changelog of the store holding records of cases not yet OPENED, as read (application id casewatch-test). */
    private static final String PENDING_CHANGELOG = "casewatch-test-case-pending-changelog";

    @Test
    void noPlantedPiiInAnyTopicTheTopologyWritesNorInItsLogs() throws Exception {
        Map<String, String> written = new TreeMap<>();
        String dlq = null;
        String printed;
        List<Alert> alerts = new ArrayList<>();
        try (LogCapture logs = LogCapture.start("io.casewatch", "org.apache.kafka.streams");
             TopologyTestDriver driver = driver()) {
            Inputs in = new Inputs(driver);
            scenario().forEach(in::pipe);
            in.raw(TOPICS.complaints().name(), "pii-1", garbage(), T0.plusSeconds(30));
            // Acks are answered to published alerts: the ack's team is free text of the acking desk.
            driver.createOutputTopic(TOPICS.l1().name(), new org.apache.kafka.common.serialization.StringDeserializer(),
                    RecordSerdes.ALERT.deserializer()).readValuesToList().forEach(alerts::add);
            assertThat(alerts).as("the scenario raised L1 alerts to acknowledge").isNotEmpty();
            for (Alert a : alerts) {
                in.pipe(EscalationAck.newBuilder(Events.ack(a.getCaseId(), a.getAlertId(), a.getLevel(), a.getDetectedAt().plusSeconds(60)))
                        .setTeam("desk of " + NAME).build());
            }
            in.tick(END);
            for (String topic : driver.producedTopicNames()) {
                String text = scan(driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList());
                if (topic.equals(TOPICS.deadLetters().name())) {
                    dlq = text;
                } else if (!topic.equals(PENDING_CHANGELOG)) {
                    written.put(topic, text);
                }
            }
            printed = logs.text();
        }

        // The search covers every kind of output and is able to find the strings.
        assertThat(written.keySet()).contains(TOPICS.l1().name(), TOPICS.l2().name(), TOPICS.l3().name(), TOPICS.status().name(),
                TOPICS.merchantStats().name(), TOPICS.compliance().name(), TOPICS.facts().name(), "casewatch-test-case-store-changelog");
        assertThat(written).allSatisfy((topic, text) -> assertThat(text).as(topic).isNotEmpty());
        assertThat(dlq).as("dead letters keep the original bytes (SPEC §8)").contains(NAME, EMAIL)
                .contains("UNDECODABLE", "ORPHAN_CONTACT").doesNotContain("TEXT_TOO_LONG");
        assertThat(written.get(TOPICS.compliance().name())).as("a code reason is kept, free text is withheld")
                .contains("EXTERNAL_APPRAISAL", CaseEngine.WITHHELD_REASON);

        written.forEach((topic, text) -> PII.forEach(p -> assertThat(text).as("topic %s", topic).doesNotContain(p)));
        PII.forEach(p -> assertThat(printed).as("log lines").doesNotContain(p));
    }

    @Test
    void noPlantedPiiInReplaysFilesNorInItsLogs(@TempDir Path tmp) throws Exception {
        Path events = tmp.resolve("events.jsonl");
        try (OutputStream out = Files.newOutputStream(events); JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (SpecificRecord r : scenario()) {
                AvroJson.writeWithStream(g, r instanceof ComplaintEvent ? "complaint" : r instanceof ContactEvent ? "contact" : "ack", r);
                g.writeRaw('\n');
            }
            // A line replay cannot read: dead-lettered as BAD_LINE with the line as it was.
            g.writeRaw("{\"stream\": \"contact\", \"caseId\": \"pii-1\", \"text\": \"" + NAME + " " + EMAIL + "\"\n");
        }
        Path outDir = tmp.resolve("out");
        String printed;
        try (LogCapture logs = LogCapture.start("io.casewatch", "org.apache.kafka.streams")) {
            new Replay(CasewatchTopology.Settings.defaults(TOPICS, PolicySet.presets())).run(events, outDir, END);
            printed = logs.text();
        }
        Path dlqFile = outDir.resolve(TOPICS.deadLetters().name() + ".jsonl");
        List<Path> files;
        try (Stream<Path> list = Files.list(outDir)) {
            files = list.filter(f -> !f.equals(dlqFile)).sorted().toList();
        }
        assertThat(files).extracting(f -> f.getFileName().toString()).contains(TOPICS.l1().name() + ".jsonl", TOPICS.l2().name() + ".jsonl",
                TOPICS.status().name() + ".jsonl", TOPICS.compliance().name() + ".jsonl", TOPICS.merchantStats().name() + ".jsonl");
        // Replay writes dead letters' values in base64: the bad line is there, so the strings did go through.
        assertThat(Files.readString(dlqFile)).contains("BAD_LINE", "ORPHAN_CONTACT").doesNotContain("TEXT_TOO_LONG");
        for (Path f : files) {
            String text = Files.readString(f);
            PII.forEach(p -> assertThat(text).as("%s", f.getFileName()).doesNotContain(p));
        }
        PII.forEach(p -> assertThat(printed).as("log lines").doesNotContain(p));
    }

    /**
     * pii-1 goes through its whole life with the customer's details in every free-text field: an OPENED whose reason
     * is a sentence, contacts quoting name, email, phone and account, holding replies that repeat them (a stall
     * loop), an extension and a resolution with free-text reasons, an exclusion with a code reason, a reopening and a
     * closing. pii-2 is never answered (breaches on all levels); pii-3 opens later. A contact for a case never opened is
     * dead-lettered; one with an oversize text counts on its case, its text is never written out.
     */
    private static List<SpecificRecord> scenario() {
        List<SpecificRecord> e = new ArrayList<>();
        String quote = "I am " + NAME + ", account " + ACCOUNT + ", call me on " + PHONE + " or write to " + EMAIL;
        e.add(Events.complaint("pii-1", ComplaintEventType.OPENED, T0).setJurisdiction("GB").setCustomerRef("cref-4711")
                .setReason("Customer " + NAME + " phoned about account " + ACCOUNT).build());
        e.add(Events.complaint("pii-2", ComplaintEventType.OPENED, T0.plusSeconds(5)).setJurisdiction("GB").setCustomerRef("cref-4712")
                .setMerchantId("m-2").build());
        for (int i = 0; i < 4; i++) {
            Instant at = T0.plus(Duration.ofDays(1 + 2L * i));
            ContactEvent inbound = Events.contact("pii-1", Direction.INBOUND, Actor.CUSTOMER, at).setText(quote + " (" + i + ")")
                    .setLanguage("en").build();
            if (i == 0) {
                inbound.setEventId("msg-" + EMAIL); // an event id made of a customer's address by a careless producer
            }
            e.add(inbound);
            e.add(Events.contact("pii-1", Direction.OUTBOUND, Actor.AGENT, at.plus(Duration.ofHours(2)))
                    .setText("Dear " + NAME + ", we are still looking into it and will write to " + EMAIL + ". Please wait.")
                    .setLanguage("en").setTemplateId("tpl-holding-1").build());
        }
        e.add(Events.contact("pii-1", Direction.INBOUND, Actor.CUSTOMER, T0.plus(Duration.ofDays(9)))
                .setText(quote + " " + "x".repeat(20_000)).setLanguage("en").build());
        e.add(Events.complaint("pii-1", ComplaintEventType.EXTENDED, T0.plus(Duration.ofDays(10)))
                .setReason("extended because " + NAME + " sent new documents").build());
        e.add(Events.complaint("pii-1", ComplaintEventType.AWAITING_CUSTOMER, T0.plus(Duration.ofDays(11))).setReason("EXTERNAL_APPRAISAL").build());
        e.add(Events.complaint("pii-1", ComplaintEventType.RESUMED, T0.plus(Duration.ofDays(12))).build());
        e.add(Events.complaint("pii-1", ComplaintEventType.RESOLVED, T0.plus(Duration.ofDays(13))).setOutcome(Outcome.REFUNDED)
                .setReason("REFUND_TO_" + ACCOUNT).build());
        e.add(Events.complaint("pii-1", ComplaintEventType.REOPENED, T0.plus(Duration.ofDays(14))).setReason(PHONE).build());
        e.add(Events.complaint("pii-1", ComplaintEventType.CLOSED, T0.plus(Duration.ofDays(15))).setOutcome(Outcome.REFUNDED).build());
        e.add(Events.contact("pii-orphan", Direction.INBOUND, Actor.CUSTOMER, T0.plus(Duration.ofDays(2))).setText(quote).setLanguage("en").build());
        // Orphans expire once OPENED events are read past their grace (docs/reliability.md): a later case opens.
        e.add(Events.complaint("pii-3", ComplaintEventType.OPENED, T0.plus(Duration.ofDays(3))).setJurisdiction("GB").setCustomerRef("cref-4713")
                .build());
        e.sort(java.util.Comparator.comparing(PiiScanTest::occurredAt));
        return e;
    }

    private static Instant occurredAt(SpecificRecord r) {
        return r instanceof ComplaintEvent c ? c.getOccurredAt() : r instanceof ContactEvent c ? c.getOccurredAt() : ((EscalationAck) r).getOccurredAt();
    }

    /** Bytes that are not Avro at all, e.g. a producer's JSON with the customer in it. */
    private static byte[] garbage() {
        return ("{\"customer\": \"" + NAME + "\", \"email\": \"" + EMAIL + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static TopologyTestDriver driver() throws IOException {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("casewatch-pii-").toString());
        return new TopologyTestDriver(CasewatchTopology.build(CasewatchTopology.Settings.defaults(TOPICS, PolicySet.presets()), TopologyRuntime.replay()), props,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** Keys, values and headers of records as UTF-8 text: Avro writes strings as their UTF-8 bytes. */
    private static String scan(List<TestRecord<byte[], byte[]>> records) {
        StringBuilder b = new StringBuilder();
        for (TestRecord<byte[], byte[]> r : records) {
            append(b, r.key());
            append(b, r.value());
            for (Header h : r.headers()) {
                b.append(h.key()).append('=');
                append(b, h.value());
            }
        }
        return b.toString();
    }

    private static void append(StringBuilder b, byte[] bytes) {
        if (bytes != null) {
            b.append(new String(bytes, StandardCharsets.UTF_8)).append('\n');
        }
    }

    /** The input topics, each record stamped with its event's time as producers are expected to. */
    private static final class Inputs {
        private final Map<String, TestInputTopic<byte[], byte[]>> topics = new TreeMap<>();

        Inputs(TopologyTestDriver driver) {
            for (String t : TOPICS.inputNames()) {
                topics.put(t, driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()));
            }
        }

        void pipe(SpecificRecord r) {
            if (r instanceof ComplaintEvent c) {
                raw(TOPICS.complaints().name(), c.getCaseId(), RecordSerdes.COMPLAINT_EVENT.toBytes(c), c.getOccurredAt());
            } else if (r instanceof ContactEvent c) {
                raw(TOPICS.contacts().name(), c.getCaseId(), RecordSerdes.CONTACT_EVENT.toBytes(c), c.getOccurredAt());
            } else if (r instanceof EscalationAck a) {
                raw(TOPICS.acks().name(), a.getCaseId(), RecordSerdes.ESCALATION_ACK.toBytes(a), a.getOccurredAt());
            }
        }

        void raw(String topic, String key, byte[] value, Instant at) {
            topics.get(topic).pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(), at));
        }

        void tick(Instant at) {
            RecordHeaders h = new RecordHeaders();
            h.add("casewatch.tick", "1".getBytes(StandardCharsets.UTF_8));
            topics.get(TOPICS.ticks().name()).pipeInput(new TestRecord<>("tick".getBytes(StandardCharsets.UTF_8), new byte[0], h, at));
        }
    }
}
