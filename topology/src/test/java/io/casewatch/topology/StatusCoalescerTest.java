package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.casewatch.schema.CaseStatus;

class StatusCoalescerTest {

    private static CaseStatus status(String caseId) {
        CaseStatus s = new CaseStatus();
        s.setCaseId(caseId);
        return s;
    }

    @Test
    void theLatestStatusOfEachCaseGoesOutInTheOrderTheCasesFirstChanged() {
        StatusCoalescer c = new StatusCoalescer(Duration.ofSeconds(1));
        CaseStatus a1 = status("a");
        CaseStatus b1 = status("b");
        CaseStatus a2 = status("a");
        assertThat(c.changed("a", a1, 10)).isEqualTo(1);
        assertThat(c.changed("b", b1, 11)).isEqualTo(2);
        assertThat(c.changed("a", a2, 12)).isEqualTo(3);

        var out = c.drain();
        assertThat(out).extracting(StatusCoalescer.Pending::caseId).containsExactly("a", "b");
        assertThat(out.get(0).status()).isSameAs(a2);
        assertThat(out.get(0).timestamp()).isEqualTo(12);
        assertThat(c.changeSeq()).isEqualTo(3);
        assertThat(c.isEmpty()).isTrue();
    }

    @Test
    void aRestoredTaskContinuesTheSequenceAndOwesWhatWasNotEmitted() {
        StatusCoalescer c = new StatusCoalescer(Duration.ofSeconds(1));
        c.restored(7);
        c.restored(4);
        c.owe("x", status("x"), 5);
        assertThat(c.changed("y", status("y"), 6)).isEqualTo(8);
        assertThat(c.drain()).extracting(StatusCoalescer.Pending::caseId).containsExactly("x", "y");

        c.clear();
        assertThat(c.changeSeq()).isZero();
    }

    @Test
    void aZeroIntervalHoldsNothing() {
        assertThat(new StatusCoalescer(Duration.ZERO).coalesces()).isFalse();
    }
}
