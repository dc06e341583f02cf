package io.casewatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.schema.CaseState;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.ClockKind;
import io.casewatch.schema.ClockState;
import io.casewatch.schema.ClockStatus;
import io.casewatch.topology.PipelineMetrics;

class CaseGaugeTrackerTest {

    @Test
    void countsEachCaseOnceByItsLatestStatusAndForgetsATaskThatCloses() {
        CaseGaugeTracker t = new CaseGaugeTracker();
        PipelineMetrics.CaseGauges task0 = t.forTask();
        PipelineMetrics.CaseGauges task1 = t.forTask();
        task0.update(status("c1", CaseState.OPEN, ClockState.RUNNING));
        task0.update(status("c1", CaseState.OPEN, ClockState.AT_RISK));
        task0.update(status("c2", CaseState.OPEN, ClockState.BREACHED));
        task1.update(status("c3", CaseState.AWAITING_CUSTOMER, ClockState.PAUSED));
        assertThat(List.of(t.open(), t.atRisk(), t.breached())).containsExactly(3L, 1L, 1L);

        task0.update(status("c1", CaseState.OPEN, ClockState.BREACHED));
        task0.update(status("c2", CaseState.RESOLVED, ClockState.BREACHED));
        assertThat(List.of(t.open(), t.atRisk(), t.breached())).containsExactly(2L, 0L, 1L);

        task0.close();
        assertThat(List.of(t.open(), t.atRisk(), t.breached())).containsExactly(1L, 0L, 0L);
    }

    private static CaseStatus status(String id, CaseState state, ClockState clock) {
        return CaseStatus.newBuilder().setCaseId(id).setMerchantId("m").setState(state).setPolicyId("DEFAULT")
                .setUpdatedAt(Instant.EPOCH)
                .setClocks(List.of(new ClockStatus(ClockKind.FIRST_RESPONSE, ClockState.MET, null, 1L, 1L, 1.0),
                        new ClockStatus(ClockKind.RESOLUTION, clock, null, 10L, 5L, 0.5)))
                .build();
    }
}
