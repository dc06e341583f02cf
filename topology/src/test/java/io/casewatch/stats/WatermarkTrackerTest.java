package io.casewatch.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class WatermarkTrackerTest {

    private static KeyValueStore<Integer, Long> store() {
        KeyValueStore<Integer, Long> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("wm"), Serdes.Integer(), Serdes.Long())
                .withLoggingDisabled().build();
        s.init(new MockProcessorContext<>().getStateStoreContext(), s);
        return s;
    }

    @Test
    void theWatermarkMovesOnlyForwardAndOnlyWhenTheSlowestSourceDoes() {
        WatermarkTracker t = new WatermarkTracker();
        t.init(store());
        assertThat(t.slowest()).isEqualTo(Long.MIN_VALUE);

        assertThat(t.advance(0, 100)).isTrue();
        assertThat(t.slowest()).isEqualTo(100);
        assertThat(t.advance(1, 50)).as("a source heard late and behind does not move the watermark back").isFalse();
        assertThat(t.slowest()).isEqualTo(100);
        assertThat(t.advance(0, 200)).as("while the slowest source stays behind, nothing moves").isFalse();
        assertThat(t.slowest()).isEqualTo(100);
        assertThat(t.advance(1, 300)).isTrue();
        assertThat(t.slowest()).isEqualTo(200);
    }

    @Test
    void aSourceGoingBackIsIgnored() {
        WatermarkTracker t = new WatermarkTracker();
        KeyValueStore<Integer, Long> s = store();
        t.init(s);
        t.advance(0, 100);
        assertThat(t.advance(0, 90)).isFalse();
        assertThat(s.get(0)).isEqualTo(100L);
    }

    @Test
    void aRestartedTrackerResumesFromTheStoredWatermarks() {
        KeyValueStore<Integer, Long> s = store();
        WatermarkTracker before = new WatermarkTracker();
        before.init(s);
        before.advance(0, 100);
        before.advance(1, 70);

        WatermarkTracker after = new WatermarkTracker();
        after.init(s);

        assertThat(after.slowest()).isEqualTo(70);
        assertThat(after.advance(1, 80)).isTrue();
    }
}
