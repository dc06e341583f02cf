package io.casewatch.topology;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

import io.casewatch.schema.internal.Figure;
import io.casewatch.schema.internal.MerchantFact;

/**
 * Partitions the merchant facts by merchant, as the default partitioner would, and sends watermarks to every
 * partition: each statistics task must hear every case task's progress.
 */
final class FactsPartitioner implements StreamPartitioner<Object, Object> {

    static final String WATERMARK_KEY = "";

    private static int byKey(Object key, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(((String) key).getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, Object key, Object value, int numPartitions) {
        if (value instanceof MerchantFact f && f.getFigure() == Figure.WATERMARK) {
            Set<Integer> all = new HashSet<>();
            for (int i = 0; i < numPartitions; i++) {
                all.add(i);
            }
            return Optional.of(all);
        }
        return Optional.of(Set.of(byKey(key, numPartitions)));
    }
}
