package io.casewatch.cases;

import io.casewatch.policy.Policy;
import io.casewatch.policy.PolicySet;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.sla.BusinessCalendar;

/** Which policy governs a case at an instant, and the calendar its business days are counted in. */
final class CasePolicy {

    private final PolicySet policies;

    CasePolicy(PolicySet policies) {
        this.policies = policies;
    }

    PolicySet set() {
        return policies;
    }

    /**
     * The policy in force for the case at {@code at}; an opened case records its id, so that its status and
     * compliance record name the policy that timed it.
     */
    Policy of(CaseData c, long at) {
        Policy p = policies.select(c.getJurisdiction(), c.getCategory(), c.getMerchantId(), at);
        if (p != null && !p.id().equals(c.getPolicyId()) && c.getOpened()) {
            c.setPolicyId(p.id());
        }
        return p;
    }

    BusinessCalendar calendarOf(Policy p) {
        return policies.calendarOf(p);
    }
}
