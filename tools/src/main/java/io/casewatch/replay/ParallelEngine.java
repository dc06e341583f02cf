package io.casewatch.replay;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.TaskId;

import io.casewatch.topology.DeadLetters;
import io.casewatch.topology.TopologyPlan;

/**
 * Replays the plan as a deployment with {@code partitions} partitions runs it: each case partition's task on its own
 * thread, the merchant statistics' tasks behind them. Events go to the case partition Kafka's default partitioner
 * gives their key, in file order. What the case tasks write is merged in a fixed order and the merchant facts in it
 * go to the statistics' task of the partition the facts sink's partitioner chose.
 *
 * <p>The order is fixed by the input alone: the input is cut into chunks of lines; every case task hands over what it
 * wrote for each chunk (possibly nothing), and the chunk's outputs are merged by (timestamp, case partition), each
 * task's own outputs staying in the order written. With one partition that is the order the single task wrote. The
 * statistics' tasks all run on the merging thread, in that order: the KLL sketches draw their coin flips from one
 * generator shared by the library, so one thread and one order is what keeps their figures the same run after run.
 */
final class ParallelEngine implements Replay.Engine {

    private static final int QUEUE_CHUNKS = 4;
    private static final long CHECK_MILLIS = 100;

    /** One output record, serialised as the sink wrote it. */
    record Written(String topic, int[] partitions, byte[] key, byte[] value, long timestamp, Header[] headers, long line) {
    }

    /** A bad input line, dead-lettered in its place in partition 0's output. */
    record BadLine(long line, String error, String raw, long timestamp) {
    }

    /** What a case task wrote for one chunk of input, in the order written. */
    private record Batch(List<Object> written, boolean last) {
    }

    /** A case partition's share of one chunk of input. */
    private record Share(List<Object> items, long endAt) {
        static final long NOT_LAST = Long.MIN_VALUE;

        boolean last() {
            return endAt != NOT_LAST;
        }
    }

    private final int partitions;
    private final Replay.Outputs out;
    private final String ticksTopic;
    private final String factsTopic;
    private final String dlqTopic;
    private final Worker[] workers;
    private final PlanRunner[] stats;
    private final Thread merger;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private List<Object>[] shares;
    private long maxTimestamp = Long.MIN_VALUE;
    private boolean ended;

