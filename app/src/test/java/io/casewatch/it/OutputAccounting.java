package io.casewatch.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.topology.DeadLetters;

/**
 * Issue 18, item 2: every input record accounted for <em>from the outputs alone</em>, read {@code read_committed}:
 * per input partition number <i>p</i> (partition <i>p</i> of the complaints, contacts and acks topics, which task
 * <i>p</i> reads), {@code records in = applied + duplicates + dead-lettered}, where applied and duplicates are the
 * {@code eventsApplied} and {@code duplicatesIgnored} of the latest status of every case whose records are on
 * <i>p</i>, and dead-lettered the dead letters whose source is partition <i>p</i> of an input topic.
 *
 * <p>Nothing here asks the application: in-process counters count again when a transaction is retried, and an
 * instance's counters die with it; the committed outputs are what a compliance user can audit after any fault.
 * Reads are incremental (each {@link #figures()} reads what was appended since the last), so a large backlog is
 * read once.
 */
final class OutputAccounting implements AutoCloseable {

    /** The figures per input partition number, and what the dead letters say. */
    record Figures(Map<Integer, Long> in, Map<Integer, Long> applied, Map<Integer, Long> duplicates, Map<Integer, Long> deadLettered,
            Map<String, Long> deadLetterReasons, long otherDeadLetters, Map<String, CaseStatus> statuses) {

        /** Per partition: records in less (applied + duplicates + dead-lettered); empty when every record is accounted for. */
        Map<Integer, Long> unexplained() {
            Map<Integer, Long> out = new TreeMap<>();
            for (Integer p : in.keySet()) {
                long d = in.get(p) - applied.getOrDefault(p, 0L) - duplicates.getOrDefault(p, 0L) - deadLettered.getOrDefault(p, 0L);
                if (d != 0) {
                    out.put(p, d);
                }
            }
            return out;
        }

        boolean balanced() {
            return unexplained().isEmpty();
        }

        long totalIn() {
            return in.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public String toString() {
            return "in " + in + ", applied " + applied + ", duplicates " + duplicates + ", dead-lettered " + deadLettered + " "
                    + deadLetterReasons + (otherDeadLetters > 0 ? ", dead letters of other topics " + otherDeadLetters : "")
                    + ", unexplained " + unexplained();
        }
    }

    private final int partitions;
    private final List<String> inputTopics = List.of(ItSupport.TOPICS.complaints().name(), ItSupport.TOPICS.contacts().name(),
            ItSupport.TOPICS.acks().name());
    private final KafkaConsumer<byte[], byte[]> inputs;
    private final KafkaConsumer<byte[], byte[]> status;
    private final KafkaConsumer<byte[], byte[]> dlq;
    private final Map<Integer, Long> in = new TreeMap<>();
    private final Map<String, CaseStatus> latest = new HashMap<>();
    private final Map<Integer, Long> deadLettered = new TreeMap<>();
    private final Map<String, Long> reasons = new TreeMap<>();
    private long otherDeadLetters;

    OutputAccounting(String bootstrapServers, Map<String, String> clientSecurity, int partitions) {
        this.partitions = partitions;
        inputs = consumer(bootstrapServers, clientSecurity);
        status = consumer(bootstrapServers, clientSecurity);
        dlq = consumer(bootstrapServers, clientSecurity);
        assign(inputs, inputTopics);
        assign(status, List.of(ItSupport.TOPICS.status().name()));
        assign(dlq, List.of(ItSupport.TOPICS.deadLetters().name()));
    }

    OutputAccounting(String bootstrapServers, int partitions) {
        this(bootstrapServers, Map.of(), partitions);
    }

    /** The figures as of now: everything committed to the inputs, the statuses and the dead letters so far. */
    synchronized Figures figures() {
        drain(inputs, r -> in.merge(r.partition(), 1L, Long::sum));
        drain(status, r -> {
            String caseId = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                latest.remove(caseId);
            } else {
                latest.put(caseId, RecordSerdes.CASE_STATUS.deserializer().deserialize(r.topic(), r.value()));
            }
        });
        drain(dlq, r -> {
            String topic = header(r, DeadLetters.TOPIC);
            String partition = header(r, DeadLetters.PARTITION);
            if (topic != null && inputTopics.contains(topic) && partition != null) {
                deadLettered.merge(Integer.parseInt(partition), 1L, Long::sum);
                reasons.merge(String.valueOf(header(r, DeadLetters.REASON)), 1L, Long::sum);
            } else {
                otherDeadLetters++;
            }
        });
        Map<Integer, Long> applied = new TreeMap<>();
        Map<Integer, Long> duplicates = new TreeMap<>();
        for (CaseStatus s : latest.values()) {
            int p = partitionOf(s.getCaseId());
            applied.merge(p, s.getEventsApplied(), Long::sum);
            duplicates.merge(p, s.getDuplicatesIgnored(), Long::sum);
        }
        Map<Integer, Long> inCopy = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            inCopy.put(p, in.getOrDefault(p, 0L));
        }
        return new Figures(inCopy, applied, duplicates, new TreeMap<>(deadLettered), new TreeMap<>(reasons), otherDeadLetters,
                Map.copyOf(latest));
    }

    /**
     * Waits until every record is accounted for (statuses are coalesced over {@code casewatch.status.interval}, so
     * the last ones follow the last record by up to that interval and a commit) and returns the figures; returns the
     * last figures read after {@code max}, for the caller's assertion to show what is missing.
     */
    Figures awaitBalanced(Duration max) {
        Figures[] last = {null};
        ItSupport.awaitUpTo(max, () -> {
            last[0] = figures();
            return last[0].balanced() && last[0].totalIn() > 0;
        });
        return last[0];
    }

    /** The input partition of a case's records: the producers' default partitioner over the caseId key. */
    int partitionOf(String caseId) {
        return Utils.toPositive(Utils.murmur2(caseId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static void drain(KafkaConsumer<byte[], byte[]> c, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<TopicPartition, Long> ends = c.endOffsets(c.assignment(), Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // read_committed: the end offsets are the last stable offsets, and the position steps over transaction markers.
        while (ends.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read up to " + ends);
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                each.accept(r);
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, Map<String, String> clientSecurity) {
        Properties p = new Properties();
        p.putAll(clientSecurity);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void assign(KafkaConsumer<byte[], byte[]> c, List<String> topics) {
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : topics) {
            c.partitionsFor(t, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        }
        c.assign(parts);
        c.seekToBeginning(parts);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        inputs.close();
        status.close();
        dlq.close();
    }
}
