package io.casewatch.replay.imports;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MappingErrorsTest {

    private static final String CSV = "id,at\na,2026-01-01T00:00:00Z\n";

    private static String perEvent(String fields) {
        return """
                {"mode": "per-event", "stream": "contact", "fields": {"eventId": {"column": "id"}, "caseId": {"column": "id"},
                 "occurredAt": {"column": "at", "format": "ISO"}, "direction": "INBOUND", "actor": "CUSTOMER", %s}}
                """.formatted(fields);
    }

    @Test
    void anUnknownKeyFailsNamingItsPath() {
        assertThatThrownBy(() -> MappingFile.parse(perEvent("\"channel\": {\"column\": \"id\", \"mapp\": {}}")))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("fields.channel.mapp: unknown key");
        assertThatThrownBy(() -> MappingFile.parse("{\"mode\": \"per-case\", \"skiplines\": 2, \"events\": []}"))
                .hasMessageStartingWith("$.skiplines: unknown key in a per-case mapping");
    }

    @Test
    void aKeyOfTheOtherModeIsAnUnknownKey() {
        assertThatThrownBy(() -> MappingFile.parse("{\"mode\": \"per-event\", \"events\": []}"))
                .hasMessageStartingWith("$.events: unknown key in a per-event mapping");
    }

    @Test
    void aFieldThatNoEventSchemaHasFailsNamingIt() {
        assertThatThrownBy(() -> MappingFile.parse(perEvent("\"chanel\": \"APP\"")))
                .hasMessage("fields.chanel: not a field of ComplaintEvent, ContactEvent or EscalationAck");
    }

    @Test
    void aColumnMissingFromTheHeaderFailsBeforeAnyRowNamingTheColumn() {
        ImportMapping m = MappingFile.parse(perEvent("\"channel\": {\"column\": \"Submitted via\"}"));

        assertThatThrownBy(() -> ImportRun.of(m, CsvInput.ofText(CSV)))
                .isInstanceOf(MappingException.class)
                .hasMessage("fields.channel.column: column 'Submitted via' is not in the CSV header (columns: 'id', 'at')");
    }

    @Test
    void aColumnInAConditionIsCheckedAgainstTheHeaderToo() {
        ImportMapping m = MappingFile.parse(perEvent("\"text\": {\"column\": \"id\", \"when\": {\"column\": \"body\", \"notEmpty\": true}}"));

        assertThatThrownBy(() -> ImportRun.of(m, CsvInput.ofText(CSV)))
                .hasMessageStartingWith("fields.text.when.column: column 'body' is not in the CSV header");
    }

    @Test
    void aRequiredFieldWithoutAMappingFailsFast() {
        String noActor = perEvent("\"channel\": \"APP\"").replace("\"actor\": \"CUSTOMER\",", "");

        assertThatThrownBy(() -> ImportRun.of(noActor, CSV))
                .hasMessageContaining("the contact stream needs actor (required by ContactEvent)");
    }

    @Test
    void badZonesPatternsAndPeriodsFailNamingThem() {
        assertThatThrownBy(() -> MappingFile.parse("{\"mode\": \"per-event\", \"timeZone\": \"Mars/Olympus\"}"))
                .hasMessageStartingWith("timeZone: 'Mars/Olympus' is not a time zone");
        assertThatThrownBy(() -> MappingFile.parse(perEvent("\"channel\": \"APP\"").replace("\"ISO\"", "\"yyyy-MM-dd {\"")))
                .hasMessageStartingWith("fields.occurredAt.format:");
        assertThatThrownBy(() -> MappingFile.parse(perEvent("\"channel\": \"APP\"").replace("\"format\": \"ISO\"", "\"plus\": \"15 days\"")))
                .hasMessageStartingWith("fields.occurredAt.plus: '15 days' is not an ISO-8601 period");
    }

    @Test
    void aTwoLineSkipWithNothingAfterItSaysThereIsNoHeader() {
        ImportMapping m = MappingFile.parse(perEvent("\"channel\": \"APP\"").replace("\"mode\": \"per-event\",",
                "\"mode\": \"per-event\", \"csv\": {\"skipLines\": 2},"));

        assertThatThrownBy(() -> ImportRun.of(m, CsvInput.ofText("junk\njunk\n")))
                .hasMessage("the CSV input has no header line after skipping 2 lines");
    }
}
