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

    /** The task's intake has handled the record at {@code offset} (decoded, dead-lettered or a heartbeat). */
    void handled(String topic, int partition, long offset);

    /**
     * True when every record of the partition below {@code endOffset} (its end when the heartbeat was written) has
     * been handled on this thread.
     */
    boolean caughtUp(String topic, int partition, long endOffset);
}
