package io.casewatch.policy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import io.casewatch.schema.Category;
import io.casewatch.sla.BusinessCalendar;
import io.casewatch.sla.Calendars;

/**
 * All policies in force, possibly in several versions per id (each with its effective time), the calendars they
 * use, and the merchant tiers they match on. Selection is by the most specific match among the versions in effect
 * at the given instant; {@code DEFAULT} catches the rest.
 */
public final class PolicySet {

    private final List<Policy> policies;
    /** The versions in effect from each effective instant on, so a lookup allocates nothing. */
    private final TreeMap<Long, Map<String, Policy>> epochs = new TreeMap<>();
    private final Map<String, String> merchantTiers;
    private final Calendars calendars;
    private final List<Long> changeTimes;
    private final Map<String, ZoneId> merchantZones;
    private final ZoneId defaultMerchantZone;

    public PolicySet(List<Policy> policies, Map<String, String> merchantTiers, Calendars calendars) {
        this(policies, merchantTiers, calendars, Map.of(), ZoneOffset.UTC);
    }

    /**
     * @param merchantZones       the time zone of each merchant's statistics windows (SPEC section 6)
     * @param defaultMerchantZone the zone of merchants not listed
     */
    public PolicySet(List<Policy> policies, Map<String, String> merchantTiers, Calendars calendars,
            Map<String, ZoneId> merchantZones, ZoneId defaultMerchantZone) {
        this.merchantZones = Map.copyOf(merchantZones);
        this.defaultMerchantZone = Objects.requireNonNull(defaultMerchantZone);
        this.policies = List.copyOf(policies);
        this.merchantTiers = Map.copyOf(merchantTiers);
        this.calendars = Objects.requireNonNull(calendars);
        if (this.policies.stream().noneMatch(p -> p.id().equals("DEFAULT"))) {
            throw new IllegalArgumentException("the policy set needs a DEFAULT policy");
        }
        TreeSet<Long> times = new TreeSet<>();
        for (Policy p : this.policies) {
            calendars.get(p.calendarId());
            if (p.effectiveFrom().isAfter(Presets.EPOCH)) {
                times.add(p.effectiveFrom().toEpochMilli());
            }
        }
        this.changeTimes = List.copyOf(times);
        List<Policy> sorted = new ArrayList<>(this.policies);
        sorted.sort(Comparator.comparing(Policy::effectiveFrom));
        Map<String, Policy> current = new LinkedHashMap<>();
        for (Policy p : sorted) {
            current.put(p.id(), p);
            epochs.put(p.effectiveFrom().toEpochMilli(), Collections.unmodifiableMap(new LinkedHashMap<>(current)));
        }
    }

    public static PolicySet presets() {
        return new PolicySet(Presets.all(), Map.of(), Calendars.presets());
    }

    /** The policy for a case with these attributes at instant {@code at}. */
    public Policy select(String jurisdiction, Category category, String merchantId, long at) {
        String tier = merchantId == null ? null : merchantTiers.get(merchantId);
        Policy best = null;
        for (Policy p : inEffect(at).values()) {
            if (!p.match().matches(jurisdiction, category, merchantId, tier)) {
                continue;
            }
            if (p.id().equals("DEFAULT") && best != null) {
                continue;
            }
            if (best == null || best.id().equals("DEFAULT") || p.match().specificity() > best.match().specificity()) {
                best = p;
            }
        }
        return best;
    }

    /** The version of policy {@code id} in effect at {@code at}, or null. */
    public Policy byId(String id, long at) {
        return inEffect(at).get(id);
    }

    /** The time zone in which a merchant's statistics days begin and end. */
    public ZoneId merchantZone(String merchantId) {
        ZoneId z = merchantId == null ? null : merchantZones.get(merchantId);
        return z == null ? defaultMerchantZone : z;
    }

    public BusinessCalendar calendarOf(Policy p) {
        return calendars.get(p.calendarId());
    }

    public Calendars calendars() {
        return calendars;
    }

    public List<Policy> policies() {
        return policies;
    }

    /** Instants at which some policy version takes effect, ascending (presets at the epoch excluded). */
    public List<Long> changeTimes() {
        return changeTimes;
    }

    private Map<String, Policy> inEffect(long at) {
        Map.Entry<Long, Map<String, Policy>> e = epochs.floorEntry(at);
        return e == null ? Map.of() : e.getValue();
    }
}
