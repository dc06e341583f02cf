package io.casewatch.ops;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.casewatch.schema.CaseState;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.ClockState;
import io.casewatch.schema.ClockStatus;
import io.casewatch.topology.PipelineMetrics;

/**
 * Open, at-risk and breached cases of this instance: the sum over its tasks. Each task keeps the flags of its own
 * open cases in memory (about 100 bytes per open case), fed by every status it publishes, so the gauges cost nothing
 * to read; a task that moves to another instance takes its share with it when it closes.
 *
 * <p>A case counts as <em>breached</em> while it is open and any clock is BREACHED, and as <em>at risk</em> while it
 * is open, no clock is breached and some clock is AT_RISK: the two never overlap.
 */
final class CaseGaugeTracker {
    static final byte OPEN = 1;
    static final byte AT_RISK = 2;
    static final byte BREACHED = 4;

    private final AtomicLong open = new AtomicLong();
    private final AtomicLong atRisk = new AtomicLong();
    private final AtomicLong breached = new AtomicLong();

    long open() {
        return open.get();
    }

    long atRisk() {
        return atRisk.get();
    }

    long breached() {
        return breached.get();
    }

    PipelineMetrics.CaseGauges forTask() {
        return new Task();
    }

    /** The flags of a status: 0 for a case that is not open. */
    static byte flags(CaseStatus s) {
        if (s.getState() != CaseState.OPEN && s.getState() != CaseState.AWAITING_CUSTOMER) {
            return 0;
        }
        boolean risk = false;
        for (ClockStatus c : s.getClocks()) {
            if (c.getState() == ClockState.BREACHED) {
                return OPEN | BREACHED;
            }
            risk |= c.getState() == ClockState.AT_RISK;
        }
        return risk ? OPEN | AT_RISK : OPEN;
    }

    private void add(byte f, int sign) {
        if ((f & OPEN) != 0) {
            open.addAndGet(sign);
        }
        if ((f & AT_RISK) != 0) {
            atRisk.addAndGet(sign);
        }
        if ((f & BREACHED) != 0) {
            breached.addAndGet(sign);
        }
    }

    /** One task's cases; used by that task's stream thread only. */
    private final class Task implements PipelineMetrics.CaseGauges {
        private final Map<String, Byte> cases = new HashMap<>();

        @Override
        public void update(CaseStatus status) {
            byte now = flags(status);
            String id = status.getCaseId();
            Byte before = now == 0 ? cases.remove(id) : cases.put(id, now);
            byte was = before == null ? 0 : before;
            if (was != now) {
                add(was, -1);
                add(now, 1);
            }
        }

        @Override
        public void close() {
            cases.values().forEach(f -> add(f, -1));
            cases.clear();
        }
    }
}
