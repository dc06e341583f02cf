package io.casewatch.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;

import io.casewatch.schema.MerchantStats;
import io.casewatch.schema.internal.Figure;
import io.casewatch.schema.internal.MerchantFact;
import io.casewatch.state.StoreKind;

/**
 * The processor keeps decoded days and window figures in memory; the stores hold the truth. Whatever it had in
 * memory, the output must be the same: revived (re-initialised on its stores) every so often, or keeping only a few
 * days decoded, it emits exactly what one uninterrupted instance emits. The facts include a merchant whose 30-day
 * windows hold more resolutions than a sketch keeps exactly, and late facts (corrections).
 */
class MerchantStatsRestartTest {

    private static final Duration GRACE = Duration.ofHours(1);
    private static final Duration LIVE = Duration.ofMinutes(15);
    private static final long HOUR = 3_600_000L;
    private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private static final MerchantStatsProcessor.Counters NO_COUNTERS = new MerchantStatsProcessor.Counters() {
        @Override
        public void lateCorrection() {
        }

        @Override
        public void lateDropped() {
        }
    };

    @Test
    void revivedOrForgetfulInstancesEmitWhatOneUninterruptedInstanceEmits() {
        List<MerchantFact> input = facts();
        List<String> reference = run(input, Integer.MAX_VALUE, 20_000);

        assertThat(reference).hasSizeGreaterThan(1_000);
        assertThat(reference).anyMatch(r -> r.matches("m-big.*\"resolved\": [2-9][0-9][0-9],.*"));
        assertSameOutput(run(input, Integer.MAX_VALUE, 3), reference);
        // A revived task forgets which windows changed since the last live emission (advisory, in memory only), so
        // its live records may differ; its final ones may not, except estimates of sketches that compact, which draw
        // fewer random bits when fewer live records are emitted.
        List<MerchantFact> exact = input.stream().filter(f -> !"m-big".equals(f.getMerchantId())).toList();
        List<String> exactReference = run(exact, Integer.MAX_VALUE, 20_000);
        assertSameOutput(finals(run(exact, 997, 20_000)), finals(exactReference));
        assertSameOutput(finals(run(exact, 1_511, 5)), finals(exactReference));
    }

    @Test
    void aTaskRevivedOnStoresRolledBackEmitsWhatItWouldHaveEmittedWithoutTheCrash() {
        // Without the merchant whose sketches compact: their random bits would be drawn twice in the lost stretch.
        List<MerchantFact> input = facts().stream().filter(f -> !"m-big".equals(f.getMerchantId())).toList();
        List<String> reference = run(input, Integer.MAX_VALUE, 20_000);

        assertSameOutput(finals(runWithRollback(input, 3_000, 4_500, true)), finals(reference));
        assertSameOutput(finals(runWithRollback(input, 7_000, 9_000, false)), finals(reference));
    }

    private static List<String> finals(List<String> records) {
        List<String> finals = records.stream().filter(r -> r.contains("\"final\": true")).toList();
        assertThat(finals).hasSizeGreaterThan(500);
        return finals;
    }

