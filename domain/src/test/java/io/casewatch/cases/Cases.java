package io.casewatch.cases;

import java.time.Duration;
import java.time.Instant;

import io.casewatch.escalation.EscalationRules;
import io.casewatch.policy.Policy;
import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Category;
import io.casewatch.schema.CaseState;
import io.casewatch.schema.internal.CaseData;

/**
 * Fixtures for the case engine's parts: an opened case under the fallback policy (jurisdiction "ZZ" matches no
 * statutory rule: first response 24 hours, at risk at 75%, next reply 48 hours, resolution 15 days, all in calendar
 * time), so that the expected instants are plain arithmetic on {@link #T0}.
 */
final class Cases {

    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final long HOUR = Duration.ofHours(1).toMillis();
    static final long DAY = Duration.ofDays(1).toMillis();
    static final PolicySet POLICIES = PolicySet.presets();
    static final CasePolicy POLICY = new CasePolicy(POLICIES);
    /** Ack escalation on, no quiet hours. */
    static final EscalationRules RULES = EscalationRules.DEFAULT;

    private Cases() {
    }

    static long at(Duration afterT0) {
        return T0.plus(afterT0).toEpochMilli();
    }

    /** A case opened at {@link #T0} in jurisdiction "ZZ", category REFUND, merchant m-1. */
    static CaseData opened(String caseId) {
        long t = T0.toEpochMilli();
        return CaseData.newBuilder().setCaseId(caseId).setFirstSeenAt(t).setUpdatedAt(t)
                .setOpened(true).setReceivedAt(t).setClockStartAt(t).setState(CaseState.OPEN)
                .setMerchantId("m-1").setJurisdiction("ZZ").setCategory(Category.REFUND).setCustomerRef("cust-ref-1")
                .setPolicyId("DEFAULT")
                .build();
    }

    static Policy policyOf(CaseData c) {
        return POLICY.of(c, c.getUpdatedAt());
    }

    static AlertBook alertBook() {
        return new AlertBook(POLICY, RULES);
    }
}
