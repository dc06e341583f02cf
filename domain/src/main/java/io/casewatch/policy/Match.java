package io.casewatch.policy;

import java.util.Set;

import io.casewatch.schema.Category;

/**
 * Which cases a policy applies to. An empty set matches anything on that dimension; the most specific matching
 * policy wins: merchant, then merchant tier, then category, then jurisdiction.
 */
public record Match(Set<String> jurisdictions, Set<Category> categories, Set<String> merchants, Set<String> merchantTiers) {

    public static final Match ANY = new Match(Set.of(), Set.of(), Set.of(), Set.of());

    public Match {
        jurisdictions = Set.copyOf(jurisdictions);
        categories = Set.copyOf(categories);
        merchants = Set.copyOf(merchants);
        merchantTiers = Set.copyOf(merchantTiers);
    }

    public static Match jurisdictions(String... codes) {
        return new Match(Set.of(codes), Set.of(), Set.of(), Set.of());
    }

    public boolean matches(String jurisdiction, Category category, String merchantId, String merchantTier) {
        return (jurisdictions.isEmpty() || jurisdiction != null && jurisdictions.contains(jurisdiction))
                && (categories.isEmpty() || category != null && categories.contains(category))
                && (merchants.isEmpty() || merchantId != null && merchants.contains(merchantId))
                && (merchantTiers.isEmpty() || merchantTier != null && merchantTiers.contains(merchantTier));
    }

    /** Higher is more specific; merchant beats tier beats category beats jurisdiction. */
    public int specificity() {
        return (merchants.isEmpty() ? 0 : 8) + (merchantTiers.isEmpty() ? 0 : 4) + (categories.isEmpty() ? 0 : 2)
                + (jurisdictions.isEmpty() ? 0 : 1);
    }
}
