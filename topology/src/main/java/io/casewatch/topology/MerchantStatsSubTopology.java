package io.casewatch.topology;

import static io.casewatch.topology.Names.SINK_STATS;
import static io.casewatch.topology.Names.SRC_FACTS;
import static io.casewatch.topology.Names.STATS;

import org.apache.kafka.streams.Topology;

import io.casewatch.stats.MerchantStatsProcessor;

/**
 * Sub-topology 1, the merchant statistics, keyed by merchant: the facts the case tasks send → day and 30-day windows
 * per merchant, closed once the slowest case task's watermark has passed them → {@code merchants.stats.v1}.
 */
final class MerchantStatsSubTopology {

    private MerchantStatsSubTopology() {
    }

    static void addTo(TopologyPlan plan, CasewatchTopology.Settings s, TopologyRuntime runtime) {
        Topics t = s.topics();
        plan.source(SRC_FACTS, t.facts().name(), Topology.AutoOffsetReset.EARLIEST, null, t.facts().keySerde().deserializer(),
                t.facts().valueSerde().deserializer());
        plan.processor(STATS, MerchantStatsProcessor.supplier(s.stats().grace(), s.stats().liveEvery(), runtime.counters(), s.stores()),
                SRC_FACTS);
        plan.sink(SINK_STATS, t.merchantStats().name(), t.merchantStats().keySerde().serializer(),
                t.merchantStats().valueSerde().serializer(), null, STATS);
    }
}
