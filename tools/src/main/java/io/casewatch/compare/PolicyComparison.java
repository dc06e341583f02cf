package io.casewatch.compare;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.casewatch.compare.RunOutcome.CaseOutcome;
import io.casewatch.compare.RunOutcome.RaisedAlert;
import io.casewatch.compare.RunOutcome.Resolution;

/**
 * The difference between two runs over the same history (A: the current policies, B: the proposed ones), per
 * merchant, policy pair and alert kind. An alert is the same in both runs when its id is (ids are a function of
 * case, kind, episode and level, not of the policy), so "gained" are alerts only B raises and "lost" those only A
 * raises. A case belongs to the policy it was under at the end of each run; its row is the pair.
 */
public final class PolicyComparison {

    /** The kinds that are breaches of a deadline (the timely-resolution rate has its own columns). */
    static final Set<String> BREACHES = Set.of("FIRST_RESPONSE_BREACH", "RESOLUTION_BREACH", "STATUTORY_BREACH");

    /** Merchant and the case's policy under A and under B. */
    public record Group(String merchantId, String policyA, String policyB) implements Comparable<Group> {
        @Override
        public int compareTo(Group o) {
            int c = merchantId.compareTo(o.merchantId);
            if (c == 0) {
                c = policyA.compareTo(o.policyA);
            }
            return c != 0 ? c : policyB.compareTo(o.policyB);
        }
    }

    /** Alerts of one kind in one group. */
    public record KindRow(Group group, String kind, long alertsA, long alertsB, long gained, long lost, long casesA, long casesB) {
    }

    /** One group's totals: breaches and the timely-resolution rate under each policy set. */
    public record GroupRow(Group group, long cases, long alertsA, long alertsB, long breachesA, long breachesB, long breachesGained,
            long breachesLost, long timelyA, long breachedA, long timelyB, long breachedB, long casesChanged) {
        /** resolved within SLA / (within SLA + breached), or null when neither. */
        public Double rateA() {
            return rate(timelyA, breachedA);
        }

        public Double rateB() {
            return rate(timelyB, breachedB);
        }
    }

    /** A case whose outcome differs: alert kinds raised, highest level or resolution verdict. Ids only. */
    public record ChangedCase(String caseId, Group group, Set<String> kindsGained, Set<String> kindsLost, String highestLevelA,
            String highestLevelB, Resolution resolutionA, Resolution resolutionB) {
    }

    private final List<KindRow> kinds = new ArrayList<>();
    private final List<GroupRow> groups = new ArrayList<>();
    private final List<ChangedCase> changed = new ArrayList<>();

    public PolicyComparison(RunOutcome a, RunOutcome b) {
        Set<String> caseIds = new TreeSet<>(a.cases().keySet());
        caseIds.addAll(b.cases().keySet());
        Map<Group, Map<String, long[]>> byKind = new TreeMap<>();
        Map<Group, long[]> byGroup = new TreeMap<>();
        CaseOutcome none = new CaseOutcome();
        for (String id : caseIds) {
            CaseOutcome ca = a.cases().getOrDefault(id, none);
            CaseOutcome cb = b.cases().getOrDefault(id, none);
            Group g = new Group(ca.merchantId().isEmpty() ? cb.merchantId() : ca.merchantId(), ca.policyId(), cb.policyId());
            Map<String, long[]> kindCounts = byKind.computeIfAbsent(g, k -> new TreeMap<>());
            // [0] cases, [1] alertsA, [2] alertsB, [3] breachesA, [4] breachesB, [5] gained, [6] lost,
            // [7] timelyA, [8] breachedA, [9] timelyB, [10] breachedB, [11] changed
            long[] t = byGroup.computeIfAbsent(g, k -> new long[12]);
            t[0]++;
            Set<String> kindsA = new HashSet<>();
            Set<String> kindsB = new HashSet<>();
            for (RaisedAlert r : ca.alerts().values()) {
                long[] k = kindCounts.computeIfAbsent(r.kind(), x -> new long[6]);
                k[0]++;
                if (kindsA.add(r.kind())) {
                    k[4]++;
                }
                if (!cb.alerts().containsKey(r.alertId())) {
                    k[3]++;
                    if (BREACHES.contains(r.kind())) {
                        t[6]++;
                    }
                }
                t[1]++;
                if (BREACHES.contains(r.kind())) {
                    t[3]++;
                }
            }
            for (RaisedAlert r : cb.alerts().values()) {
                long[] k = kindCounts.computeIfAbsent(r.kind(), x -> new long[6]);
                k[1]++;
                if (kindsB.add(r.kind())) {
                    k[5]++;
                }
                if (!ca.alerts().containsKey(r.alertId())) {
                    k[2]++;
                    if (BREACHES.contains(r.kind())) {
                        t[5]++;
                    }
                }
                t[2]++;
                if (BREACHES.contains(r.kind())) {
                    t[4]++;
                }
            }
            count(ca.resolution(), t, 7);
            count(cb.resolution(), t, 9);
            Set<String> gained = new TreeSet<>(kindsB);
            gained.removeAll(kindsA);
            Set<String> lost = new TreeSet<>(kindsA);
            lost.removeAll(kindsB);
            String topA = highest(ca);
            String topB = highest(cb);
            if (!gained.isEmpty() || !lost.isEmpty() || !topA.equals(topB) || ca.resolution() != cb.resolution()) {
                t[11]++;
                changed.add(new ChangedCase(id, g, gained, lost, topA, topB, ca.resolution(), cb.resolution()));
            }
        }
        byKind.forEach((g, m) -> m.forEach((kind, k) -> kinds.add(new KindRow(g, kind, k[0], k[1], k[2], k[3], k[4], k[5]))));
        byGroup.forEach((g, t) -> groups.add(new GroupRow(g, t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11])));
    }

    private static void count(Resolution r, long[] t, int at) {
        if (r == Resolution.MET) {
            t[at]++;
        } else if (r == Resolution.BREACHED) {
            t[at + 1]++;
        }
    }

    private static String highest(CaseOutcome c) {
        String top = "";
        for (RaisedAlert r : c.alerts().values()) {
            if (r.level().compareTo(top) > 0) {
                top = r.level();
            }
        }
        return top;
    }

    static Double rate(long timely, long breached) {
        return timely + breached == 0 ? null : (double) timely / (timely + breached);
    }

    /** Rows per group and kind, ordered by group then kind. */
    public List<KindRow> kinds() {
        return kinds;
    }

    /** Rows per group, ordered. */
    public List<GroupRow> groups() {
        return groups;
    }

    /** Cases whose outcome changes, ordered by case id. */
    public List<ChangedCase> changed() {
        return changed;
    }
}
