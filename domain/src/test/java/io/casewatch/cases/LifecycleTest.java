package io.casewatch.cases;

import static io.casewatch.cases.Cases.HOUR;
import static io.casewatch.cases.Cases.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.CaseState;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.LifecycleStep;
import io.casewatch.schema.internal.Pause;
import io.casewatch.schema.internal.PauseKind;
import io.casewatch.testing.Events;

class LifecycleTest {

    private final AlertBook book = Cases.alertBook();
    private final Lifecycle lifecycle = new Lifecycle(Cases.POLICY, book, new StallDetection(book));

    private List<Alert> step(CaseData c, ComplaintEventType type, Duration after) {
        return lifecycle.apply(c, Events.complaint(c.getCaseId(), type, T0.plus(after)).build());
    }

    private CaseData openedAtT0(String caseId, String jurisdiction) {
        CaseData c = CaseEngine.newCase(caseId, T0.toEpochMilli());
        lifecycle.apply(c, Events.opened(caseId, T0, jurisdiction));
        return c;
    }

    @Test
    void openingStartsTheClocksAtReceiptUnderTheMatchingPolicy() {
        CaseData c = openedAtT0("l-1", "US");
        assertThat(c.getOpened()).isTrue();
        assertThat(c.getReceivedAt()).isEqualTo(T0.toEpochMilli());
        assertThat(c.getClockStartAt()).isEqualTo(T0.toEpochMilli());
        assertThat(c.getPolicyId()).isEqualTo("US-CFPB");
        assertThat(c.getState()).isEqualTo(CaseState.OPEN);
    }

    @Test
    void aSecondOpenedChangesNothing() {
        CaseData c = openedAtT0("l-1", "US");
        lifecycle.apply(c, Events.opened("l-1", T0.plus(Duration.ofHours(5)), "GB"));
        assertThat(c.getReceivedAt()).isEqualTo(T0.toEpochMilli());
        assertThat(c.getJurisdiction()).isEqualTo("US");
    }

