package io.casewatch.cases;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;

import io.casewatch.policy.Policy;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.sla.BusinessCalendar;

/** What an alert shows to back itself up: the case's contact history, and the clock or the holding replies behind it. */
final class Evidences {

    private static final long DAY = 86_400_000L;

    private Evidences() {
    }

    /** The case's contact history as of {@code at}; callers add what their alert is about. */
    static Evidence.Builder of(CaseData c, long at) {
        Evidence.Builder b = Evidence.newBuilder()
                .setInboundContacts(c.getInbound())
                .setFirstContactAt(instant(c.getFirstContactAt()))
                .setLastContactAt(instant(c.getLastContactAt()))
                .setLastSubstantiveReplyAt(instant(c.getLastSubstantiveReplyAt()))
                .setReopens(c.getReopens())
                .setNotes(new HashMap<>());
        if (c.getReceivedAt() != null) {
            b.setDaysOpen((int) Math.max(0, (at - c.getReceivedAt()) / DAY));
        }
        return b;
    }

    /** Evidence of a clock's alert as of {@code at}, the instant it fell due, however late the clock is looked at. */
    static Evidence.Builder clock(CaseData c, Policy p, BusinessCalendar cal, ClockView v, long at) {
        long used = v.usedMillis();
        for (ClockView then : CaseClocks.all(c, p, cal, at)) {
            if (then.kind() == v.kind()) {
                used = then.usedMillis();
            }
        }
        Evidence.Builder b = of(c, at)
                .setClock(v.kind())
                .setBudgetMillis(v.budgetMillis())
                .setElapsedMillis(Math.min(v.budgetMillis(), Math.max(0, used)))
                .setTimeBasis(v.budget().basis().name());
        b.getNotes().put("budget", v.budget().toString());
        return b;
    }

    static Evidence stall(CaseData c, long at, long contactsInWindow) {
        Evidence.Builder b = of(c, at).setHoldingReplies(new ArrayList<>(c.getStallEvidence()));
        b.getNotes().put("contactsInWindow", Long.toString(contactsInWindow));
        b.getNotes().put("holdingRepliesInEpisode", Integer.toString(c.getStallHolding()));
        return b.build();
    }

    private static Instant instant(Long t) {
        return t == null ? null : Instant.ofEpochMilli(t);
    }
}
