package io.casewatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.casewatch.schema.internal.CaseData;

/**
 * Every schema stays backward and forward compatible with every version kept under {@code schema-history/}
 * (Avro's own checker), and the newest kept version is the current schema: a change must add a version file, which
 * is also what lets the serdes read records written before the change.
 */
class SchemaCompatibilityTest {

    static Stream<Schema> currentSchemas() {
        return Stream.of(ComplaintEvent.getClassSchema(), ContactEvent.getClassSchema(), EscalationAck.getClassSchema(),
                Alert.getClassSchema(), CaseStatus.getClassSchema(), MerchantStats.getClassSchema(),
                ComplianceRecord.getClassSchema(), CaseData.getClassSchema(), io.casewatch.schema.internal.MerchantFact.getClassSchema(),
                io.casewatch.schema.internal.PendingInputs.getClassSchema(), io.casewatch.schema.internal.HeldEvents.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void currentSchemaReadsAndIsReadByEveryKeptVersion(Schema current) throws IOException {
        List<Schema> history = history(current.getName());
        assertThat(history).as("schema-history/%s/v1.avsc must exist", current.getName()).isNotEmpty();
        for (Schema old : history) {
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
                    .as("%s: current reads data written with a kept version (backward)", current.getName())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType())
                    .as("%s: a kept version reads data written with the current schema (forward)", current.getName())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void newestKeptVersionIsTheCurrentSchema(Schema current) throws IOException {
        List<Schema> history = history(current.getName());
        Schema newest = history.get(history.size() - 1);
        assertThat(SchemaNormalization.parsingFingerprint64(newest))
                .as("%s changed: add schema-history/%s/v%d.avsc with the new schema", current.getName(), current.getName(),
                        history.size() + 1)
                .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
    }

    @Test
    void unknownEnumSymbolFromANewerProducerReadsAsTheDefault() throws IOException {
        // A newer producer adds a category symbol and an event type; this version must read them, not fail.
        String newer = ComplaintEvent.getClassSchema().toString()
                .replace("\"OTHER\"]", "\"OTHER\",\"CRYPTO\"]")
                .replace("\"WITHDRAWN\",\"UNKNOWN\"]", "\"WITHDRAWN\",\"ESCALATED_TO_OMBUDSMAN\",\"UNKNOWN\"]");
        Schema writer = new Schema.Parser().parse(newer);
        GenericRecord r = new GenericData.Record(writer);
        r.put("eventId", "e1");
        r.put("caseId", "c1");
        r.put("merchantId", "m1");
        r.put("occurredAt", 1_700_000_000_000L);
        r.put("type", new GenericData.EnumSymbol(writer.getField("type").schema(), "ESCALATED_TO_OMBUDSMAN"));
        Schema categorySchema = writer.getField("category").schema().getTypes().get(1);
        r.put("category", new GenericData.EnumSymbol(categorySchema, "CRYPTO"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(r, enc);
        enc.flush();

        ComplaintEvent read = new SpecificDatumReader<ComplaintEvent>(writer, ComplaintEvent.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        assertThat(read.getType()).isEqualTo(ComplaintEventType.UNKNOWN);
        assertThat(read.getCategory()).isEqualTo(Category.OTHER);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(ComplaintEvent.getClassSchema(), writer).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    static List<Schema> history(String name) throws IOException {
        List<Schema> out = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream("/schema-history/" + name + "/v" + v + ".avsc")) {
                if (in == null) {
                    return out;
                }
                out.add(new Schema.Parser().parse(in));
            }
        }
    }
}
