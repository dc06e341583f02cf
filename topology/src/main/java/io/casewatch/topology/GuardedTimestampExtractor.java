package io.casewatch.topology;

import java.time.Clock;
import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Record timestamps drive stream time, and stream time fires deadlines: one record stamped in the far future would
 * fire every pending deadline at once. This extractor keeps such a record (and one stamped before 2000 or negative,
 * which Kafka Streams would otherwise drop silently) from moving stream time, by giving it the partition's current
 * time; the intake then dead-letters it as out of range. "Future" is judged against the deployment's clock; replay
 * has none (the input file is the only time there is), so there only the lower bound applies.
 */
public final class GuardedTimestampExtractor implements TimestampExtractor {

    static final long YEAR_2000 = 946_684_800_000L;
    private final long maxFutureMillis;
    private final Clock clock;

    /** @param clock the deployment's clock, or null in replay */
    public GuardedTimestampExtractor(Duration maxFuture, Clock clock) {
        this.maxFutureMillis = maxFuture.toMillis();
        this.clock = clock;
    }

    static boolean inRange(long ts, Clock clock, long maxFutureMillis) {
        return ts >= YEAR_2000 && (clock == null || ts <= clock.millis() + maxFutureMillis);
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long ts = record.timestamp();
        return inRange(ts, clock, maxFutureMillis) ? ts : Math.max(partitionTime, 0L);
    }
}
