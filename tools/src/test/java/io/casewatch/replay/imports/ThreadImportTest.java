package io.casewatch.replay.imports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadImportTest {

    private static final String MAPPING = """
            {
              "mode": "per-event",
              "stream": "contact",
              "fields": {
                "eventId": { "column": "tweet_id", "prefix": "tw-" },
                "caseId": { "threadRoot": { "id": "tweet_id", "parent": "in_response_to_tweet_id" }, "prefix": "tw-" },
                "occurredAt": { "column": "created_at", "format": "EEE MMM dd HH:mm:ss Z yyyy" },
                "direction": { "column": "inbound", "map": { "True": "INBOUND", "False": "OUTBOUND" } },
                "actor": { "column": "inbound", "map": { "True": "CUSTOMER", "False": "AGENT" } },
                "channel": "SOCIAL",
                "merchantId": { "column": "author_id", "when": { "column": "inbound", "equals": "False" } },
                "text": { "column": "text" }
              },
              "openCases": { "fields": { "category": "SERVICE", "channel": "SOCIAL" }, "merchantIdFallback": "unknown" }
            }
            """;

    // Replies come before the messages they answer, parents are written as floats, and one text holds a bare CR.
    private static final String CSV = ",tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
            + "0,1,acme,False,Tue Oct 31 22:10:47 +0000 2017,@9 sorry to hear that,2,3.0\n"
            + "1,2,9,True,Tue Oct 31 22:11:45 +0000 2017,@acme still\rbroken,,1.0\n"
            + "2,3,9,True,Tue Oct 31 22:08:27 +0000 2017,@acme my card was charged twice,1,\n"
            + "3,7,8,True,Tue Oct 31 23:00:00 +0000 2017,@acme hello?,,6.0\n";

    @Test
    void repliesShareTheCaseOfTheirThreadRootAndEachThreadIsOpenedBeforeItsFirstMessage() {
        ImportRun run = ImportRun.of(MAPPING, CSV);

        assertThat(run.rejects()).isEmpty();
        assertThat(run.summary().rowsRead()).isEqualTo(4);
        assertThat(run.lines()).extracting(l -> l.replaceAll(".*\"eventId\":\"([^\"]+)\",\"caseId\":\"([^\"]+)\".*", "$1 $2"))
                .containsExactly("tw-3:opened tw-3", "tw-3 tw-3", "tw-1 tw-3", "tw-2 tw-3", "tw-6:opened tw-6", "tw-7 tw-6");
        assertThat(run.lines().get(0)).isEqualTo("{\"stream\":\"complaint\",\"eventId\":\"tw-3:opened\",\"caseId\":\"tw-3\","
                + "\"merchantId\":\"acme\",\"occurredAt\":\"2017-10-31T22:08:27Z\",\"type\":\"OPENED\",\"category\":\"SERVICE\",\"channel\":\"SOCIAL\"}");
        assertThat(run.lines().get(4)).contains("\"merchantId\":\"unknown\"");
        assertThat(run.summary().casesOpened()).isEqualTo(2);
    }

    @Test
    void aBareCarriageReturnInsideAnUnquotedFieldIsASpaceNotANewRecord() {
        ImportRun run = ImportRun.of(MAPPING, CSV);

        assertThat(run.lines()).filteredOn(l -> l.contains("\"eventId\":\"tw-2\"")).singleElement().asString()
                .contains("\"text\":\"@acme still broken\"");
    }

    @Test
    void onlyOutboundMessagesNameTheMerchant() {
        ImportRun run = ImportRun.of(MAPPING, CSV);

        assertThat(run.lines()).filteredOn(l -> l.startsWith("{\"stream\":\"contact\"") && l.contains("\"merchantId\""))
                .singleElement().asString().contains("\"eventId\":\"tw-1\"");
    }
}
