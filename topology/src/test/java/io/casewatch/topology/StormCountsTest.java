package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class StormCountsTest {

    private static final long HOUR = 3_600_000L;

    private static KeyValueStore<Bytes, byte[]> store() {
        KeyValueStore<Bytes, byte[]> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("storm"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        s.init(new MockProcessorContext<>().getStateStoreContext(), s);
        return s;
    }

    @Test
    void totalsCountPerWindowMerchantAndLevel() {
        StormCounts counts = new StormCounts(store());
        assertThat(counts.increment(0, "m-1|L1")).isEqualTo(1);
        assertThat(counts.increment(0, "m-1|L1")).isEqualTo(2);
        assertThat(counts.increment(0, "m-1|L2")).isEqualTo(1);
        assertThat(counts.increment(HOUR, "m-1|L1")).isEqualTo(1);
        assertThat(counts.increment(0, "m-2|L1")).isEqualTo(1);
    }

    @Test
    void aNewInstanceOnTheSameStoreGoesOnCounting() {
        KeyValueStore<Bytes, byte[]> store = store();
        StormCounts first = new StormCounts(store);
        for (int i = 0; i < 5; i++) {
            first.increment(HOUR, "m-ü|L3");
        }
        assertThat(new StormCounts(store).increment(HOUR, "m-ü|L3")).isEqualTo(6);
    }

    @Test
    void endedWindowsAreTakenOnceInWindowThenKeyOrder() {
        KeyValueStore<Bytes, byte[]> store = store();
        StormCounts counts = new StormCounts(store);
        counts.increment(2 * HOUR, "m-b|L1");
        counts.increment(HOUR, "m-z|L2");
        counts.increment(HOUR, "m-a|L1");
        counts.increment(HOUR, "m-a|L1");

        assertThat(counts.takeUpTo(HOUR)).containsExactly(new StormCounts.Ended(HOUR, "m-a|L1", 2), new StormCounts.Ended(HOUR, "m-z|L2", 1));
        assertThat(counts.takeUpTo(HOUR)).isEmpty();
        assertThat(counts.earliestStart()).isEqualTo(2 * HOUR);
        assertThat(counts.increment(HOUR, "m-a|L1")).as("a window taken starts again from nothing").isEqualTo(1);
    }
}
