package io.casewatch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.serde.RecordSerdes;

/**
 * The bad-input corpus of SPEC section 8, checked in under {@code src/test/resources/corpus/} (one {@code .bin} file
 * per record value, and {@code manifest.tsv} saying which topic, key and timestamp each goes with and what casewatch
 * must do with it). This class both writes the files ({@link #main}, deterministic: the same files every time) and
 * reads them ({@link #load}). Regenerate after a schema change by running {@link #main} with the corpus folder
 * (command in {@code corpus/README.md}); {@code BadInputCorpusTest} fails when the checked-in files differ from the
 * generator.
 */
public final class BadInputCorpus {

    /** What casewatch must do with a record: process it, or dead-letter it with this reason. */
    public static final String PROCESSED = "PROCESSED";
    /** Event time of the corpus' well-formed events: long before any test runs, so their deadlines are all due. */
    public static final Instant T = Instant.parse("2026-01-05T08:00:00Z");

    /** One corpus record. {@code key} null means a record without key. */
    public record Entry(String file, String stream, String key, long timestamp, String expected, byte[] value) {
    }

    private BadInputCorpus() {
    }

    /** The corpus as generated (the manifest order is the order records are produced in). */
    public static List<Entry> generate() {
        List<Entry> out = new ArrayList<>();
        long t = T.toEpochMilli();
        byte[] contact = RecordSerdes.CONTACT_EVENT.toBytes(ContactEvent.newBuilder(Events.inbound("corpus-trunc", T)).setEventId("corpus-e1").build());
        out.add(new Entry("01-truncated-avro.bin", "contact", "corpus-trunc", t, "UNDECODABLE",
                Arrays.copyOf(contact, contact.length * 6 / 10)));
        out.add(new Entry("02-wrong-schema.bin", "contact", "corpus-wrong", t, "UNDECODABLE",
                RecordSerdes.COMPLAINT_EVENT.toBytes(opened("corpus-wrong", "corpus-e2", T))));
        byte[] random = new byte[256];
        new Random(8L).nextBytes(random);
        out.add(new Entry("03-random-bytes.bin", "complaint", "corpus-random", t, "UNDECODABLE", random));
        out.add(new Entry("04-empty-value.bin", "complaint", "corpus-empty", t, "EMPTY_VALUE", new byte[0]));
        out.add(new Entry("05-null-key.bin", "complaint", null, t, "MISSING_CASE_ID",
                RecordSerdes.COMPLAINT_EVENT.toBytes(opened("corpus-nullkey", "corpus-e5", T))));
        out.add(new Entry("06-key-mismatch.bin", "complaint", "corpus-other", t, "KEY_MISMATCH",
                RecordSerdes.COMPLAINT_EVENT.toBytes(opened("corpus-keymismatch", "corpus-e6", T))));
        // Over the text limit: counted on its case, opened just before, classified on its head (SPEC section 8).
        out.add(new Entry("07-oversized-text-opened.bin", "complaint", "corpus-big", t, PROCESSED,
                RecordSerdes.COMPLAINT_EVENT.toBytes(opened("corpus-big", "corpus-e17", T))));
        out.add(new Entry("07-oversized-text.bin", "contact", "corpus-big", t, PROCESSED, RecordSerdes.CONTACT_EVENT.toBytes(
                ContactEvent.newBuilder(Events.inbound("corpus-big", T)).setEventId("corpus-e7").setText("请尽快处理".repeat(4_000)).build())));
        Instant future = Instant.parse("2100-01-01T00:00:00Z");
        // The record is stamped T: brokers refuse record timestamps far ahead of their clock; the event's own time is 2100.
        out.add(new Entry("08-future-timestamp.bin", "complaint", "corpus-future", t, "TIME_OUT_OF_RANGE",
                RecordSerdes.COMPLAINT_EVENT.toBytes(opened("corpus-future", "corpus-e8", future))));
        Instant ancient = Instant.parse("1999-12-31T23:00:00Z");
        out.add(new Entry("09-ancient-timestamp.bin", "complaint", "corpus-ancient", ancient.toEpochMilli(), "TIME_OUT_OF_RANGE",
                RecordSerdes.COMPLAINT_EVENT.toBytes(opened("corpus-ancient", "corpus-e9", ancient))));
        out.add(new Entry("10-unknown-event-type.bin", "complaint", "corpus-unknown-type", t, "UNKNOWN_ENUM", RecordSerdes.COMPLAINT_EVENT.toBytes(
                Events.complaint("corpus-unknown-type", ComplaintEventType.UNKNOWN, T).setEventId("corpus-e10").build())));
        out.add(new Entry("11-unknown-direction.bin", "contact", "corpus-unknown-direction", t, "UNKNOWN_ENUM", RecordSerdes.CONTACT_EVENT.toBytes(
                ContactEvent.newBuilder(Events.inbound("corpus-unknown-direction", T)).setEventId("corpus-e11").setDirection(Direction.UNKNOWN).build())));
        out.add(new Entry("12-orphan-contact.bin", "contact", "corpus-orphan", t, "ORPHAN_CONTACT", RecordSerdes.CONTACT_EVENT.toBytes(
                ContactEvent.newBuilder(Events.inbound("corpus-orphan", T)).setEventId("corpus-e12").build())));
        out.add(new Entry("13-ack-unknown-case.bin", "ack", "corpus-noack", t, "UNKNOWN_ALERT", RecordSerdes.ESCALATION_ACK.toBytes(
                io.casewatch.schema.EscalationAck.newBuilder(Events.ack("corpus-noack", "0123456789abcdef0123456789abcdef", io.casewatch.schema.Level.L1, T))
                        .setEventId("corpus-e13").build())));
        byte[] dup = RecordSerdes.COMPLAINT_EVENT.toBytes(opened("corpus-dup", "corpus-e14", T));
        out.add(new Entry("14-duplicate-event-id.bin", "complaint", "corpus-dup", t, PROCESSED, dup));
        out.add(new Entry("14-duplicate-event-id.bin", "complaint", "corpus-dup", t, PROCESSED, dup));
        // Out of order: the OPENED arrives first, then a contact stamped ten minutes before it. Both count.
        Instant later = T.plusSeconds(600);
        out.add(new Entry("15-out-of-order-opened.bin", "complaint", "corpus-ooo", later.toEpochMilli(), PROCESSED,
                RecordSerdes.COMPLAINT_EVENT.toBytes(opened("corpus-ooo", "corpus-e15", later))));
        out.add(new Entry("16-out-of-order-contact.bin", "contact", "corpus-ooo", t, PROCESSED, RecordSerdes.CONTACT_EVENT.toBytes(
                ContactEvent.newBuilder(Events.inbound("corpus-ooo", T)).setEventId("corpus-e16").build())));
        return out;
    }

