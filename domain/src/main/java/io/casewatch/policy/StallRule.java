package io.casewatch.policy;

import java.time.Duration;

/** STALL_LOOP: {@code contacts} INBOUND contacts within {@code window}, answered only by holding replies. */
public record StallRule(Duration window, int contacts) {
    public static final StallRule DEFAULT = new StallRule(Duration.ofDays(30), 3);

    public StallRule {
        if (contacts < 1) {
            throw new IllegalArgumentException("stall contacts must be at least 1, was " + contacts);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("stall window must be positive, was " + window);
        }
    }
}
