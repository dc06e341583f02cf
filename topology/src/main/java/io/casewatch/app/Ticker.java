package io.casewatch.app;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a heartbeat to every partition of the ticks topic at a fixed interval, stamped with the clock's time. The
 * heartbeats move stream time when no events arrive, so deadlines fire on time in quiet periods; because they are
 * appended after everything already in the topics, a backlog is always processed before the heartbeat that
 * follows it (docs/time.md).
 */
public final class Ticker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);
    private static final byte[] TICK_KEY = "tick".getBytes(StandardCharsets.UTF_8);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;
    private final Clock clock;
    private final ScheduledExecutorService executor;

    public Ticker(Producer<byte[], byte[]> producer, String topic, int partitions, Clock clock, Duration interval) {
        this.producer = producer;
        this.topic = topic;
        this.partitions = partitions;
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "casewatch-ticker");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            long now = clock.millis();
            for (int p = 0; p < partitions; p++) {
                RecordHeaders h = new RecordHeaders();
                h.add("casewatch.tick", TICK_KEY);
                producer.send(new ProducerRecord<>(topic, p, now, TICK_KEY, new byte[0], h));
            }
            producer.flush();
        } catch (RuntimeException e) {
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
    }
}
