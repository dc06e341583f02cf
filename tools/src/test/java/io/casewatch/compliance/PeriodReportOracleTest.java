package io.casewatch.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.casewatch.replay.Replay;
import io.casewatch.replay.ReplayFixtures;
import io.casewatch.sla.BusinessCalendar;
import io.casewatch.sla.Calendars;
import io.casewatch.workload.Workload;

/** The period report of a generated quarter equals one computed straight from the generator's record of each case. */
class PeriodReportOracleTest {

    private static final long HOUR = ReplayFixtures.HOUR;
    private static final LocalDate Q1 = LocalDate.of(2026, 1, 1);
    private static final LocalDate Q2 = LocalDate.of(2026, 4, 1);

    @Test
    void quarterReportMatchesTheOracle(@TempDir Path dir) throws Exception {
        Workload w = ReplayFixtures.workload(10_000, 60, 77);
        Path events = ReplayFixtures.write(w, dir.resolve("events.jsonl"));
        new Replay(ReplayFixtures.settings()).run(events, dir.resolve("out"), ReplayFixtures.START.plus(Duration.ofDays(200)));
        PeriodReport report = new PeriodReport(Q1, Q2, ZoneOffset.UTC);
        ReplayFixtures.read(dir.resolve("out").resolve("compliance.cases.v1.jsonl")).forEach(report::addComplianceRecord);
        ReplayFixtures.read(dir.resolve("out").resolve("cases.status.v1.jsonl")).forEach(report::addStatus);
        StringWriter csv = new StringWriter();
        report.writeCsv(csv);

        assertThat(csv.toString()).isEqualTo(oracle(w));
        assertThat(csv.toString().lines().count()).isGreaterThan(100);
    }

    private record Terminal(long at, boolean statutoryMet, String outcome) {
    }

    private static String oracle(Workload w) {
        long from = Q1.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = Q2.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        BusinessCalendar utc = Calendars.presets().get("UTC");
        Map<String, long[]> rows = new TreeMap<>();
        for (Workload.CaseStory c : w.stories()) {
            long[] row = rows.computeIfAbsent(c.merchantId() + "," + c.jurisdiction(), k -> new long[7]);
            if (c.openedAt() >= from && c.openedAt() < to) {
                row[0]++;
            }
            List<Terminal> terminals = new ArrayList<>();
            long deadline = c.openedAt() + 360 * HOUR;
            for (int i = 0; i < c.resolutions().size(); i++) {
                long r = c.resolutions().get(i)[0];
                terminals.add(new Terminal(r, r <= deadline, c.outcome().name()));
                if (i == 0 && c.closedAt() != null) {
                    terminals.add(new Terminal(c.closedAt(), r <= deadline, c.outcome().name()));
                }
                if (i == 0 && c.reopenedAt() != null) {
                    deadline += c.reopenedAt() - r;
                }
            }
            if (c.withdrawnAt() != null) {
                terminals.add(new Terminal(c.withdrawnAt(), c.withdrawnAt() <= deadline, null));
            }
            Terminal last = null;
            for (Terminal t : terminals) {
                if (t.at() >= from && t.at() < to) {
                    last = t;
                }
            }
            if (last != null) {
                row[1]++;
                if (businessDays(utc, c.openedAt(), last.at()) <= 3) {
                    row[2]++;
                }
                if (last.statutoryMet()) {
                    row[3]++;
                }
                if (last.outcome() != null) {
                    row[4]++;
                    if (PeriodReport.UPHELD.contains(last.outcome())) {
                        row[5]++;
                    }
                }
            }
            if (c.openedAt() < to && !terminalAt(c, terminals, to)) {
                row[6]++;
            }
        }
        StringBuilder out = new StringBuilder(PeriodReport.HEADER).append('\n');
        rows.forEach((k, r) -> out.append(k).append(',').append(r[0]).append(',').append(r[1]).append(',').append(r[2]).append(',')
                .append(r[3]).append(',').append(r[4] == 0 ? "" : String.format(Locale.ROOT, "%.4f", (double) r[5] / r[4]))
                .append(',').append(r[6]).append('\n'));
        return out.toString();
    }

    /** Whether the case was resolved, closed or withdrawn at {@code to}: its last such event came after any reopening. */
    private static boolean terminalAt(Workload.CaseStory c, List<Terminal> terminals, long to) {
        long lastTerminal = Long.MIN_VALUE;
        for (Terminal t : terminals) {
            if (t.at() < to) {
                lastTerminal = Math.max(lastTerminal, t.at());
            }
        }
        return lastTerminal != Long.MIN_VALUE && (c.reopenedAt() == null || c.reopenedAt() >= to || lastTerminal > c.reopenedAt());
    }

    private static int businessDays(BusinessCalendar cal, long from, long to) {
        LocalDate a = Instant.ofEpochMilli(from).atZone(cal.zone()).toLocalDate();
        LocalDate b = Instant.ofEpochMilli(to).atZone(cal.zone()).toLocalDate();
        int n = 0;
        for (LocalDate d = a.plusDays(1); !d.isAfter(b); d = d.plusDays(1)) {
            if (cal.isBusinessDay(d)) {
                n++;
            }
        }
        return n;
    }
}
