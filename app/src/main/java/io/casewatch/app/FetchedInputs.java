package io.casewatch.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

import io.casewatch.topology.Heartbeat;
import io.casewatch.topology.InputProgress;
import io.casewatch.topology.Intake;

/**
 * {@link InputProgress} from the stream thread's own consumer: what each poll returned and where the consumer's
 * position is, and what the task's intake has handled. A partition is caught up to an end offset when the position
 * has reached it (the position steps over transaction markers and aborted records, which no task ever sees) and
 * every record the polls returned has been handled, so none waits in the task's buffer.
 *
 * <p>The state is per thread: a stream thread polls its consumer and processes its tasks on the same thread, and
 * each thread has its own consumer. A task that starts forgets what the thread knew of its partitions from an
 * earlier task ({@link #started}): records an earlier task was returned and never handled (dropped when it was
 * revoked) would otherwise block the proof until the partition brings a new record, which on a quiet partition
 * stops the task's deadlines; and offsets an earlier task handled would prove records the new task has not handled
 * when it restarts below them from the committed position.
 */
final class FetchedInputs implements InputProgress {

    /** Per partition: last offset a poll returned, last offset handled, the consumer's position after the poll. */
    private static final ThreadLocal<Map<TopicPartition, long[]>> STATE = ThreadLocal.withInitial(HashMap::new);

    private static final int RETURNED = 0;
    private static final int HANDLED = 1;
    private static final int POSITION = 2;
    /** The latest heartbeat time the partition was proven caught up to when a poll returned the heartbeat. */
    private static final int PROVEN = 3;

    private static long[] entry(Map<TopicPartition, long[]> state, TopicPartition tp) {
        return state.computeIfAbsent(tp, k -> new long[] {-1L, -1L, -1L, Long.MIN_VALUE});
    }

    /** Called by the consumer after each poll, on the polling (stream) thread. */
    static void polled(ConsumerRecords<?, ?> records, Consumer<?, ?> consumer) {
        Map<TopicPartition, long[]> state = STATE.get();
        for (TopicPartition tp : records.partitions()) {
            List<? extends ConsumerRecord<?, ?>> rs = records.records(tp);
            if (!rs.isEmpty()) {
                long[] e = entry(state, tp);
                e[RETURNED] = Math.max(e[RETURNED], rs.get(rs.size() - 1).offset());
            }
        }
        for (TopicPartition tp : consumer.assignment()) {
            try {
                entry(state, tp)[POSITION] = consumer.position(tp, Duration.ZERO);
            } catch (RuntimeException unknownYet) {
                // No position before the first fetch of a new assignment: no proof for this partition yet.
                entry(state, tp)[POSITION] = -1L;
            }
        }
        // A heartbeat proves what it proves as soon as it is fetched; the same test as when the task reads it.
        for (ConsumerRecord<?, ?> r : records) {
            if (r.headers().lastHeader(Intake.TICK_HEADER) != null && r.value() instanceof byte[] v) {
                Heartbeat.endOffsetsOf(v).forEach((topic, end) -> {
                    TopicPartition tp = new TopicPartition(topic, r.partition());
                    long[] e = state.get(tp);
                    if (e != null && e[POSITION] >= end && e[HANDLED] >= e[RETURNED]) {
                        e[PROVEN] = Math.max(e[PROVEN], r.timestamp());
                    }
                });
            }
        }
    }

    @Override
    public long provenAtPoll(String topic, int partition) {
        long[] e = STATE.get().get(new TopicPartition(topic, partition));
        return e == null ? Long.MIN_VALUE : e[PROVEN];
    }

    @Override
    public void started(String topic, int partition) {
        STATE.get().remove(new TopicPartition(topic, partition));
    }

    @Override
    public void handled(String topic, int partition, long offset) {
        long[] e = entry(STATE.get(), new TopicPartition(topic, partition));
        e[HANDLED] = Math.max(e[HANDLED], offset);
    }

    @Override
    public boolean buffered(String topic, int partition) {
        long[] e = STATE.get().get(new TopicPartition(topic, partition));
        return e != null && e[RETURNED] > e[HANDLED];
    }

    @Override
    public boolean caughtUp(String topic, int partition, long endOffset) {
        long[] e = STATE.get().get(new TopicPartition(topic, partition));
        return e != null && e[POSITION] >= endOffset && e[HANDLED] >= e[RETURNED];
    }
}