    private static ComplaintEvent opened(String caseId, String eventId, Instant at) {
        return Events.complaint(caseId, ComplaintEventType.OPENED, at).setEventId(eventId).setJurisdiction("GB").build();
    }

    /** The manifest line of an entry. */
    static String manifestLine(Entry e) {
        return String.join("\t", e.file(), e.stream(), e.key() == null ? "-" : e.key(), Long.toString(e.timestamp()), e.expected());
    }

    /** The checked-in corpus, from the classpath. */
    public static List<Entry> load() {
        List<Entry> out = new ArrayList<>();
        for (String line : read("manifest.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            out.add(new Entry(f[0], f[1], f[2].equals("-") ? null : f[2], Long.parseLong(f[3]), f[4], bytes(f[0])));
        }
        return out;
    }

    private static String read(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) {
        try (InputStream in = BadInputCorpus.class.getResourceAsStream("/corpus/" + name)) {
            if (in == null) {
                throw new IllegalStateException("corpus file missing: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the corpus into the folder given as the only argument. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        StringBuilder manifest = new StringBuilder("# file\tstream\tkey (- = none)\ttimestamp (epoch ms)\texpected (PROCESSED or dead-letter reason)\n");
        for (Entry e : generate()) {
            Files.write(dir.resolve(e.file()), e.value());
            manifest.append(manifestLine(e)).append('\n');
        }
        Files.writeString(dir.resolve("manifest.tsv"), manifest.toString());
    }

    /** A corpus contact's case id, to tell corpus cases from good traffic. */
    public static boolean isCorpusCase(String caseId) {
        return caseId != null && caseId.startsWith("corpus-");
    }
}
