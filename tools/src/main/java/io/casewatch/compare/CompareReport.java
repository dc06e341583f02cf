package io.casewatch.compare;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.casewatch.compare.PolicyComparison.ChangedCase;
import io.casewatch.compare.PolicyComparison.GroupRow;
import io.casewatch.compare.PolicyComparison.KindRow;

/**
 * Writes a {@link PolicyComparison} as three RFC 4180 CSV files and one self-contained HTML page (inline CSS and
 * SVG, no script, no network), byte-identical for the same comparison.
 */
public final class CompareReport {

    public static final String KINDS_CSV = "compare-alerts.csv";
    public static final String GROUPS_CSV = "compare-merchants.csv";
    public static final String CASES_CSV = "compare-cases.csv";
    public static final String HTML = "compare.html";

    static final String[] KINDS_HEADER = {"merchantId", "policyA", "policyB", "kind", "alertsA", "alertsB", "gained", "lost", "casesA", "casesB"};
    static final String[] GROUPS_HEADER = {"merchantId", "policyA", "policyB", "cases", "alertsA", "alertsB", "breachesA", "breachesB",
        "breachesGained", "breachesLost", "resolvedWithinSlaA", "resolutionBreachedA", "timelyResolutionRateA", "resolvedWithinSlaB",
        "resolutionBreachedB", "timelyResolutionRateB", "casesChanged"};
    static final String[] CASES_HEADER = {"caseId", "merchantId", "policyA", "policyB", "kindsGained", "kindsLost", "highestLevelA",
        "highestLevelB", "resolutionA", "resolutionB"};

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    /** Merchants drawn in the rate chart: the ones with the most cases whose rate can be computed. */
    static final int CHART_MERCHANTS = 25;
    /** Changed cases listed on the page; the CSV has them all. */
    static final int PAGE_CASES = 200;

    private CompareReport() {
    }

    /** Writes the four files into {@code dir}; {@code title} names the two policy sets (file names, no paths). */
    public static void write(PolicyComparison c, Path dir, String nameA, String nameB) throws IOException {
        Files.createDirectories(dir);
        List<String[]> kinds = new ArrayList<>();
        for (KindRow r : c.kinds()) {
            kinds.add(new String[] {r.group().merchantId(), r.group().policyA(), r.group().policyB(), r.kind(), n(r.alertsA()), n(r.alertsB()),
                n(r.gained()), n(r.lost()), n(r.casesA()), n(r.casesB())});
        }
        csv(dir.resolve(KINDS_CSV), KINDS_HEADER, kinds);
        List<String[]> groups = new ArrayList<>();
        for (GroupRow r : c.groups()) {
            groups.add(new String[] {r.group().merchantId(), r.group().policyA(), r.group().policyB(), n(r.cases()), n(r.alertsA()),
                n(r.alertsB()), n(r.breachesA()), n(r.breachesB()), n(r.breachesGained()), n(r.breachesLost()), n(r.timelyA()),
                n(r.breachedA()), share(r.rateA()), n(r.timelyB()), n(r.breachedB()), share(r.rateB()), n(r.casesChanged())});
        }
        csv(dir.resolve(GROUPS_CSV), GROUPS_HEADER, groups);
        List<String[]> cases = new ArrayList<>();
        for (ChangedCase r : c.changed()) {
            cases.add(new String[] {r.caseId(), r.group().merchantId(), r.group().policyA(), r.group().policyB(), String.join(" ", r.kindsGained()),
                String.join(" ", r.kindsLost()), r.highestLevelA(), r.highestLevelB(), r.resolutionA().name(), r.resolutionB().name()});
        }
        csv(dir.resolve(CASES_CSV), CASES_HEADER, cases);
        Files.writeString(dir.resolve(HTML), html(c, nameA, nameB), StandardCharsets.UTF_8);
    }

