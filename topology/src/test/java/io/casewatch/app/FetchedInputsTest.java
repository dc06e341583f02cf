package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The proof that a partition is caught up, across a task leaving a stream thread and coming back to it. The state is
 * per thread and outlives a test, so each test uses a topic of its own.
 */
class FetchedInputsTest {

    private final FetchedInputs progress = new FetchedInputs();
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");

    @Test
    void aPartitionIsCaughtUpOnceEveryRecordPolledIsHandledAndThePositionHasReachedTheEnd() {
        TopicPartition tp = new TopicPartition("acks-first-task", 0);
        assignAt(tp, 0);
        poll(tp, 0, 5);
        progress.handled(tp.topic(), 0, 3);
        assertThat(progress.caughtUp(tp.topic(), 0, 6)).as("offsets 4 and 5 still in the task's buffer").isFalse();
        progress.handled(tp.topic(), 0, 5);
        assertThat(progress.caughtUp(tp.topic(), 0, 6)).isTrue();
        assertThat(progress.caughtUp(tp.topic(), 0, 7)).as("the end moved past the position").isFalse();
    }

    @Test
    void aQuietPartitionTakenBackIsCaughtUpAlthoughAnEarlierTaskLeftPolledRecordsUnhandled() {
        TopicPartition tp = new TopicPartition("acks-taken-back", 1);
        assignAt(tp, 0);
        poll(tp, 0, 5);
        progress.handled(tp.topic(), 1, 2);
        // Revoked with 3..5 unhandled; another instance reads the partition to its end (10) and commits; the task
        // comes back here, and the partition brings nothing more.
        progress.started(tp.topic(), 1);
        consumer.seek(tp, 10);
        poll(tp, 10, 9);
        assertThat(progress.caughtUp(tp.topic(), 1, 10)).isTrue();
    }

    @Test
    void offsetsAnEarlierTaskHandledProveNothingForTheTaskThatRestartsBelowThem() {
        TopicPartition tp = new TopicPartition("contacts-restarted", 2);
        assignAt(tp, 0);
        poll(tp, 0, 100);
        progress.handled(tp.topic(), 2, 100);
        // Its transaction aborted: the task starts again from the committed 50, and is returned 50..80.
        progress.started(tp.topic(), 2);
        consumer.seek(tp, 81);
        poll(tp, 50, 80);
        assertThat(progress.caughtUp(tp.topic(), 2, 81)).as("50..80 returned, none handled").isFalse();
        progress.handled(tp.topic(), 2, 80);
        assertThat(progress.caughtUp(tp.topic(), 2, 81)).isTrue();
    }

    @Test
    void aPartitionWithoutAPositionYetProvesNothing() {
        TopicPartition tp = new TopicPartition("complaints-new", 0);
        consumer.assign(List.of(tp));
        poll(tp, 0, -1);
        assertThat(progress.caughtUp(tp.topic(), 0, 0)).isFalse();
    }

    private void assignAt(TopicPartition tp, long offset) {
        consumer.assign(List.of(tp));
        consumer.seek(tp, offset);
    }

    /** One poll that returned offsets {@code from..to} of {@code tp} (none when {@code to < from}). */
    private void poll(TopicPartition tp, long from, long to) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (long o = from; o <= to; o++) {
            records.add(new ConsumerRecord<>(tp.topic(), tp.partition(), o, "k", "v"));
        }
        if (!records.isEmpty() && consumer.position(tp) <= to) {
            consumer.seek(tp, to + 1);
        }
        Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition = records.isEmpty() ? Map.of() : Map.of(tp, records);
        Map<TopicPartition, OffsetAndMetadata> next = records.isEmpty() ? Map.of() : Map.of(tp, new OffsetAndMetadata(to + 1));
        FetchedInputs.polled(new ConsumerRecords<>(byPartition, next), consumer);
    }
}
