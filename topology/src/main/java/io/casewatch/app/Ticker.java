package io.casewatch.app;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
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
    private final Consumer<Exception> onRefused;
    private final AtomicBoolean refused = new AtomicBoolean();

    /**
     * @param onRefused told once when the cluster refuses the heartbeats for good (no permission, failed login):
     *                  without them deadlines of quiet cases never fire, so this is the pipeline's failure, not a
     *                  warning to repeat four times a second
     */
    public Ticker(Producer<byte[], byte[]> producer, String topic, int partitions, Clock clock, Duration interval,
            Consumer<Exception> onRefused) {
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
            long now = clock.millis();
            for (int p = 0; p < partitions; p++) {
                RecordHeaders h = new RecordHeaders();
                h.add("casewatch.tick", TICK_KEY);
                // The send's outcome arrives here, not from send() or flush(): a refused heartbeat is otherwise silent.
                producer.send(new ProducerRecord<>(topic, p, now, TICK_KEY, new byte[0], h), (metadata, error) -> {
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
    }
}
