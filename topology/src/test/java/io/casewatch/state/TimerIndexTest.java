package io.casewatch.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class TimerIndexTest {

    private static Bytes key(long due, String id) {
        return TimerIndex.key(due, id.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dueEntriesComeEarliestFirstAndTiesByTheirSuffix() {
        TimerIndex index = new TimerIndex();
        index.add(key(300, "b"));
        index.add(key(100, "z"));
        index.add(key(300, "a"));
        index.add(key(400, "c"));

        assertThat(index.dueBy(300, 10)).containsExactly(key(100, "z"), key(300, "a"), key(300, "b"));
    }

    @Test
    void dueEntriesStayUntilRemovedAndTheLimitBoundsOneRead() {
        TimerIndex index = new TimerIndex();
        for (int i = 0; i < 5; i++) {
            index.add(key(i, "k" + i));
        }
        assertThat(index.dueBy(10, 2)).containsExactly(key(0, "k0"), key(1, "k1"));
        index.remove(key(0, "k0"));
        assertThat(index.dueBy(10, 2)).containsExactly(key(1, "k1"), key(2, "k2"));
        assertThat(index.size()).isEqualTo(4);
    }

    @Test
    void negativeDueTimesSortAtZeroAndNothingIsDueBeforeZero() {
        TimerIndex index = new TimerIndex();
        index.add(key(-5, "early"));
        assertThat(TimerIndex.dueOf(key(-5, "early"))).isZero();
        assertThat(index.dueBy(-1, 10)).isEmpty();
        assertThat(index.dueBy(0, 10)).containsExactly(key(0, "early"));
        assertThat(index.dueBy(Long.MAX_VALUE, 10)).containsExactly(key(0, "early"));
    }
}
