package io.casewatch.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class MerchantDayStoreTest {

    private final KeyValueStore<Bytes, byte[]> store = store();

    private static KeyValueStore<Bytes, byte[]> store() {
        KeyValueStore<Bytes, byte[]> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("days"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        s.init(new MockProcessorContext<>().getStateStoreContext(), s);
        return s;
    }

    private static void addDay(MerchantDayStore days, String m, int day, String zone) {
        MerchantDayStore.MerchantDays md = days.daysOf(m);
        DayAggregate agg = new DayAggregate(zone);
        days.put(m, day, agg);
        days.added(m, md, day, agg);
    }

    @Test
    void aMerchantDroppedFromTheMirrorIsReadBackFromTheStore() {
        MerchantDayStore days = new MerchantDayStore(2);
        days.init(store);
        addDay(days, "m-1", 100, "UTC");
        addDay(days, "m-1", 101, "UTC");
        MerchantDayStore.MerchantDays first = days.daysOf("m-1");

        addDay(days, "m-2", 100, "Asia/Shanghai");
        MerchantDayStore.MerchantDays again = days.daysOf("m-1");

        assertThat(again).as("m-1 was dropped to keep two days decoded, and read anew").isNotSameAs(first);
        assertThat(again.byDay.keySet()).containsExactly(100, 101);
        assertThat(again.byDay.get(100).zone).isEqualTo("UTC");
    }

    @Test
    void aMerchantsDaysDoNotMixWithThoseOfAMerchantWhoseIdItPrefixes() {
        MerchantDayStore days = new MerchantDayStore(MerchantDayStore.DECODED_DAYS);
        days.init(store);
        addDay(days, "m-1", 5, "UTC");
        addDay(days, "m-10", 6, "UTC");
        days.init(store);
        assertThat(days.daysOf("m-1").byDay.keySet()).containsExactly(5);
    }

    @Test
    void aDeletedDayLeavesTheStoreAndTheMirrorAndDropsTheWindowsHoldingIt() {
        MerchantDayStore days = new MerchantDayStore(MerchantDayStore.DECODED_DAYS);
        days.init(store);
        addDay(days, "m-1", 100, "UTC");
        addDay(days, "m-1", 130, "UTC");
        MerchantDayStore.MerchantDays md = days.daysOf("m-1");
        md.windows.put(StatsWindow.key(StatsWindow.ROLLING, 100), new MerchantDayStore.Figures(new WindowFigures(), "UTC"));
        md.windows.put(StatsWindow.key(StatsWindow.DAY, 130), new MerchantDayStore.Figures(new WindowFigures(), "UTC"));

        days.delete("m-1", 100);

        assertThat(md.byDay.keySet()).containsExactly(130);
        assertThat(md.windows.keySet()).containsExactly(StatsWindow.key(StatsWindow.DAY, 130));
        List<Integer> stored = new ArrayList<>();
        days.forEachStored((m, d, zone) -> stored.add(d));
        assertThat(stored).containsExactly(130);
    }
}