    private static void csv(Path file, String[] header, List<String[]> rows) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                SequenceWriter out = CSV.writer(CsvSchema.emptySchema().withLineSeparator("\n")).without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                        .writeValues(w)) {
            out.write(header);
            for (String[] r : rows) {
                out.write(r);
            }
        }
    }

    static String n(long v) {
        return Long.toString(v);
    }

    static String share(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    // ------------------------------------------------------------------ the page

    /** Totals per kind over every group: [alertsA, alertsB, gained, lost]. */
    static Map<String, long[]> totalsByKind(PolicyComparison c) {
        Map<String, long[]> out = new TreeMap<>();
        for (KindRow r : c.kinds()) {
            long[] t = out.computeIfAbsent(r.kind(), k -> new long[4]);
            t[0] += r.alertsA();
            t[1] += r.alertsB();
            t[2] += r.gained();
            t[3] += r.lost();
        }
        return out;
    }

    static String html(PolicyComparison c, String nameA, String nameB) {
        StringBuilder h = new StringBuilder(1 << 16);
        long cases = 0;
        long alertsA = 0;
        long alertsB = 0;
        long breachesA = 0;
        long breachesB = 0;
        long timelyA = 0;
        long breachedA = 0;
        long timelyB = 0;
        long breachedB = 0;
        for (GroupRow r : c.groups()) {
            cases += r.cases();
            alertsA += r.alertsA();
            alertsB += r.alertsB();
            breachesA += r.breachesA();
            breachesB += r.breachesB();
            timelyA += r.timelyA();
            breachedA += r.breachedA();
            timelyB += r.timelyB();
            breachedB += r.breachedB();
        }
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>casewatch compare: ").append(esc(nameA))
                .append(" vs ").append(esc(nameB)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}")
                .append("th{background:#f3f3f3}td.t{text-align:left}.a{fill:#4a78b5}.b{fill:#e08a2c}.g{fill:#c0392b}.l{fill:#27ae60}")
                .append("svg text{font-size:12px}.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}")
                .append("\n</style></head><body>\n");
        h.append("<h1>What-if comparison of policies</h1>\n<p>Same history replayed under <b>A</b> = ").append(esc(nameA))
                .append(" and <b>B</b> = ").append(esc(nameB)).append(". Case ids and figures only; no message text.</p>\n");
        h.append("<table><tr><th></th><th>A</th><th>B</th><th>B − A</th></tr>\n");
        row(h, "cases", cases, cases);
        row(h, "alerts raised", alertsA, alertsB);
        row(h, "deadline breaches", breachesA, breachesB);
        h.append("<tr><td class=\"t\">timely-resolution rate</td><td>").append(pct(PolicyComparison.rate(timelyA, breachedA))).append("</td><td>")
                .append(pct(PolicyComparison.rate(timelyB, breachedB))).append("</td><td></td></tr>\n");
        h.append("<tr><td class=\"t\">cases whose outcome changes</td><td colspan=\"3\">").append(c.changed().size()).append("</td></tr>\n</table>\n");

        Map<String, long[]> byKind = totalsByKind(c);
        h.append("<h2>Alerts per kind</h2>\n<div class=\"key\"><span class=\"a\" style=\"background:#4a78b5\"></span>A")
                .append("<span style=\"background:#e08a2c\"></span>B<span style=\"background:#c0392b\"></span>gained by B")
                .append("<span style=\"background:#27ae60\"></span>lost by B</div>\n");
        h.append(kindChart(byKind));
        h.append("<h2>Timely-resolution rate per merchant</h2>\n<p>The ").append(CHART_MERCHANTS)
                .append(" merchants with the most cases that have a resolution verdict under A or B.</p>\n");
        h.append(rateChart(c));
        h.append("<h2>Per merchant and policy</h2>\n<table><tr>");
        for (String col : GROUPS_HEADER) {
            h.append("<th>").append(esc(col)).append("</th>");
        }
        h.append("</tr>\n");
        for (GroupRow r : c.groups()) {
            h.append("<tr><td class=\"t\">").append(esc(r.group().merchantId())).append("</td><td class=\"t\">").append(esc(r.group().policyA()))
                    .append("</td><td class=\"t\">").append(esc(r.group().policyB())).append("</td>");
            for (long v : new long[] {r.cases(), r.alertsA(), r.alertsB(), r.breachesA(), r.breachesB(), r.breachesGained(), r.breachesLost(),
                r.timelyA(), r.breachedA()}) {
                h.append("<td>").append(v).append("</td>");
            }
            h.append("<td>").append(pct(r.rateA())).append("</td><td>").append(r.timelyB()).append("</td><td>").append(r.breachedB())
                    .append("</td><td>").append(pct(r.rateB())).append("</td><td>").append(r.casesChanged()).append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Cases whose outcome changes</h2>\n<p>").append(c.changed().size()).append(" cases");
        if (c.changed().size() > PAGE_CASES) {
            h.append("; the first ").append(PAGE_CASES).append(" by case id are listed, all are in ").append(CASES_CSV);
        }
        h.append(".</p>\n<table><tr>");
        for (String col : CASES_HEADER) {
            h.append("<th>").append(esc(col)).append("</th>");
        }
        h.append("</tr>\n");
        for (ChangedCase r : c.changed().subList(0, Math.min(PAGE_CASES, c.changed().size()))) {
            h.append("<tr>");
            for (String v : new String[] {r.caseId(), r.group().merchantId(), r.group().policyA(), r.group().policyB(), String.join(" ", r.kindsGained()),
                String.join(" ", r.kindsLost()), r.highestLevelA(), r.highestLevelB(), r.resolutionA().name(), r.resolutionB().name()}) {
                h.append("<td class=\"t\">").append(esc(v)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, String what, long a, long b) {
        h.append("<tr><td class=\"t\">").append(what).append("</td><td>").append(a).append("</td><td>").append(b).append("</td><td>")
                .append(b - a > 0 ? "+" : "").append(b - a).append("</td></tr>\n");
    }

    /** Grouped horizontal bars per kind: A, B, gained, lost; one scale for all. */
    static String kindChart(Map<String, long[]> byKind) {
        long max = 1;
        for (long[] t : byKind.values()) {
            for (long v : t) {
                max = Math.max(max, v);
            }
        }
        int label = 190;
        int width = 560;
        int band = 4 * 11 + 10;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(label + width + 80).append("\" height=\"")
                .append(byKind.size() * band + 10).append("\" role=\"img\" aria-label=\"alerts per kind\">\n");
        int y = 5;
        String[] cls = {"a", "b", "g", "l"};
        for (Map.Entry<String, long[]> e : byKind.entrySet()) {
            s.append("<text x=\"0\" y=\"").append(y + 24).append("\">").append(esc(e.getKey())).append("</text>\n");
            for (int i = 0; i < 4; i++) {
                long v = e.getValue()[i];
                long w = Math.round((double) v * width / max);
                s.append("<rect class=\"").append(cls[i]).append("\" x=\"").append(label).append("\" y=\"").append(y + i * 11)
                        .append("\" width=\"").append(w).append("\" height=\"10\"/><text x=\"").append(label + w + 4).append("\" y=\"")
                        .append(y + i * 11 + 9).append("\">").append(v).append("</text>\n");
            }
            y += band;
        }
        return s.append("</svg>\n").toString();
    }

    /** Paired bars of the rate under A and B for the merchants with the most judged cases. */
    static String rateChart(PolicyComparison c) {
        Map<String, long[]> byMerchant = new TreeMap<>();
        for (GroupRow r : c.groups()) {
            long[] t = byMerchant.computeIfAbsent(r.group().merchantId(), k -> new long[4]);
            t[0] += r.timelyA();
            t[1] += r.breachedA();
            t[2] += r.timelyB();
            t[3] += r.breachedB();
        }
        List<Map.Entry<String, long[]>> top = new ArrayList<>(byMerchant.entrySet());
        top.removeIf(e -> e.getValue()[0] + e.getValue()[1] + e.getValue()[2] + e.getValue()[3] == 0);
        top.sort((x, y) -> {
            long nx = Math.max(x.getValue()[0] + x.getValue()[1], x.getValue()[2] + x.getValue()[3]);
            long ny = Math.max(y.getValue()[0] + y.getValue()[1], y.getValue()[2] + y.getValue()[3]);
            return nx != ny ? Long.compare(ny, nx) : x.getKey().compareTo(y.getKey());
        });
        top = top.subList(0, Math.min(CHART_MERCHANTS, top.size()));
        int label = 260;
        int width = 400;
        int band = 26;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(label + width + 70).append("\" height=\"")
                .append(top.size() * band + 10).append("\" role=\"img\" aria-label=\"timely-resolution rate per merchant\">\n");
        int y = 5;
        for (Map.Entry<String, long[]> e : top) {
            String name = e.getKey().length() > 34 ? e.getKey().substring(0, 33) + "…" : e.getKey();
            s.append("<text x=\"0\" y=\"").append(y + 14).append("\">").append(esc(name)).append("</text>\n");
            Double[] rates = {PolicyComparison.rate(e.getValue()[0], e.getValue()[1]), PolicyComparison.rate(e.getValue()[2], e.getValue()[3])};
            for (int i = 0; i < 2; i++) {
                long w = rates[i] == null ? 0 : Math.round(rates[i] * width);
                s.append("<rect class=\"").append(i == 0 ? "a" : "b").append("\" x=\"").append(label).append("\" y=\"").append(y + i * 11)
                        .append("\" width=\"").append(w).append("\" height=\"10\"/><text x=\"").append(label + w + 4).append("\" y=\"")
                        .append(y + i * 11 + 9).append("\">").append(pct(rates[i])).append("</text>\n");
            }
            y += band;
        }
        return s.append("</svg>\n").toString();
    }

    static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    /** HTML text: merchant names are company names and may hold {@code &}, {@code <} or quotes. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
