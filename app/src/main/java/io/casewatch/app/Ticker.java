package io.casewatch.app;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.casewatch.topology.Heartbeat;

/**
 * Writes a heartbeat to every partition of the ticks topic at a fixed interval, stamped with the clock's time. The
 * heartbeats move stream time when no events arrive, so deadlines fire on time in quiet periods. Each carries the
 * end offsets, read after its time was taken, of the input partitions of the same number: a task that has handled
 * everything below them knows that partition has nothing older than the heartbeat left to bring, save events
 * produced later than the grace after their own time (docs/time.md, "Deadlines safe by construction").
 */
public final class Ticker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);
    private static final byte[] TICK_KEY = "tick".getBytes(StandardCharsets.UTF_8);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Consumer<Exception> onRefused;
    private final AtomicBoolean refused = new AtomicBoolean();
    /** Reads the input partitions' end offsets (read_committed: the last stable offsets); null: heartbeats without. */
    private final Admin offsets;
    private final List<String> inputTopics;
    private final AtomicBoolean offsetsFailing = new AtomicBoolean();

    /**
     * @param onRefused told once when the cluster refuses the heartbeats for good (no permission, failed login):
     *                  without them deadlines of quiet cases never fire, so this is the pipeline's failure, not a
     *                  warning to repeat four times a second
     */
    public Ticker(Producer<byte[], byte[]> producer, String topic, int partitions, Clock clock, Duration interval,
            Consumer<Exception> onRefused) {
        this(producer, topic, partitions, clock, interval, onRefused, null, List.of());
    }

    /**
     * @param offsets     reads the end offsets of {@code inputTopics}; closed with the ticker
     */
    public Ticker(Producer<byte[], byte[]> producer, String topic, int partitions, Clock clock, Duration interval,
            Consumer<Exception> onRefused, Admin offsets, List<String> inputTopics) {
        this.offsets = offsets;
        this.inputTopics = List.copyOf(inputTopics);
        this.producer = producer;
        this.topic = topic;
        this.partitions = partitions;
        this.clock = clock;
        this.onRefused = onRefused;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "casewatch-ticker");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            // The time first, then the offsets: whatever is appended after they were read came after this instant.
            long now = clock.millis();
            Map<TopicPartition, Long> ends = endOffsets();
            for (int p = 0; p < partitions; p++) {
                RecordHeaders h = new RecordHeaders();
                h.add("casewatch.tick", TICK_KEY);
                Map<String, Long> mine = new LinkedHashMap<>();
                for (String t : inputTopics) {
                    Long end = ends.get(new TopicPartition(t, p));
                    if (end != null) {
                        mine.put(t, end);
                    }
                }
                // The send's outcome arrives here, not from send() or flush(): a refused heartbeat is otherwise silent.
                producer.send(new ProducerRecord<>(topic, p, now, TICK_KEY, Heartbeat.encode(mine), h), (metadata, error) -> {
                    if (error != null) {
                        failed(error);
                    }
                });
            }
            producer.flush();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** The input partitions' end offsets; none when they cannot be read now (the heartbeat then proves nothing). */
    private Map<TopicPartition, Long> endOffsets() {
        if (offsets == null || inputTopics.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        for (String t : inputTopics) {
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(t, p), OffsetSpec.latest());
            }
        }
        try {
            Map<TopicPartition, Long> ends = new LinkedHashMap<>();
            offsets.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(1, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            if (offsetsFailing.compareAndSet(true, false)) {
                LOG.info("input end offsets readable again: heartbeats prove caught-up partitions again");
            }
            return ends;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (Exception e) {
            if (offsetsFailing.compareAndSet(false, true)) {
                LOG.warn("cannot read the input partitions' end offsets ({}): deadlines of quiet partitions wait until they can", e.toString());
            }
            return Map.of();
        }
    }

    private void failed(Exception e) {
        if (e instanceof AuthorizationException || e instanceof AuthenticationException) {
            if (refused.compareAndSet(false, true)) {
                onRefused.accept(e);
            }
        } else if (!refused.get()) {
            LOG.warn("tick failed (deadlines wait for the next one): {}", e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        if (offsets != null) {
            offsets.close(Duration.ofSeconds(5));
        }
    }
}
