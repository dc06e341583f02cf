package io.casewatch.stats;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.Figure;
import io.casewatch.schema.internal.MerchantFact;

/**
 * What a case has already contributed to its merchant's statistics, so that it counts once per figure per window
 * (SPEC section 6): a fact is sent only when its local day differs from the day the same figure was last counted,
 * and it carries that previous day so the 30-day windows that already hold the case skip it.
 */
final class FactLedger {

    private FactLedger() {
    }

    /** Appends the fact to {@code out} unless this case already counted {@code figure} on the same local day. */
    static void count(CaseData c, Figure figure, long at, Double hours, ZoneId zone, List<MerchantFact> out) {
        if (c.getMerchantId() == null) {
            return;
        }
        List<Integer> days = c.getFactDays();
        if (days.size() <= figure.ordinal()) {
            days = new ArrayList<>(days);
            while (days.size() <= figure.ordinal()) {
                days.add(Integer.MIN_VALUE);
            }
            c.setFactDays(days);
        }
        int day = StatsDays.epochDay(at, zone);
        int prev = days.get(figure.ordinal());
        if (day <= prev) {
            // Same day: already counted in every window holding it. Earlier day: facts of one figure come in time
            // order except after a late event; counting it would risk a second count in a window, so it is not.
            return;
        }
        days.set(figure.ordinal(), day);
        out.add(new MerchantFact(c.getMerchantId(), figure, at, day, prev == Integer.MIN_VALUE ? null : prev, hours, zone.getId(), 0));
    }
}
