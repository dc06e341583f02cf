package io.casewatch.topology;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Record timestamps drive stream time, and stream time fires deadlines: one record stamped in the far future would
 * fire every pending deadline at once. This extractor keeps such a record (and one stamped before 2000 or negative,
 * which Kafka Streams would otherwise drop silently) from moving stream time, by giving it the partition's current
 * time; the intake then dead-letters it as out of range.
 */
public final class GuardedTimestampExtractor implements TimestampExtractor {

    static final long YEAR_2000 = 946_684_800_000L;
    private final long maxFutureMillis;

    public GuardedTimestampExtractor(Duration maxFuture) {
        this.maxFutureMillis = maxFuture.toMillis();
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long ts = record.timestamp();
        long fallback = Math.max(partitionTime, 0L);
        if (ts < YEAR_2000) {
            return fallback;
        }
        long reference = partitionTime >= 0 ? partitionTime : System.currentTimeMillis();
        if (ts > reference + maxFutureMillis) {
            return fallback;
        }
        return ts;
    }
}
