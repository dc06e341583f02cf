package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.casewatch.topology.Heartbeat;
import io.casewatch.topology.Intake;

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
    void aPartitionIsBufferedWhileRecordsAPollReturnedAreUnhandled() {
        TopicPartition tp = new TopicPartition("complaints-buffered", 0);
        assertThat(progress.buffered(tp.topic(), 0)).as("nothing polled yet").isFalse();
        assignAt(tp, 0);
        poll(tp, 0, 5);
        progress.handled(tp.topic(), 0, 4);
        assertThat(progress.buffered(tp.topic(), 0)).isTrue();
        progress.handled(tp.topic(), 0, 5);
        assertThat(progress.buffered(tp.topic(), 0)).isFalse();
    }

    @Test
    void aHeartbeatProvesACaughtUpPartitionWhenAPollReturnsItBeforeTheTaskReadsIt() {
        TopicPartition acks = new TopicPartition("acks-proven-at-poll", 0);
        TopicPartition contacts = new TopicPartition("contacts-proven-at-poll", 0);
        TopicPartition ticks = new TopicPartition("ticks-proven-at-poll", 0);
        MockConsumer<byte[], byte[]> bytes = new MockConsumer<>("earliest");
        bytes.assign(List.of(acks, contacts, ticks));
        bytes.seek(acks, 3);
        bytes.seek(contacts, 40);
        bytes.seek(ticks, 0);
        RecordHeaders headers = new RecordHeaders();
        headers.add(Intake.TICK_HEADER, new byte[] {1});
        byte[] value = Heartbeat.encode(Map.of(acks.topic(), 3L, contacts.topic(), 90L));
        ConsumerRecord<byte[], byte[]> tick = new ConsumerRecord<>(ticks.topic(), 0, 0, 1_000L, TimestampType.CREATE_TIME, 4, value.length,
                new byte[4], value, headers, Optional.empty());
        FetchedInputs.polled(new ConsumerRecords<>(Map.of(ticks, List.of(tick)), Map.of(ticks, new OffsetAndMetadata(1))), bytes);

        assertThat(progress.provenAtPoll(acks.topic(), 0)).as("at its end").isEqualTo(1_000L);
        assertThat(progress.provenAtPoll(contacts.topic(), 0)).as("50 records behind").isEqualTo(Long.MIN_VALUE);
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
