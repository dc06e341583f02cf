package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class InputPartitionGateTest {

    private static final String[] TOPICS = {"complaints", "contacts", "acks"};
    private static final Duration GRACE = Duration.ofMillis(500);

    /** What a stream thread's consumer would say of the task's partitions, set by each test. */
    private static final class Progress implements InputProgress {
        final Set<String> caughtUp = new HashSet<>();
        final Set<String> buffered = new HashSet<>();
        final Map<String, Long> provenAtPoll = new HashMap<>();
        final List<String> started = new ArrayList<>();

        @Override
        public void started(String topic, int partition) {
            started.add(topic + "-" + partition);
        }

        @Override
        public boolean buffered(String topic, int partition) {
            return buffered.contains(topic);
        }

        @Override
        public long provenAtPoll(String topic, int partition) {
            return provenAtPoll.getOrDefault(topic, Long.MIN_VALUE);
        }

        @Override
        public void handled(String topic, int partition, long offset) {
        }

        @Override
        public boolean caughtUp(String topic, int partition, long endOffset) {
            return caughtUp.contains(topic);
        }
    }

    private static Heartbeat heartbeat(long at) {
        return new Heartbeat(at, Map.of("complaints", 10L, "contacts", 10L, "acks", 10L));
    }

    private final Progress progress = new Progress();
    private final InputPartitionGate gate = new InputPartitionGate(progress, TOPICS, GRACE);

    @Test
    void deadlinesFireNoFurtherThanTheSlowestPartitionLessTheGrace() {
        gate.start(2);
        gate.read("complaints", 10_000);
        gate.read("contacts", 12_000);
        assertThat(gate.firedUpTo(20_000)).as("acks not known yet").isEqualTo(Long.MIN_VALUE);

        gate.read("acks", 8_000);
        assertThat(gate.firedUpTo(20_000)).isEqualTo(8_000 - 500);
        assertThat(gate.firedUpTo(6_000)).as("stream time behind every partition").isEqualTo(6_000 - 500);
    }

    @Test
    void onStreamTimeAloneThePartitionsAreNotAsked() {
        InputPartitionGate ungated = new InputPartitionGate(InputProgress.STREAM_TIME, TOPICS, GRACE);
        ungated.start(0);
        assertThat(ungated.gates()).isFalse();
        assertThat(ungated.firedUpTo(20_000)).isEqualTo(19_500);
    }

    @Test
    void aHeartbeatMovesOnlyThePartitionsItProvesCaughtUp() {
        gate.start(0);
        gate.read("complaints", 1_000);
        gate.read("contacts", 1_000);
        gate.read("acks", 1_000);
        progress.caughtUp.addAll(List.of("complaints", "contacts"));

        assertThat(gate.onHeartbeat(heartbeat(30_000))).isTrue();
        assertThat(gate.firedUpTo(40_000)).as("acks still at its last record").isEqualTo(1_000 - 500);

        progress.caughtUp.add("acks");
        assertThat(gate.onHeartbeat(heartbeat(30_000))).isTrue();
        assertThat(gate.firedUpTo(40_000)).isEqualTo(30_000 - 500);
        assertThat(gate.onHeartbeat(heartbeat(30_000))).as("nothing left to move").isFalse();
    }

    @Test
    void aStartForgetsWhatTheTaskKnewAndTellsTheThread() {
        gate.start(1);
        for (String t : TOPICS) {
            gate.read(t, 5_000);
        }
        assertThat(gate.firedUpTo(9_000)).isEqualTo(4_500);

        gate.start(1);
        assertThat(gate.firedUpTo(9_000)).isEqualTo(Long.MIN_VALUE);
        assertThat(progress.started).containsExactly("complaints-1", "contacts-1", "acks-1", "complaints-1", "contacts-1", "acks-1");
    }

    @Test
    void anEventsStepCountsBufferedPartitionsAsInStepAndHeartbeatsAsSoonAsPolled() {
        gate.start(0);
        gate.read("complaints", 10_000);
        gate.chosen(10_000);
        assertThat(gate.eventsFirableUpTo(10_000)).as("contacts and acks unknown").isEqualTo(Long.MIN_VALUE);

        progress.buffered.add("contacts");
        progress.provenAtPoll.put("acks", 7_000L);
        assertThat(gate.eventsFirableUpTo(10_000)).isEqualTo(7_000 - 500);
        assertThat(gate.firedUpTo(10_000)).as("time passing keeps the strict gate").isEqualTo(Long.MIN_VALUE);
    }
}
