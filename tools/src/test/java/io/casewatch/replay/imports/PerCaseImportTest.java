package io.casewatch.replay.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerCaseImportTest {

    private static final String MAPPING = """
            {
              "mode": "per-case",
              "csv": { "skipLines": 2 },
              "timeZone": "America/New_York",
              "case": {
                "caseId": { "column": "ID" },
                "merchantId": { "column": "Company" },
                "jurisdiction": "US",
                "category": { "column": "Issue", "rules": [
                    { "when": { "column": "Issue", "matches": "(?i).*fraud.*" }, "value": "FRAUD" },
                    { "when": { "column": "Issue", "matches": "(?i).*fee.*" }, "value": "FEES" } ],
                  "unmapped": "OTHER" },
                "channel": { "column": "Via", "map": { "Web": "WEB", "Phone": "PHONE" } }
              },
              "events": [
                { "id": "opened", "stream": "complaint", "type": "OPENED", "at": { "column": "Received", "format": "yyyy-MM-dd" } },
                { "id": "said", "stream": "contact", "at": { "column": "Received", "format": "yyyy-MM-dd" },
                  "when": { "column": "Narrative", "notEmpty": true },
                  "fields": { "direction": "INBOUND", "actor": "CUSTOMER", "text": { "column": "Narrative" } } },
                { "id": "assigned", "stream": "complaint", "type": "ASSIGNED", "optional": true,
                  "at": { "column": "Sent", "format": "yyyy-MM-dd" } },
                { "id": "resolved", "stream": "complaint", "type": "RESOLVED",
                  "at": { "column": "Sent", "format": "yyyy-MM-dd", "plus": "P15D" },
                  "when": [ { "column": "Timely", "equals": "Yes" }, { "column": "Response", "matches": "Closed.*" } ],
                  "fields": { "outcome": { "column": "Response", "map": { "Closed with monetary relief": "REFUNDED",
                      "Closed with explanation": "REJECTED" } } } }
              ]
            }
            """;

    private static final String CSV = """
            Archive:  complaints.csv.zip
              inflating: complaints.csv
            Received,Issue,Narrative,Company,Via,Sent,Response,Timely,ID
            2020-03-18,Fraud or scam,"They took my money.
            Twice.",Acme Bank,Web,2020-03-19,Closed with monetary relief,Yes,101
            2020-03-18,Fees or interest,,Acme Bank,Phone,,In progress,Yes,102
            2020-03-18,Other,,Acme Bank,Phone,2020-03-17,Closed with explanation,No,103
            2020-03-18,Fees,,Acme Bank,Phone,2020-03-20,Closed with explanation,No,104
            """;

    @Test
    void aCaseRowYieldsItsEventsInTimeOrderWithSharedFieldsWhereTheSchemaHasThem() {
        ImportRun run = ImportRun.of(MAPPING, CSV);

        assertThat(run.lines()).containsExactly(
                "{\"stream\":\"complaint\",\"eventId\":\"101:opened\",\"caseId\":\"101\",\"merchantId\":\"Acme Bank\","
                        + "\"occurredAt\":\"2020-03-18T00:00:00-04:00\",\"type\":\"OPENED\",\"category\":\"FRAUD\",\"channel\":\"WEB\",\"jurisdiction\":\"US\"}",
                "{\"stream\":\"contact\",\"eventId\":\"101:said\",\"caseId\":\"101\",\"occurredAt\":\"2020-03-18T00:00:00-04:00\","
                        + "\"direction\":\"INBOUND\",\"actor\":\"CUSTOMER\",\"channel\":\"WEB\",\"merchantId\":\"Acme Bank\",\"text\":\"They took my money.\\nTwice.\"}",
                "{\"stream\":\"complaint\",\"eventId\":\"102:opened\",\"caseId\":\"102\",\"merchantId\":\"Acme Bank\","
                        + "\"occurredAt\":\"2020-03-18T00:00:00-04:00\",\"type\":\"OPENED\",\"category\":\"FEES\",\"channel\":\"PHONE\",\"jurisdiction\":\"US\"}",
                "{\"stream\":\"complaint\",\"eventId\":\"104:opened\",\"caseId\":\"104\",\"merchantId\":\"Acme Bank\","
                        + "\"occurredAt\":\"2020-03-18T00:00:00-04:00\",\"type\":\"OPENED\",\"category\":\"FEES\",\"channel\":\"PHONE\",\"jurisdiction\":\"US\"}",
                "{\"stream\":\"complaint\",\"eventId\":\"101:assigned\",\"caseId\":\"101\",\"merchantId\":\"Acme Bank\","
                        + "\"occurredAt\":\"2020-03-19T00:00:00-04:00\",\"type\":\"ASSIGNED\",\"category\":\"FRAUD\",\"channel\":\"WEB\",\"jurisdiction\":\"US\"}",
                "{\"stream\":\"complaint\",\"eventId\":\"104:assigned\",\"caseId\":\"104\",\"merchantId\":\"Acme Bank\","
                        + "\"occurredAt\":\"2020-03-20T00:00:00-04:00\",\"type\":\"ASSIGNED\",\"category\":\"FEES\",\"channel\":\"PHONE\",\"jurisdiction\":\"US\"}",
                "{\"stream\":\"complaint\",\"eventId\":\"101:resolved\",\"caseId\":\"101\",\"merchantId\":\"Acme Bank\","
                        + "\"occurredAt\":\"2020-04-03T00:00:00-04:00\",\"type\":\"RESOLVED\",\"category\":\"FRAUD\",\"channel\":\"WEB\",\"jurisdiction\":\"US\",\"outcome\":\"REFUNDED\"}");
    }

    @Test
    void aRowWhoseLaterEventIsDatedBeforeAnEarlierOneIsRejectedAndCounted() {
        ImportRun run = ImportRun.of(MAPPING, CSV);

        // Skipped lines and the two-line narrative count: 103 starts on line 7 of the file.
        assertThat(run.rejects()).containsExactly("line 7, column 'Sent': events out of order: "
                + "'assigned' at 2020-03-17T00:00:00-04:00 is before 'opened' at 2020-03-18T00:00:00-04:00");
        assertThat(run.summary().rowsRead()).isEqualTo(4);
        assertThat(run.summary().rowsRejected()).isEqualTo(1);
        assertThat(run.summary().rejectsByReason()).containsExactly(java.util.Map.entry("events out of order, column 'Sent'", 1L));
    }

    @Test
    void outOfOrderSortLetsSuchARowThroughInTimeOrder() {
        ImportRun run = ImportRun.of(MAPPING.replace("\"mode\": \"per-case\",", "\"mode\": \"per-case\", \"outOfOrder\": \"sort\","), CSV);

        assertThat(run.rejects()).isEmpty();
        assertThat(run.lines()).filteredOn(l -> l.contains("\"caseId\":\"103\""))
                .extracting(l -> l.replaceAll(".*\"eventId\":\"([^\"]+)\".*", "$1"))
                .containsExactly("103:assigned", "103:opened");
    }

    @Test
    void aRequiredDateThatIsEmptyRejectsTheRowButAnOptionalOneOnlyDropsItsEvent() {
        ImportRun run = ImportRun.of(MAPPING, """
                skip
                skip
                Received,Issue,Narrative,Company,Via,Sent,Response,Timely,ID
                ,Fraud,,Acme Bank,Web,2020-03-19,Closed with monetary relief,Yes,201
                2020-03-18,Fraud,,Acme Bank,Web,,In progress,Yes,202
                """);

        assertThat(run.rejects()).containsExactly(
                "line 4, column 'Received': missing value: ComplaintEvent.occurredAt is required and the value is empty");
        assertThat(run.lines()).singleElement().asString().contains("\"eventId\":\"202:opened\"");
    }

    @Test
    void aGzippedFileIsReadDirectlyAndGivesTheSameOutputAsThePlainOne(@TempDir Path dir) throws IOException {
        Path plain = Files.writeString(dir.resolve("cases.csv"), CSV);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(CSV.getBytes(StandardCharsets.UTF_8));
        }
        Path zipped = Files.write(dir.resolve("cases.csv.gz"), gz.toByteArray());
        ImportMapping m = MappingFile.parse(MAPPING);

        assertThat(ImportRun.of(m, CsvInput.of(zipped)).output())
                .isEqualTo(ImportRun.of(m, CsvInput.of(plain)).output())
                .isEqualTo(ImportRun.of(MAPPING, CSV).output());
    }
}
