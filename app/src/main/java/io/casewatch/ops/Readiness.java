package io.casewatch.ops;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Liveness and readiness of the Kafka Streams instance. Live while it is not failed or shut down (a rebalance or a
 * restoration is not a reason to restart the pod); ready when RUNNING with no active task still restoring its
 * state, so that queries routed here are answered from caught-up stores.
 */
public final class Readiness implements StateRestoreListener {
    private final Set<TopicPartition> restoring = ConcurrentHashMap.newKeySet();
    private volatile KafkaStreams streams;

    void attach(KafkaStreams s) {
        this.streams = s;
    }

    /** True while the instance runs or is on its way to running (CREATED, REBALANCING, RUNNING). */
    boolean live() {
        KafkaStreams s = streams;
        if (s == null) {
            return true; // starting: not attached yet
        }
        KafkaStreams.State st = s.state();
        return st != KafkaStreams.State.ERROR && st != KafkaStreams.State.PENDING_ERROR && st != KafkaStreams.State.NOT_RUNNING
                && st != KafkaStreams.State.PENDING_SHUTDOWN;
    }

    boolean ready() {
        KafkaStreams s = streams;
        return s != null && s.state() == KafkaStreams.State.RUNNING && restoring.isEmpty();
    }

    String state() {
        KafkaStreams s = streams;
        return s == null ? "STARTING" : s.state().name();
    }

    int restoringPartitions() {
        return restoring.size();
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
        restoring.add(partition);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        restoring.remove(partition);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
        restoring.remove(partition);
    }
}