    @SuppressWarnings("unchecked")
    ParallelEngine(TopologyPlan plan, String factsTopic, String ticksTopic, String dlqTopic, int partitions, Replay.Outputs out) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
        }
        this.partitions = partitions;
        this.out = out;
        this.ticksTopic = ticksTopic;
        this.factsTopic = factsTopic;
        this.dlqTopic = dlqTopic;
        Set<String> caseTopics = new HashSet<>();
        for (Object n : plan.nodes()) {
            if (n instanceof TopologyPlan.Source s && !s.topic().equals(factsTopic)) {
                caseTopics.add(s.topic());
            }
        }
        workers = new Worker[partitions];
        for (int p = 0; p < partitions; p++) {
            workers[p] = new Worker(p, plan, caseTopics);
        }
        stats = new PlanRunner[partitions];
        for (int q = 0; q < partitions; q++) {
            stats[q] = new PlanRunner(plan, Set.of(factsTopic), new TaskId(1, q), partitions,
                    (topic, parts, key, value, timestamp, headers) -> {
                        try {
                            out.record(topic, value);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        shares = newShares();
        for (Worker w : workers) {
            w.thread.start();
        }
        merger = new Thread(this::merge, "replay-merge");
        merger.setDaemon(true);
        merger.start();
    }

    @SuppressWarnings("unchecked")
    private List<Object>[] newShares() {
        List<Object>[] s = new List[partitions];
        for (int p = 0; p < partitions; p++) {
            s[p] = new ArrayList<>();
        }
        return s;
    }

    @Override
    public void pipe(long line, String topic, byte[] key, byte[] value, long timestamp) {
        int p = key == null ? 0 : PlanRunner.partitionOf(key, partitions);
        shares[p].add(new Replay.Event(line, topic, key, value, timestamp));
        maxTimestamp = Math.max(maxTimestamp, timestamp);
    }

    @Override
    public void badLine(long line, String error, String raw) {
        shares[0].add(new BadLine(line, error, raw, -1L));
    }

    @Override
    public void endOfChunk() throws IOException {
        hand(shares, Share.NOT_LAST);
        shares = newShares();
    }

    private void hand(List<Object>[] s, long endAt) throws IOException {
        for (int p = 0; p < partitions; p++) {
            put(workers[p].in, new Share(s[p], endAt));
        }
    }

    /**
     * Every case task is moved to {@code until} (or, without it, to the last event's time: each partition's clocks
     * then stand where one task's would after the whole file, whatever the partition count) and the run is finished.
     */
    @Override
    public void end(Long until) throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        long at = until != null ? until : maxTimestamp;
        hand(shares, at == Long.MIN_VALUE ? -1L : at);
        join(merger);
        for (Worker w : workers) {
            join(w.thread);
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("replay failed: " + t, t);
        }
    }

    private void join(Thread t) throws IOException {
        try {
            while (t.isAlive()) {
                t.join(CHECK_MILLIS);
                if (failure.get() != null && t.isAlive()) {
                    t.interrupt();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("replay: interrupted while waiting for its tasks");
        }
    }

    private <T> void put(BlockingQueue<T> q, T item) throws IOException {
        try {
            while (!q.offer(item, CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("replay: interrupted while handing events to its tasks");
        }
        rethrow();
    }

    private void rethrow() throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("replay failed: " + t, t);
        }
    }

    private void fail(Throwable t) {
        failure.compareAndSet(null, t);
    }

    /** The merging thread: each chunk's batches from every case task, merged, the facts run through the statistics. */
    private void merge() {
        try {
            Batch[] b = new Batch[partitions];
            int[] at = new int[partitions];
            while (true) {
                boolean last = true;
                for (int p = 0; p < partitions; p++) {
                    b[p] = take(workers[p].out);
                    at[p] = 0;
                    last &= b[p].last();
                }
                while (true) {
                    int pick = -1;
                    long pickTs = 0;
                    for (int p = 0; p < partitions; p++) {
                        if (at[p] < b[p].written().size()) {
                            long ts = timestamp(b[p].written().get(at[p]));
                            if (pick < 0 || ts < pickTs) {
                                pick = p;
                                pickTs = ts;
                            }
                        }
                    }
                    if (pick < 0) {
                        break;
                    }
                    emit(b[pick].written().get(at[pick]++));
                }
                if (last) {
                    break;
                }
            }
            for (PlanRunner s : stats) {
                s.close();
            }
        } catch (InterruptedException e) {
            // Stopped because a task failed: the failure is reported, not this.
        } catch (Throwable t) {
            fail(t);
        }
    }

    private static long timestamp(Object o) {
        return o instanceof Written w ? w.timestamp() : ((BadLine) o).timestamp();
    }

    private void emit(Object o) throws IOException {
        if (o instanceof BadLine bad) {
            out.badLine(bad.line(), bad.error(), bad.raw());
            return;
        }
        Written w = (Written) o;
        if (w.topic().equals(factsTopic)) {
            if (w.partitions() == null) {
                stats[PlanRunner.partitionOf(w.key(), partitions)].pipe(w.topic(), w.key(), w.value(), w.timestamp(),
                        new RecordHeaders(w.headers()));
            } else {
                for (int q : w.partitions()) {
                    stats[q].pipe(w.topic(), w.key(), w.value(), w.timestamp(), new RecordHeaders(w.headers()));
                }
            }
        } else if (w.topic().equals(dlqTopic)) {
            out.deadLetter(w.key(), w.value(), w.headers(), w.line() < 0 ? null : w.line());
        } else {
            out.record(w.topic(), w.value());
        }
    }

    private <T> T take(BlockingQueue<T> q) throws InterruptedException, IOException {
        T t;
        while ((t = q.poll(CHECK_MILLIS, TimeUnit.MILLISECONDS)) == null) {
            rethrow();
        }
        return t;
    }

    @Override
    public void close() throws IOException {
        if (!ended) {
            // Given up half way (a failure elsewhere): stop the threads, the outputs are incomplete anyway.
            fail(new IllegalStateException("replay closed before its end"));
        }
        for (Worker w : workers) {
            w.thread.interrupt();
        }
        merger.interrupt();
    }

    /** One case partition's task, on its own thread. */
    private final class Worker implements Runnable {
        final int partition;
        final BlockingQueue<Share> in = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
        final BlockingQueue<Batch> out = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
        final Thread thread;
        final LineBook lines = new LineBook();
        final PlanRunner runner;
        List<Object> written = new ArrayList<>();

        Worker(int partition, TopologyPlan plan, Set<String> topics) {
            this.partition = partition;
            this.runner = new PlanRunner(plan, topics, new TaskId(0, partition), partitions, (topic, parts, key, value, timestamp, headers) -> {
                Header[] hs = headers.toArray();
                written.add(new Written(topic, parts, key, value, timestamp, hs, topic.equals(dlqTopic) ? lines.lineOf(hs) : -1L));
            });
            this.thread = new Thread(this, "replay-partition-" + partition);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Share s = take(in);
                    for (Object item : s.items()) {
                        if (item instanceof Replay.Event e) {
                            lines.add(e.topic(), e.line());
                            runner.pipe(e.topic(), e.key(), e.value(), e.timestamp(), new RecordHeaders());
                        } else {
                            BadLine b = (BadLine) item;
                            written.add(new BadLine(b.line(), b.error(), b.raw(), runner.streamTime()));
                        }
                    }
                    if (s.last()) {
                        long end = Math.max(0L, s.endAt());
                        runner.pipe(ticksTopic, Replay.TICK_KEY, new byte[0], end, Replay.tickHeaders());
                        runner.pipe(ticksTopic, Replay.TICK_KEY, new byte[0], end, Replay.endHeaders());
                    }
                    List<Object> w = written;
                    written = new ArrayList<>();
                    ParallelEngine.this.put(out, new Batch(w, s.last()));
                    if (s.last()) {
                        runner.close();
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // Stopped because another part failed.
            } catch (Throwable t) {
                fail(t);
            }
        }
    }

    /** Per input topic, the file line of each offset of this partition: dead letters name the line they came from. */
    static final class LineBook {
        private final Map<String, long[]> lines = new HashMap<>();
        private final Map<String, Integer> sizes = new HashMap<>();

        void add(String topic, long line) {
            long[] l = lines.computeIfAbsent(topic, t -> new long[1024]);
            int n = sizes.getOrDefault(topic, 0);
            if (n == l.length) {
                l = Arrays.copyOf(l, l.length * 2);
                lines.put(topic, l);
            }
            l[n] = line;
            sizes.put(topic, n + 1);
        }

        /** The line of the record a dead letter's headers name; -1 if it names none of this book's. */
        long lineOf(Header[] headers) {
            String topic = Replay.Outputs.header(headers, DeadLetters.TOPIC);
            String offset = Replay.Outputs.header(headers, DeadLetters.OFFSET);
            if (topic == null || offset == null) {
                return -1L;
            }
            long[] l = lines.get(topic);
            long o = Long.parseLong(offset);
            return l == null || o < 0 || o >= sizes.get(topic) ? -1L : l[(int) o];
        }
    }
}