    @Test
    void theSecondReopeningIsAReopenLoopUnderTheFallbackPolicy() {
        CaseData c = openedAtT0("l-1", "ZZ");
        assertThat(Cases.policyOf(c).reopenLoopThreshold()).isEqualTo(2);
        step(c, ComplaintEventType.RESOLVED, Duration.ofHours(1));
        assertThat(step(c, ComplaintEventType.REOPENED, Duration.ofHours(2))).isEmpty();
        step(c, ComplaintEventType.RESOLVED, Duration.ofHours(3));

        List<Alert> out = step(c, ComplaintEventType.REOPENED, Duration.ofHours(4));

        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.getKind()).isEqualTo(AlertKind.REOPEN_LOOP);
            assertThat(a.getEpisode()).isEqualTo(1);
            assertThat(a.getEvidence().getReopens()).isEqualTo(2);
            assertThat(a.getDetectedAt()).isEqualTo(T0.plus(Duration.ofHours(4)));
        });
        assertThat(c.getState()).isEqualTo(CaseState.OPEN);
        assertThat(c.getTerminalAt()).isNull();
    }

    @Test
    void anExclusionReasonAlsoPausesTheStatutoryClockUntilResumed() {
        CaseData c = openedAtT0("l-1", "CN");
        lifecycle.apply(c, Events.complaint("l-1", ComplaintEventType.AWAITING_CUSTOMER, T0.plus(Duration.ofHours(1)))
                .setReason("EXTERNAL_APPRAISAL").build());
        assertThat(c.getPauses()).extracting(Pause::getKind).containsExactly(PauseKind.AWAITING_CUSTOMER, PauseKind.EXCLUSION);
        assertThat(c.getState()).isEqualTo(CaseState.AWAITING_CUSTOMER);

        step(c, ComplaintEventType.RESUMED, Duration.ofHours(3));

        assertThat(c.getPauses()).extracting(Pause::getTo).containsOnly(T0.toEpochMilli() + 3 * HOUR);
        assertThat(c.getState()).isEqualTo(CaseState.OPEN);
    }

    @Test
    void closingWithoutResolutionEndsTheWaitAndClosesEveryOpenAlert() {
        CaseData c = openedAtT0("l-1", "ZZ");
        c.setAwaitingReplySince(T0.toEpochMilli() + HOUR);
        book.raise(c, Cases.policyOf(c), AlertKind.UNANSWERED_CONTACT, 1, null, T0.toEpochMilli() + 2 * HOUR,
                Evidences.of(c, T0.toEpochMilli()).build(), new ArrayList<>());

        List<Alert> out = step(c, ComplaintEventType.CLOSED, Duration.ofHours(5));

        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.getStatus()).isEqualTo(AlertStatus.CLOSED);
            assertThat(a.getCloseReason()).isEqualTo("case closed");
        });
        assertThat(c.getAwaitingReplySince()).isNull();
        assertThat(c.getTerminalAt()).isEqualTo(T0.toEpochMilli() + 5 * HOUR);
        assertThat(c.getTerminalType()).isEqualTo("CLOSED");
    }

    @Test
    void beyondTheCapTheReceiptStepIsKeptAndTheOldestAfterItDropped() {
        CaseData c = openedAtT0("l-1", "ZZ");
        int assigned = Lifecycle.MAX_STEPS + 5;
        for (int i = 1; i <= assigned; i++) {
            step(c, ComplaintEventType.ASSIGNED, Duration.ofMinutes(i));
        }
        int dropped = 1 + assigned - Lifecycle.MAX_STEPS;
        assertThat(c.getSteps()).hasSize(Lifecycle.MAX_STEPS);
        assertThat(c.getSteps().get(0).getType()).isEqualTo("OPENED");
        assertThat(c.getSteps().get(1).getAt()).isEqualTo(T0.plus(Duration.ofMinutes(dropped + 1)).toEpochMilli());
        assertThat(c.getSteps()).extracting(LifecycleStep::getAt).isSorted();
        assertThat(c.getSteps().get(Lifecycle.MAX_STEPS - 1).getAt()).isEqualTo(T0.plus(Duration.ofMinutes(Lifecycle.MAX_STEPS + 5)).toEpochMilli());
    }

    @Test
    void aReasonIsKeptOnlyWhenItIsACodeWithoutANumberInIt() {
        assertThat(Lifecycle.reasonCode("EXTERNAL_APPRAISAL")).isEqualTo("EXTERNAL_APPRAISAL");
        assertThat(Lifecycle.reasonCode("CODE_123")).isEqualTo("CODE_123");
        assertThat(Lifecycle.reasonCode("ACCT_12345678")).isEqualTo(Lifecycle.WITHHELD_REASON);
        assertThat(Lifecycle.reasonCode("Customer Jane Doe called")).isEqualTo(Lifecycle.WITHHELD_REASON);
        assertThat(Lifecycle.reasonCode("lower_case")).isEqualTo(Lifecycle.WITHHELD_REASON);
        assertThat(Lifecycle.reasonCode(null)).isNull();
    }

    @Test
    void aFollowUpReadBeforeTheOpeningStartsAWaitAtOpening() {
        CaseData c = CaseEngine.newCase("l-1", T0.toEpochMilli());
        long followUp = T0.toEpochMilli() + 2 * HOUR;
        c.setStallInbound(new ArrayList<>(List.of(T0.toEpochMilli() - HOUR, followUp)));

        lifecycle.apply(c, Events.opened("l-1", T0, "ZZ"));

        assertThat(c.getAwaitingReplySince()).isEqualTo(followUp);
        assertThat(c.getWaits()).isEqualTo(1);
        assertThat(Instant.ofEpochMilli(c.getReceivedAt())).isEqualTo(T0);
    }
}
