package io.casewatch.compliance;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * A complaints return for a period, per merchant and jurisdiction, from compliance records and case statuses:
 * received, closed, closed within 3 business days, closed within the statutory time, upheld share of closed cases
 * with an outcome, and outstanding at the end of the period. Definitions (docs/compliance.md):
 * <ul>
 * <li>received: cases whose receipt falls in the period;</li>
 * <li>closed: cases with a compliance record (RESOLVED, CLOSED or WITHDRAWN) in the period, once each, judged by
 * their last record in the period;</li>
 * <li>upheld: outcome UPHELD, PARTIALLY_UPHELD or REFUNDED (decided in the customer's favour);</li>
 * <li>outstanding: received before the period's end and, by their last status before it, OPEN or
 * AWAITING_CUSTOMER.</li>
 * </ul>
 */
public final class PeriodReport {

    /**
     * RFC 4180 output: a field is quoted only when it holds the separator, a quote or a line break (strict check),
     * so that names like "AA Recovery Solutions, Inc." stay one field for any standard reader.
     */
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    static final Set<String> UPHELD = Set.of("UPHELD", "PARTIALLY_UPHELD", "REFUNDED");
    public static final String HEADER = "merchantId,jurisdiction,received,closed,closedWithin3BusinessDays,closedWithinStatutory,"
            + "upheldShare,outstanding";

    private final long from;
    private final long to;
    private final Map<String, JsonNode> lastRecord = new HashMap<>();
    private final Map<String, JsonNode> lastStatus = new HashMap<>();

    /** The period {@code [from, to)} as local dates in {@code zone}, {@code to} exclusive. */
    public PeriodReport(LocalDate from, LocalDate toExclusive, ZoneId zone) {
        this.from = from.atStartOfDay(zone).toInstant().toEpochMilli();
        this.to = toExclusive.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private static long millis(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Long.MIN_VALUE : Instant.parse(v.asText()).toEpochMilli();
    }

    public void addComplianceRecord(JsonNode r) {
        long at = millis(r, "terminalAt");
        if (at >= from && at < to) {
            JsonNode prev = lastRecord.get(r.get("caseId").asText());
            if (prev == null || millis(prev, "terminalAt") <= at) {
                lastRecord.put(r.get("caseId").asText(), r);
            }
        }
    }

    public void addStatus(JsonNode s) {
        if (millis(s, "updatedAt") < to) {
            JsonNode prev = lastStatus.get(s.get("caseId").asText());
            if (prev == null || millis(prev, "updatedAt") <= millis(s, "updatedAt")) {
                lastStatus.put(s.get("caseId").asText(), s);
            }
        }
    }

    /** Counts of one merchant and jurisdiction. */
    static final class Row {
        long received;
        long closed;
        long within3;
        long withinStatutory;
        long withOutcome;
        long upheld;
        long outstanding;
    }

    /** Merchant and jurisdiction, ordered by merchant then jurisdiction; kept apart so that neither can be split. */
    record Key(String merchantId, String jurisdiction) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = merchantId.compareTo(o.merchantId);
            return c != 0 ? c : jurisdiction.compareTo(o.jurisdiction);
        }
    }

    Map<Key, Row> rows() {
        Map<Key, Row> rows = new TreeMap<>();
        for (JsonNode s : lastStatus.values()) {
            long opened = millis(s, "openedAt");
            if (opened == Long.MIN_VALUE) {
                continue;
            }
            Row row = rows.computeIfAbsent(key(s.get("merchantId").asText(), s.get("jurisdiction")), k -> new Row());
            if (opened >= from && opened < to) {
                row.received++;
            }
            String state = s.get("state").asText();
            if (opened < to && (state.equals("OPEN") || state.equals("AWAITING_CUSTOMER"))) {
                row.outstanding++;
            }
        }
        for (JsonNode r : lastRecord.values()) {
            Row row = rows.computeIfAbsent(key(r.get("merchantId").asText(), r.get("jurisdiction")), k -> new Row());
            row.closed++;
            if (r.get("businessDaysTaken").asInt() <= 3) {
                row.within3++;
            }
            if (r.get("statutoryMet").asBoolean(false)) {
                row.withinStatutory++;
            }
            JsonNode outcome = r.get("outcome");
            if (outcome != null && !outcome.isNull()) {
                row.withOutcome++;
                if (UPHELD.contains(outcome.asText())) {
                    row.upheld++;
                }
            }
        }
        return rows;
    }

    private static Key key(String merchant, JsonNode jurisdiction) {
        return new Key(merchant, jurisdiction == null || jurisdiction.isNull() ? "" : jurisdiction.asText());
    }

    /** The report as RFC 4180 CSV with a header line; {@code out} is flushed, not closed. */
    public void writeCsv(Writer out) throws IOException {
        try (SequenceWriter rows = CSV.writer(CsvSchema.emptySchema().withLineSeparator("\n"))
                .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValues(out)) {
            rows.write(HEADER.split(","));
            for (Map.Entry<Key, Row> e : rows().entrySet()) {
                Row r = e.getValue();
                String share = r.withOutcome == 0 ? "" : String.format(Locale.ROOT, "%.4f", (double) r.upheld / r.withOutcome);
                rows.write(new String[] {e.getKey().merchantId(), e.getKey().jurisdiction(), Long.toString(r.received),
                    Long.toString(r.closed), Long.toString(r.within3), Long.toString(r.withinStatutory), share,
                    Long.toString(r.outstanding)});
            }
        }
        out.flush();
    }
}
