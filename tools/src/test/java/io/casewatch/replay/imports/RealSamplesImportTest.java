package io.casewatch.replay.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.EscalationAck;

/**
 * The shipped mappings over the real public samples of shared/data (SOURCES.md there), when they are present:
 * the counts of mapped and rejected rows, and every emitted field and enum symbol checked against the Avro schemas.
 */
class RealSamplesImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MAPPINGS = Path.of("..", "docs", "import");
    private static final Map<String, Schema> SCHEMAS = Map.of(
            "complaint", ComplaintEvent.getClassSchema(),
            "contact", ContactEvent.getClassSchema(),
            "ack", EscalationAck.getClassSchema());

    /** mapping, sample, rows read, rows rejected, complaint events, contact events. */
    static Stream<Arguments> samples() {
        return Stream.of(
                // OPENED + ASSIGNED per complaint, RESOLVED for the 6,494 timely closed ones, one contact per narrative.
                Arguments.of("cfpb-complaints.json", "cfpb_complaints_sample_6623.csv.gz", 6623, 0, 6623 * 2 + 6494, 1532),
                // Every tweet a contact, one synthesised OPENED per thread.
                Arguments.of("twitter-support.json", "twcs_head_5000.csv.gz", 5000, 0, 1312, 5000),
                // 10 requests close before they were created; the other 990 open, 976 of them close.
                Arguments.of("nyc311.json", "nyc311_sample_1000.csv.gz", 1000, 10, 990 + 976, 0));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("samples")
    void theShippedMappingImportsTheRealSampleIntoSchemaValidEventsInTimeOrder(String mapping, String sample, long read,
                                                                              long rejected, long complaints, long contacts) throws IOException {
        Path data = dataDir().resolve(sample);
        assumeTrue(Files.isReadable(data), "sample not present: " + data);
        ImportMapping m = MappingFile.load(MAPPINGS.resolve(mapping));

        ImportRun run = ImportRun.of(m, CsvInput.of(data));

        assertThat(run.summary().rowsRead()).isEqualTo(read);
        assertThat(run.summary().rowsRejected()).isEqualTo(rejected);
        assertThat(run.rejects()).hasSize((int) rejected);
        assertThat(run.summary().eventsByStream().getOrDefault("complaint", 0L)).isEqualTo(complaints);
        assertThat(run.summary().eventsByStream().getOrDefault("contact", 0L)).isEqualTo(contacts);
        Instant previous = Instant.MIN;
        for (String line : run.lines()) {
            Instant at = checkAgainstSchema(JSON.readTree(line));
            assertThat(at).as("time order at %s", line).isAfterOrEqualTo(previous);
            previous = at;
        }
        assertThat(ImportRun.of(m, CsvInput.of(data)).output()).as("deterministic").isEqualTo(run.output());
    }

    /** Every field is a field of the stream's schema, enums are symbols, required fields are there; the event time. */
    private static Instant checkAgainstSchema(JsonNode event) {
        Schema schema = SCHEMAS.get(event.path("stream").asText());
        assertThat(schema).as("stream of %s", event).isNotNull();
        Iterator<Map.Entry<String, JsonNode>> fields = event.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equals("stream")) {
                continue;
            }
            Schema.Field field = schema.getField(f.getKey());
            assertThat(field).as("%s.%s", schema.getName(), f.getKey()).isNotNull();
            Schema type = EventStream.valueSchema(field);
            if (type.getType() == Schema.Type.ENUM) {
                assertThat(type.getEnumSymbols()).as("%s.%s", schema.getName(), f.getKey()).contains(f.getValue().asText());
            }
        }
        for (Schema.Field f : schema.getFields()) {
            if (EventStream.required(f)) {
                assertThat(event.has(f.name())).as("%s needs %s: %s", schema.getName(), f.name(), event).isTrue();
            }
        }
        return OffsetDateTime.parse(event.get("occurredAt").asText()).toInstant();
    }

    private static Path dataDir() {
        for (Path p : List.of(Path.of("/work/shared/data"), Path.of("..", "..", "shared", "data"))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return Path.of("/work/shared/data");
    }
}
