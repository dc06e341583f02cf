package io.casewatch.topology;

/**
 * What the task's consumer has read of its input partitions, so that a heartbeat can prove a partition caught up:
 * every record appended to it before the heartbeat was written has been handled by this task (docs/time.md,
 * "Deadlines safe by construction"). Single-threaded per stream thread, like the tasks that use it.
 */
public interface InputProgress {

    /** Deadlines follow stream time alone: replay (its input is all there is) and tests of stream-time behaviour. */
    InputProgress STREAM_TIME = new InputProgress() {
        @Override
        public boolean gatesDeadlines() {
            return false;
        }

        @Override
        public void handled(String topic, int partition, long offset) {
        }

        @Override
        public boolean caughtUp(String topic, int partition, long endOffset) {
            return false;
        }
    };

    /** Whether a deadline waits until every input partition of its task has been proven past it. */
    default boolean gatesDeadlines() {
        return true;
    }

    /**
     * The task reading {@code partition} of {@code topic} starts on this thread, or starts again (after a rebalance,
     * a fencing or an aborted transaction): what the thread knew of the partition from an earlier task no longer
     * counts. Called before the task's partitions are resumed, so no record of this task has been returned yet.
     */
    default void started(String topic, int partition) {
    }

    /**
     * Whether the thread's consumer has returned records of the partition that the task has not handled yet. Kafka
     * Streams picks the record with the least timestamp among the heads of a task's buffered partitions, so a
     * partition with records waiting is in step with the record being processed; one with none may be lagging.
     */
    default boolean buffered(String topic, int partition) {
        return false;
    }

    /**
     * The latest heartbeat time up to which the partition was proven caught up when a poll returned the heartbeat,
     * before the task reads it in time order ({@link Long#MIN_VALUE}: none). While a backlog is read, heartbeats
     * stamped "now" wait behind it, and a quiet partition (acks) would stay unproven until the backlog is done.
     */
    default long provenAtPoll(String topic, int partition) {
        return Long.MIN_VALUE;
    }

    /** The task's intake has handled the record at {@code offset} (decoded, dead-lettered or a heartbeat). */
    void handled(String topic, int partition, long offset);

    /**
     * True when every record of the partition below {@code endOffset} (its end when the heartbeat was written) has
     * been handled on this thread.
     */
    boolean caughtUp(String topic, int partition, long endOffset);
}
