package io.casewatch.replay.imports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PerEventImportTest {

    private static final String MAPPING = """
            {
              "mode": "per-event",
              "timeZone": "Asia/Shanghai",
              "sortByTime": false,
              "stream": { "column": "kind", "map": { "C": "complaint", "M": "contact" } },
              "fields": {
                "eventId": { "derive": "caseIdAndRow" },
                "caseId": { "column": "case", "prefix": "t-" },
                "merchantId": { "column": "shop" },
                "occurredAt": { "column": "when", "format": "yyyy/MM/dd HH:mm" },
                "type": { "column": "what", "map": { "open": "OPENED", "done": "RESOLVED" } },
                "outcome": { "column": "result", "map": { "refund": "REFUNDED" } },
                "category": { "constant": "REFUND" },
                "jurisdiction": "CN",
                "direction": { "column": "from", "map": { "cust": "INBOUND", "agent": "OUTBOUND" } },
                "actor": { "column": "from", "map": { "cust": "CUSTOMER", "agent": "AGENT" } },
                "channel": { "column": "via", "map": { "Web": "APP", "Tel": "PHONE" } },
                "text": { "column": "body" }
              }
            }
            """;

    @Test
    void eachRowBecomesOneEventWithMappedEnumsConstantsAndTheLocalTimeInTheMappingsZone() {
        ImportRun run = ImportRun.of(MAPPING, """
                kind,case,shop,when,what,result,from,via,body
                C,1,acme,2026/01/02 09:30,open,,,Web,
                M,1,acme,2026/01/02 10:00,,,agent,Tel,"您的问题正在处理中，请耐心等待"
                C,1,acme,2026/01/05 18:00,done,refund,,Web,
                """);

        assertThat(run.lines()).containsExactly(
                "{\"stream\":\"complaint\",\"eventId\":\"t-1-1\",\"caseId\":\"t-1\",\"merchantId\":\"acme\","
                        + "\"occurredAt\":\"2026-01-02T09:30:00+08:00\",\"type\":\"OPENED\",\"category\":\"REFUND\","
                        + "\"channel\":\"APP\",\"jurisdiction\":\"CN\"}",
                "{\"stream\":\"contact\",\"eventId\":\"t-1-2\",\"caseId\":\"t-1\",\"occurredAt\":\"2026-01-02T10:00:00+08:00\","
                        + "\"direction\":\"OUTBOUND\",\"actor\":\"AGENT\",\"channel\":\"PHONE\",\"merchantId\":\"acme\","
                        + "\"text\":\"您的问题正在处理中，请耐心等待\"}",
                "{\"stream\":\"complaint\",\"eventId\":\"t-1-3\",\"caseId\":\"t-1\",\"merchantId\":\"acme\","
                        + "\"occurredAt\":\"2026-01-05T18:00:00+08:00\",\"type\":\"RESOLVED\",\"category\":\"REFUND\","
                        + "\"channel\":\"APP\",\"jurisdiction\":\"CN\",\"outcome\":\"REFUNDED\"}");
        assertThat(run.summary().rowsRead()).isEqualTo(3);
        assertThat(run.summary().rowsRejected()).isZero();
        assertThat(run.summary().eventsByStream()).containsEntry("complaint", 2L).containsEntry("contact", 1L);
    }

    @Test
    void rowsThatDoNotMapAreRejectedWithTheirLineColumnAndReasonAndTheRunGoesOn() {
        ImportRun run = ImportRun.of(MAPPING, """
                kind,case,shop,when,what,result,from,via,body
                C,1,acme,2026/01/02 09:30,open,,,Web,
                M,1,acme,2026/01/02 10:00,,,agent,Tel,"a message
                over two lines"
                C,2,,2026/01/02 11:00,open,,,Web,
                C,3,acme,2026-01-02,open,,,Web,
                C,4,acme,2026/01/02 12:00,open,,,Carrier pigeon,
                X,5,acme,2026/01/02 12:00,open,,,Web,
                C,6,acme,2026/01/02 12:00,open,,,Web
                C,7,acme,2026/01/02 13:00,open,,,Web,
                """);

        assertThat(run.rejects()).containsExactly(
                "line 5, column 'shop': missing value: ComplaintEvent.merchantId is required and the value is empty",
                "line 6, column 'when': unparseable date/time: '2026-01-02' does not read as yyyy/MM/dd HH:mm",
                "line 7, column 'via': unknown value: 'Carrier pigeon' has no entry in fields.channel.map and there is no unmapped value",
                "line 8, column 'kind': unknown value: 'X' has no entry in stream.map and there is no unmapped value",
                "line 9: wrong number of fields: the row has 8 fields, the header 9");
        assertThat(run.summary().rowsRead()).isEqualTo(8);
        assertThat(run.summary().rowsRejected()).isEqualTo(5);
        assertThat(run.summary().eventsWritten()).isEqualTo(3);
        assertThat(run.summary().rejectsByReason()).containsOnlyKeys(
                "missing value, column 'shop'", "unparseable date/time, column 'when'", "unknown value, column 'via'",
                "unknown value, column 'kind'", "wrong number of fields");
        assertThat(run.summary().render()).contains("rows read:      8", "rows rejected:  5", "events written: 3");
    }

    @Test
    void aMappedValueThatIsNotASymbolOfTheSchemasEnumIsRejected() {
        String mapping = MAPPING.replace("\"Tel\": \"PHONE\"", "\"Tel\": \"TELEPHONE\"");
        ImportRun run = ImportRun.of(mapping, """
                kind,case,shop,when,what,result,from,via,body
                M,1,acme,2026/01/02 10:00,,,agent,Tel,hello
                """);

        assertThat(run.lines()).isEmpty();
        assertThat(run.rejects()).singleElement().asString()
                .startsWith("line 2, column 'via': unknown value: 'TELEPHONE' is not a Channel (CHAT, PHONE");
    }

    @Test
    void theSameInputGivesByteIdenticalOutput() {
        String csv = """
                kind,case,shop,when,what,result,from,via,body
                C,2,acme,2026/01/03 09:30,open,,,Web,
                C,1,acme,2026/01/02 09:30,open,,,Web,
                M,1,acme,2026/01/02 10:00,,,agent,Tel,hi
                """;
        String sorted = MAPPING.replace("\"sortByTime\": false", "\"sortByTime\": true");

        assertThat(ImportRun.of(sorted, csv).output()).isEqualTo(ImportRun.of(sorted, csv).output());
        assertThat(ImportRun.of(sorted, csv).lines()).extracting(l -> l.substring(0, l.indexOf(",\"caseId")))
                .containsExactly("{\"stream\":\"complaint\",\"eventId\":\"t-1-2\"", "{\"stream\":\"contact\",\"eventId\":\"t-1-3\"",
                        "{\"stream\":\"complaint\",\"eventId\":\"t-2-1\"");
    }

    @Test
    void timesWithAnOffsetKeepItAndUtcIsWrittenAsZ() {
        ImportRun run = ImportRun.of("""
                {"mode": "per-event", "stream": "contact",
                 "fields": {"eventId": {"column": "id"}, "caseId": {"column": "id"},
                   "occurredAt": {"column": "at", "format": "EEE MMM dd HH:mm:ss Z yyyy"},
                   "direction": "INBOUND", "actor": "CUSTOMER", "channel": "SOCIAL"}}
                """, """
                id,at
                a,Tue Oct 31 22:10:47 +0000 2017
                b,Tue Oct 31 22:10:47 +0530 2017
                """);

        assertThat(run.lines()).extracting(l -> l.replaceAll(".*\"occurredAt\":\"([^\"]+)\".*", "$1"))
                .containsExactly("2017-10-31T22:10:47+05:30", "2017-10-31T22:10:47Z"); // the +05:30 one is earlier
    }
}
