package io.casewatch.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.casewatch.replay.Replay;
import io.casewatch.replay.ReplayFixtures;
import io.casewatch.workload.Workload;

/**
 * A generated workload of 50,000 cases over 200 merchants (Zipf-skewed) replayed through the topology; every final
 * merchant window equals a brute-force computation over the generator's own record of each case: the set of cases
 * per figure per window, and the exact quantiles of hours to resolve.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MerchantStatsOracleTest {

    private static final long HOUR = ReplayFixtures.HOUR;
    private static final String[] FIGURES = {"opened", "resolved", "resolvedWithinSla", "resolutionBreached", "firstResponseBreached",
        "reopened", "stallLoops"};

    private Workload workload;
    private final Map<String, JsonNode> finals = new TreeMap<>();
    private final Map<String, Window> expected = new TreeMap<>();
    private Replay.Summary summary;

    /** One window's expected figures: the set of cases per figure, and the hours of each case's first resolution. */
    private static final class Window {
        final List<Set<String>> cases = new ArrayList<>();
        final Map<String, Double> hours = new HashMap<>();

        Window() {
            for (int i = 0; i < FIGURES.length; i++) {
                cases.add(new HashSet<>());
            }
        }
    }

    @BeforeAll
    void replayAndCompute(@TempDir Path dir) throws Exception {
        workload = ReplayFixtures.workload(50_000, 200, 2026);
        Path events = ReplayFixtures.write(workload, dir.resolve("events.jsonl"));
        summary = new Replay(ReplayFixtures.settings()).run(events, dir.resolve("out"),
                ReplayFixtures.START.plus(Duration.ofDays(90 + 120)));
        for (JsonNode s : ReplayFixtures.read(dir.resolve("out").resolve("merchants.stats.v1.jsonl"))) {
            if (s.get("final").asBoolean()) {
                finals.put(key(s.get("merchantId").asText(), s.get("window").asText(), s.get("windowStart").asText()), s);
            }
        }
        for (Workload.CaseStory c : workload.stories()) {
            ZoneId zone = zoneOf(c.merchantId());
            for (Fact f : facts(c)) {
                int day = (int) Instant.ofEpochMilli(f.at).atZone(zone).toLocalDate().toEpochDay();
                add(c, f, key(c.merchantId(), "DAY", start(day, zone)));
                for (int s = day - 29; s <= day; s++) {
                    add(c, f, key(c.merchantId(), "ROLLING_30D", start(s, zone)));
                }
            }
        }
    }

    private record Fact(int figure, long at, Double hours) {
    }

    /** What each case makes known, straight from the generator's record and the 24 h / 360 h policy. */
    private static List<Fact> facts(Workload.CaseStory c) {
        List<Fact> out = new ArrayList<>();
        out.add(new Fact(0, c.openedAt(), null));
        long frDeadline = c.openedAt() + 24 * HOUR;
        if (c.firstReplyAt() > frDeadline && (c.withdrawnAt() == null || c.withdrawnAt() > frDeadline)) {
            out.add(new Fact(4, frDeadline, null));
        }
        long deadline = c.openedAt() + 360 * HOUR;
        boolean breached = false;
        if (c.resolutions().isEmpty()) {
            if (c.withdrawnAt() == null || c.withdrawnAt() > deadline) {
                out.add(new Fact(3, deadline, null));
            }
        }
        for (int i = 0; i < c.resolutions().size(); i++) {
            long r = c.resolutions().get(i)[0];
            out.add(new Fact(1, r, (r - c.openedAt()) / 3_600_000.0));
            if (r <= deadline && !breached) {
                out.add(new Fact(2, r, null));
            } else if (!breached) {
                out.add(new Fact(3, deadline, null));
                breached = true;
            }
            if (i == 0 && c.reopenedAt() != null) {
                out.add(new Fact(5, c.reopenedAt(), null));
                // The resolution clock is paused from resolution to reopening.
                deadline += c.reopenedAt() - r;
            }
        }
        for (long s : c.stallAlertsAt()) {
            out.add(new Fact(6, s, null));
        }
        // Chronic stall: still open at the latest deadline (resolved time not counted) with holding replies only.
        long maximum = c.openedAt() + 360 * HOUR;
        if (!c.stallAlertsAt().isEmpty() && (c.withdrawnAt() == null || c.withdrawnAt() > maximum)) {
            if (c.resolutions().isEmpty() || c.resolutions().get(0)[0] > maximum) {
                out.add(new Fact(6, maximum, null));
            } else if (c.reopenedAt() != null) {
                long shifted = maximum + c.reopenedAt() - c.resolutions().get(0)[0];
                // After the reopening the generator sends a substantive reply three hours later.
                if (shifted < c.reopenedAt() + 3 * HOUR) {
                    out.add(new Fact(6, shifted, null));
                }
            }
        }
        return out;
    }

    private void add(Workload.CaseStory c, Fact f, String key) {
        Window w = expected.computeIfAbsent(key, k -> new Window());
        boolean first = w.cases.get(f.figure).add(c.caseId());
        if (f.hours != null && first) {
            w.hours.put(c.caseId(), f.hours);
        } else if (f.hours != null && f.hours < w.hours.getOrDefault(c.caseId(), Double.MAX_VALUE)) {
            // Counted once per window: the first resolution in it.
            w.hours.put(c.caseId(), f.hours);
        }
    }

    private static ZoneId zoneOf(String merchant) {
        return switch (merchant) {
            case "m-000" -> ZoneId.of("Europe/London");
            case "m-001" -> ZoneId.of("America/New_York");
            default -> ZoneId.of("Asia/Shanghai");
        };
    }

    private static String start(int day, ZoneId zone) {
        return LocalDate.ofEpochDay(day).atStartOfDay(zone).toInstant().toString();
    }

    private static String key(String merchant, String kind, String start) {
        return merchant + "|" + kind + "|" + start;
    }

    @Test
    void theWorkloadIsSkewedLikeRealComplaintData() {
        Map<String, Integer> perMerchant = new HashMap<>();
        workload.stories().forEach(c -> perMerchant.merge(c.merchantId(), 1, Integer::sum));
        List<Integer> sizes = perMerchant.values().stream().sorted((a, b) -> b - a).toList();
        assertThat(perMerchant).hasSizeGreaterThan(150);
        assertThat(sizes.subList(0, 10).stream().mapToInt(Integer::intValue).sum()).isGreaterThan(50_000 / 2);
        assertThat(summary.badLines()).isZero();
    }

    @Test
    void everyFinalWindowCountsEachCaseOncePerFigureAsTheOracleDoes() {
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (Map.Entry<String, Window> e : expected.entrySet()) {
            JsonNode got = finals.get(e.getKey());
            if (got == null) {
                mismatches.add(e.getKey() + ": no final record");
                continue;
            }
            for (int i = 0; i < FIGURES.length; i++) {
                long want = e.getValue().cases.get(i).size();
                if (got.get(FIGURES[i]).asLong() != want) {
                    mismatches.add(e.getKey() + " " + FIGURES[i] + ": got " + got.get(FIGURES[i]).asLong() + ", oracle " + want);
                }
            }
            compared++;
        }
        assertThat(mismatches).as("windows differing from the oracle (of %d)", compared).isEmpty();
        assertThat(finals.keySet()).as("no final window the oracle has no fact for").isSubsetOf(expected.keySet());
        assertThat(compared).isGreaterThan(10_000);
    }

    @Test
    void timelyResolutionRateIsWithinSlaOverWithinPlusBreached() {
        for (JsonNode s : finals.values()) {
            long within = s.get("resolvedWithinSla").asLong();
            long breached = s.get("resolutionBreached").asLong();
            if (within + breached == 0) {
                assertThat(s.get("timelyResolutionRate").isNull()).isTrue();
            } else {
                assertThat(s.get("timelyResolutionRate").asDouble()).isCloseTo((double) within / (within + breached), org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    @Test
    void medianAndP90HoursAreExactUpToTheSketchSizeAndWithinItsRankErrorBeyond() {
        int exact = 0;
        int approximate = 0;
        for (Map.Entry<String, Window> e : expected.entrySet()) {
            JsonNode got = finals.get(e.getKey());
            List<Double> hours = new ArrayList<>(e.getValue().hours.values());
            hours.sort(Double::compare);
            if (hours.isEmpty()) {
                assertThat(got.get("medianHoursToResolve").isNull()).as(e.getKey()).isTrue();
                continue;
            }
            for (double q : new double[] {0.5, 0.9}) {
                double value = got.get(q == 0.5 ? "medianHoursToResolve" : "p90HoursToResolve").asDouble();
                if (hours.size() <= DayAggregate.K) {
                    // KLL keeps every item up to k: its inclusive quantile is the item at rank ceil(q n).
                    double want = hours.get((int) Math.ceil(q * hours.size()) - 1);
                    assertThat(value).as(e.getKey() + " q" + q).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-9));
                    exact++;
                } else {
                    long below = hours.stream().filter(h -> h <= value).count();
                    assertThat((double) below / hours.size()).as(e.getKey() + " rank of q" + q).isCloseTo(q, org.assertj.core.data.Offset.offset(0.03));
                    approximate++;
                }
            }
        }
        assertThat(exact).isGreaterThan(1_000);
        assertThat(approximate).isGreaterThan(10);
    }
}
