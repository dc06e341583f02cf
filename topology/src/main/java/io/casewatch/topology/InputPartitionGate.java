package io.casewatch.topology;

import java.time.Duration;
import java.util.Arrays;

/**
 * How far a case task's deadlines may fire: no further than every input partition of the task (complaints, contacts,
 * acks) is known to have got, less the grace, so that an event still unread on one partition cannot miss a deadline
 * that another partition's traffic or a heartbeat has passed (docs/time.md, "Deadlines safe by construction").
 * A partition gets as far as its latest record, or a heartbeat's time once the heartbeat proved it caught up. In
 * memory, per task: after a start, the first heartbeats prove the partitions again.
 */
final class InputPartitionGate {

    private final InputProgress progress;
    private final String[] topics;
    private final long graceMs;
    private final long[] inputTime;
    private int partition;
    /** The timestamp of the latest record of the task's inputs processed here. */
    private long lastChosen = Long.MIN_VALUE;

    /** @param topics the task's input topics, in the order complaints, contacts, acks */
    InputPartitionGate(InputProgress progress, String[] topics, Duration grace) {
        this.progress = progress;
        this.topics = topics.clone();
        this.graceMs = grace.toMillis();
        this.inputTime = new long[topics.length];
        Arrays.fill(inputTime, Long.MIN_VALUE);
    }

    /** Whether deadlines wait for the partitions at all ({@link InputProgress#STREAM_TIME}: they follow stream time). */
    boolean gates() {
        return progress.gatesDeadlines();
    }

    /** The task starts (or starts again) on {@code partition}: nothing is known of its inputs yet. */
    void start(int partition) {
        this.partition = partition;
        Arrays.fill(inputTime, Long.MIN_VALUE);
        lastChosen = Long.MIN_VALUE;
        for (String topic : topics) {
            progress.started(topic, partition);
        }
    }

    /** Kafka Streams chose a record stamped {@code timestamp} (an event or a heartbeat) as the task's next. */
    void chosen(long timestamp) {
        lastChosen = timestamp;
    }

    /** An event of {@code topic} stamped {@code timestamp} was read. */
    void read(String topic, long timestamp) {
        for (int i = 0; i < topics.length; i++) {
            if (topics[i].equals(topic)) {
                inputTime[i] = Math.max(inputTime[i], timestamp);
                return;
            }
        }
    }

    /** Moves each partition the heartbeat proves caught up to the heartbeat's time; true when one moved. */
    boolean onHeartbeat(Heartbeat h) {
        boolean moved = false;
        for (int i = 0; i < topics.length; i++) {
            Long end = h.endOffsets().get(topics[i]);
            if (end != null && h.at() > inputTime[i] && progress.caughtUp(topics[i], partition, end)) {
                inputTime[i] = h.at();
                moved = true;
            }
        }
        return moved;
    }

    /**
     * How far deadlines may fire by time passing, given stream time {@code t}: {@code t} less the grace, and, when
     * deadlines are gated, no further than every input partition is known to have got; {@link Long#MIN_VALUE} while
     * one is not known yet.
     */
    long firedUpTo(long t) {
        long upTo = t;
        if (progress.gatesDeadlines()) {
            for (long i : inputTime) {
                upTo = Math.min(upTo, i);
            }
        }
        return upTo == Long.MIN_VALUE ? Long.MIN_VALUE : upTo - graceMs;
    }

    /**
     * {@link #firedUpTo} for an event's own step, where a heartbeat proves a partition as soon as a poll returned it
     * ({@link #provenTime}), and a partition with records buffered is in step with the latest record the task chose.
     * What holds an event back is a partition with nothing buffered and nothing proven: one that lags (after a
     * failover, a fetch behind the others). Deadlines fired by time passing keep the strict gate.
     */
    long eventsFirableUpTo(long t) {
        long upTo = t;
        for (int i = 0; i < topics.length; i++) {
            // A partition with records still buffered: Kafka Streams chose the latest record over its next one, which
            // is stamped no earlier (its choice goes by the heads' timestamps).
            upTo = Math.min(upTo, progress.buffered(topics[i], partition) ? Math.max(provenTime(i), lastChosen) : provenTime(i));
        }
        return upTo == Long.MIN_VALUE ? Long.MIN_VALUE : upTo - graceMs;
    }

    /**
     * How far input partition {@code i} is known to have got for an event's own step: its records, or a heartbeat's
     * proof, taken as soon as a poll returned the heartbeat. Deadlines fired by time passing count only heartbeats
     * the task has read in time order: while a backlog is read they wait for it, and fire in bulk when it is done,
     * which costs far fewer writes (firing them as the backlog is read: 3.56 records per event against 3.01 and
     * half again the stream thread's CPU, docs/benchmarks.md).
     */
    private long provenTime(int i) {
        return Math.max(inputTime[i], progress.provenAtPoll(topics[i], partition));
    }
}