    /** Compares record by record, reporting the first difference (the lists are long). */
    private static void assertSameOutput(List<String> actual, List<String> expected) {
        for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
            assertThat(actual.get(i)).as("record %d of %d (expected %d)", i, actual.size(), expected.size()).isEqualTo(expected.get(i));
        }
        assertThat(actual).hasSameSizeAs(expected);
    }

    /** Facts of four merchants over 100 days in time order, with late ones; merchant m-big resolves ~25 cases a day. */
    private static List<MerchantFact> facts() {
        Random r = new Random(42);
        String[] merchants = {"m-a", "m-b", "m-ny", "m-big"};
        String[] zones = {"UTC", "Europe/London", "America/New_York", "UTC"};
        int[] perDay = {3, 6, 4, 60};
        List<MerchantFact> out = new ArrayList<>();
        long[] watermark = {START, START};
        for (int day = 0; day < 100; day++) {
            for (int hour = 0; hour < 24; hour++) {
                long now = START + (day * 24L + hour) * HOUR;
                for (int i = 0; i < merchants.length; i++) {
                    int n = r.nextInt(perDay[i] * 2 / 24 + 2);
                    for (int j = 0; j < n; j++) {
                        // Mostly now; sometimes a few hours or days late.
                        long at = r.nextInt(10) == 0 ? now - r.nextInt(4 * 24) * HOUR : now - r.nextInt(3_600_000);
                        ZoneId zone = ZoneId.of(zones[i]);
                        int d = StatsDays.epochDay(at, zone);
                        Figure f = Figure.values()[r.nextInt(i == 3 ? 3 : 7)];
                        Integer prev = r.nextInt(8) == 0 ? d - 1 - r.nextInt(40) : null;
                        Double hours = f == Figure.RESOLVED && r.nextInt(10) > 0 ? r.nextDouble() * 200 : null;
                        out.add(new MerchantFact(merchants[i], f, at, d, prev, hours, zones[i], 0));
                    }
                }
                // Two case tasks' watermarks, the second trailing at times.
                for (int src = 0; src < 2; src++) {
                    long w = now - GRACE.toMillis() - (src == 1 && r.nextBoolean() ? 2 * HOUR : 0);
                    watermark[src] = Math.max(watermark[src], w);
                    out.add(new MerchantFact(null, Figure.WATERMARK, watermark[src], 0, null, null, "UTC", src));
                }
            }
        }
        return out;
    }

    /** Runs the facts through a processor, reviving it every {@code reviveEvery} facts; the emitted records as text. */
    private static List<String> run(List<MerchantFact> input, int reviveEvery, int decodedDays) {
        SketchSeed.reset(SketchSeed.REPLAY_SEED);
        MockProcessorContext<String, MerchantStats> context = new MockProcessorContext<>();
        for (StoreBuilder<?> b : MerchantStatsProcessor.supplier(GRACE, LIVE, NO_COUNTERS, StoreKind.IN_MEMORY).stores()) {
            @SuppressWarnings("unchecked")
            KeyValueStore<Object, Object> store = ((StoreBuilder<KeyValueStore<Object, Object>>) b).withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        MerchantStatsProcessor p = new MerchantStatsProcessor(GRACE, LIVE, NO_COUNTERS, decodedDays);
        p.init(context);
        for (int i = 0; i < input.size(); i++) {
            if (i > 0 && i % reviveEvery == 0) {
                // Alternately the same instance re-initialised and a new one, as Kafka Streams may do either.
                if ((i / reviveEvery) % 2 == 0) {
                    p = new MerchantStatsProcessor(GRACE, LIVE, NO_COUNTERS, decodedDays);
                }
                p.init(context);
            }
            MerchantFact f = input.get(i);
            p.process(new Record<>(f.getMerchantId() == null ? "w" : f.getMerchantId(), f, f.getAt()));
        }
        List<String> out = new ArrayList<>();
        collect(context, out);
        return out;
    }

    /**
     * Runs the facts through a processor that is revived at {@code crashAt} with its stores rolled back to what they
     * held at {@code committedAt}, and reprocesses from there (what the output of the lost stretch was is dropped).
     */
    private static List<String> runWithRollback(List<MerchantFact> input, int committedAt, int crashAt, boolean sameInstance) {
        SketchSeed.reset(SketchSeed.REPLAY_SEED);
        MockProcessorContext<String, MerchantStats> context = new MockProcessorContext<>();
        List<KeyValueStore<Object, Object>> stores = new ArrayList<>();
        for (StoreBuilder<?> b : MerchantStatsProcessor.supplier(GRACE, LIVE, NO_COUNTERS, StoreKind.IN_MEMORY).stores()) {
            @SuppressWarnings("unchecked")
            KeyValueStore<Object, Object> store = ((StoreBuilder<KeyValueStore<Object, Object>>) b).build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            stores.add(store);
        }
        MerchantStatsProcessor p = new MerchantStatsProcessor(GRACE, LIVE, NO_COUNTERS, 20_000);
        p.init(context);
        List<String> out = new ArrayList<>();
        List<List<KeyValue<Object, Object>>> snapshot = new ArrayList<>();
        boolean crashed = false;
        for (int i = 0; i < input.size(); i++) {
            if (i == committedAt && !crashed) {
                collect(context, out);
                for (KeyValueStore<Object, Object> s : stores) {
                    List<KeyValue<Object, Object>> all = new ArrayList<>();
                    try (KeyValueIterator<Object, Object> it = s.all()) {
                        it.forEachRemaining(all::add);
                    }
                    snapshot.add(all);
                }
            }
            if (i == crashAt && !crashed) {
                crashed = true;
                context.resetForwards();
                for (int k = 0; k < stores.size(); k++) {
                    KeyValueStore<Object, Object> store = stores.get(k);
                    List<Object> keys = new ArrayList<>();
                    try (KeyValueIterator<Object, Object> it = store.all()) {
                        it.forEachRemaining(kv -> keys.add(kv.key));
                    }
                    keys.forEach(store::delete);
                    snapshot.get(k).forEach(kv -> store.put(kv.key, kv.value));
                }
                if (!sameInstance) {
                    p = new MerchantStatsProcessor(GRACE, LIVE, NO_COUNTERS, 20_000);
                }
                p.init(context);
                i = committedAt;
            }
            MerchantFact f = input.get(i);
            p.process(new Record<>(f.getMerchantId() == null ? "w" : f.getMerchantId(), f, f.getAt()));
        }
        collect(context, out);
        return out;
    }

    private static void collect(MockProcessorContext<String, MerchantStats> context, List<String> out) {
        for (var fwd : context.forwarded()) {
            out.add(fwd.record().key() + " " + fwd.record().timestamp() + " " + fwd.record().value());
        }
        context.resetForwards();
    }
}
