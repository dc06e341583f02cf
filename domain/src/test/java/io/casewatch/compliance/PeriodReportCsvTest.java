package io.casewatch.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/** The period report is CSV a standard reader parses back into the same fields, whatever the merchant names hold. */
class PeriodReportCsvTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMA = "AA Recovery Solutions, Inc.";
    private static final String QUOTES = "The \"Best\" Bank";
    private static final String BREAK = "Line\r\nBreak Lending\nLLC";

    @Test
    void merchantNamesWithCommasQuotesAndLineBreaksReadBackAsOneFieldEach() throws Exception {
        PeriodReport report = new PeriodReport(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1), ZoneOffset.UTC);
        int n = 0;
        for (String merchant : List.of(COMMA, QUOTES, BREAK)) {
            String caseId = "c" + n++;
            report.addStatus(status(caseId, merchant, "RESOLVED"));
            report.addComplianceRecord(record(caseId, merchant, "UPHELD"));
        }
        report.addStatus(status("open", COMMA, "OPEN"));
        StringWriter out = new StringWriter();
        report.writeCsv(out);

        List<List<String>> rows = readCsv(out.toString());

        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).containsExactly(PeriodReport.HEADER.split(","));
        assertThat(rows).allSatisfy(r -> assertThat(r).hasSize(8));
        // merchant order by Java String order: 'A' < 'L' < 'T'
        assertThat(rows.get(1)).containsExactly(COMMA, "US", "2", "1", "1", "1", "1.0000", "1");
        assertThat(rows.get(2)).containsExactly(BREAK, "US", "1", "1", "1", "1", "1.0000", "0");
        assertThat(rows.get(3)).containsExactly(QUOTES, "US", "1", "1", "1", "1", "1.0000", "0");
    }

    @Test
    void plainNamesAreWrittenWithoutQuotes() throws Exception {
        PeriodReport report = new PeriodReport(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1), ZoneOffset.UTC);
        report.addStatus(status("c1", "Acme Bank", "OPEN"));
        StringWriter out = new StringWriter();
        report.writeCsv(out);

        assertThat(out.toString()).isEqualTo(PeriodReport.HEADER + "\nAcme Bank,US,1,0,0,0,,1\n");
    }

    private static List<List<String>> readCsv(String text) throws Exception {
        CsvMapper csv = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (MappingIterator<List<String>> it = csv.readerForListOf(String.class).readValues(text)) {
            return it.readAll();
        }
    }

    private static ObjectNode status(String caseId, String merchant, String state) {
        return JSON.createObjectNode().put("caseId", caseId).put("merchantId", merchant).put("jurisdiction", "US")
                .put("state", state).put("openedAt", "2026-01-05T10:00:00Z").put("updatedAt", "2026-01-07T10:00:00Z");
    }

    private static ObjectNode record(String caseId, String merchant, String outcome) {
        return JSON.createObjectNode().put("caseId", caseId).put("merchantId", merchant).put("jurisdiction", "US")
                .put("terminalAt", "2026-01-07T10:00:00Z").put("businessDaysTaken", 2).put("statutoryMet", true)
                .put("outcome", outcome);
    }
}
