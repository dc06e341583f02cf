package io.casewatch.replay;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.StoreBuilder;

import io.casewatch.topology.TopologyPlan;

/**
 * Executes the part of a {@link TopologyPlan} that reads a given set of topics as one Kafka Streams task would,
 * without the Kafka Streams runtime: the same processors, stores and wiring, one record at a time. It follows what
 * TopologyTestDriver does for one task: a record is processed depth-first through its processors; stream time is the
 * largest record timestamp processed; stream-time punctuations are aligned to zero and fire after each record as
 * Kafka's punctuation queue fires them; records written to a topic the runner also reads are processed next, in
 * order. At a sink the record goes through the sink's partitioner and serialisers, as Kafka's record collector sends
 * it, and its bytes are handed over: what is handed over can no longer change. Stores must be in memory without
 * changelogs. Single-threaded; no commits, no transactions: this is for {@code replay}, where the input file is the
 * only source and the outputs are files. {@code ReplayTest} checks it writes what TopologyTestDriver writes.
 */
final class PlanRunner implements AutoCloseable {

    /** Receives what a sink writes to a topic the runner does not read, serialised, with the partitions it goes to. */
    interface Output {
        /** @param partitions the partitions the sink's partitioner chose, ascending; null: by key, as Kafka's default partitioner */
        void write(String topic, int[] partitions, byte[] key, byte[] value, long timestamp, Headers headers);
    }

    /** Kafka's default partitioner for a keyed record; -1 for a null key (the producer chooses). */
    static int partitionOf(byte[] key, int partitions) {
        return key == null ? -1 : Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    private record Metadata(String topic, int partition, long offset) implements RecordMetadata {
    }

    private static final class Schedule implements Comparable<Schedule>, Cancellable {
        final Node node;
        final long interval;
        final Punctuator punctuator;
        final long seq;
        long at;
        boolean cancelled;

        Schedule(Node node, long at, long interval, Punctuator punctuator, long seq) {
            this.node = node;
            this.at = at;
            this.interval = interval;
            this.punctuator = punctuator;
            this.seq = seq;
        }

        @Override
        public int compareTo(Schedule o) {
            return Long.compare(at, o.at);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final class Node implements ProcessorContext<Object, Object> {
        final String name;
        final Processor<Object, Object, Object, Object> processor;
        final TopologyPlan.Sink sink;
        final List<String> children = new ArrayList<>();

        Node(String name, Processor<Object, Object, Object, Object> processor, TopologyPlan.Sink sink) {
            this.name = name;
            this.processor = processor;
            this.sink = sink;
        }

        @Override
        public <K, V> void forward(Record<K, V> record) {
            for (String c : children) {
                deliver(nodes.get(c), record);
            }
        }

        @Override
        public <K, V> void forward(Record<K, V> record, String childName) {
            if (!children.contains(childName)) {
                throw new IllegalArgumentException(name + " has no child " + childName);
            }
            deliver(nodes.get(childName), record);
        }

        @Override
        public String applicationId() {
            return "casewatch-replay";
        }

        @Override
        public TaskId taskId() {
            return task;
        }

        @Override
        public Optional<RecordMetadata> recordMetadata() {
            return Optional.of(current);
        }

        @Override
        public Serde<?> keySerde() {
            return null;
        }

        @Override
        public Serde<?> valueSerde() {
            return null;
        }

        @Override
        public File stateDir() {
            return null;
        }

        @Override
        public StreamsMetrics metrics() {
            return mock.metrics();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <S extends StateStore> S getStateStore(String store) {
            S s = (S) stores.get(store);
            if (s == null) {
                throw new IllegalArgumentException("no store " + store);
            }
            return s;
        }

        @Override
        public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
            if (type != PunctuationType.STREAM_TIME) {
                throw new UnsupportedOperationException("replay has no wall clock: " + name + " asked for " + type);
            }
            Schedule s = new Schedule(this, 0L, interval.toMillis(), callback, scheduleSeq++);
            punctuations.add(s);
            return s;
        }

        @Override
        public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type, Punctuator callback) {
            throw new UnsupportedOperationException("replay has no wall clock");
        }

        @Override
        public void commit() {
            // Nothing to commit: the run is all or nothing.
        }

        @Override
        public Map<String, Object> appConfigs() {
            return Map.of();
        }

        @Override
        public Map<String, Object> appConfigsWithPrefix(String prefix) {
            return Map.of();
        }

        @Override
        public long currentSystemTimeMs() {
            return streamTime;
        }

        @Override
        public long currentStreamTimeMs() {
            return streamTime;
        }
    }

    private static final Metadata PUNCTUATION = new Metadata(null, -1, -1L);

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, TopologyPlan.Source> sourcesByTopic = new HashMap<>();
    private final Set<String> readTopics = new HashSet<>();
    private final Map<String, StateStore> stores = new LinkedHashMap<>();
    private final Map<String, Long> partitionTime = new HashMap<>();
    private final Map<String, Long> offsets = new HashMap<>();
    private final PriorityQueue<Schedule> punctuations = new PriorityQueue<>();
    private final ArrayDeque<Object[]> internal = new ArrayDeque<>();
    private final MockProcessorContext<Object, Object> mock;
    private final Output output;
    private final TaskId task;
    private final int outputPartitions;
    private long scheduleSeq;
    private long streamTime = -1L;
    private Metadata current = PUNCTUATION;

    /** The whole plan as one task. */
    PlanRunner(TopologyPlan plan, Output output) {
        this(plan, null, new TaskId(0, 0), 1, output);
    }

    /**
     * @param topics           the topics this task reads (null: every topic the plan reads): only the sources of these
     *                         and what descends from them are built
     * @param outputPartitions how many partitions each topic written to has, for the sinks' partitioners
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    PlanRunner(TopologyPlan plan, Set<String> topics, TaskId task, int outputPartitions, Output output) {
        this.output = output;
        this.task = task;
        this.outputPartitions = outputPartitions;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay:9092");
        // As run sets it (Kafka 5.0's default); left unset, every store context logged a warning.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        this.mock = new MockProcessorContext<>(props, task, null);
        List<Node> processors = new ArrayList<>();
        for (Object n : plan.nodes()) {
            if (n instanceof TopologyPlan.Source s) {
                if (topics == null || topics.contains(s.topic())) {
                    sourcesByTopic.put(s.topic(), s);
                    readTopics.add(s.topic());
                    nodes.put(s.name(), new Node(s.name(), null, null));
                }
            } else if (n instanceof TopologyPlan.Processor p) {
                List<String> parents = built(p.parents());
                if (parents.isEmpty()) {
                    continue;
                }
                Node node = new Node(p.name(), (Processor) p.supplier().get(), null);
                nodes.put(p.name(), node);
                processors.add(node);
                Set<StoreBuilder<?>> builders = p.supplier().stores();
                if (builders != null) {
                    for (StoreBuilder<?> b : builders) {
                        if (b.loggingEnabled()) {
                            throw new IllegalArgumentException("store " + b.name() + " keeps a changelog: replay needs in-memory stores");
                        }
                        StateStore store = b.build();
                        store.init(mock.getStateStoreContext(), store);
                        stores.put(b.name(), store);
                    }
                }
                for (String parent : parents) {
                    nodes.get(parent).children.add(p.name());
                }
            } else if (n instanceof TopologyPlan.Sink k) {
                List<String> parents = built(k.parents());
                if (parents.isEmpty()) {
                    continue;
                }
                nodes.put(k.name(), new Node(k.name(), null, k));
                for (String parent : parents) {
                    nodes.get(parent).children.add(k.name());
                }
            }
        }
        for (Node p : processors) {
            p.processor.init(p);
        }
    }

    private List<String> built(List<String> parents) {
        List<String> b = new ArrayList<>(parents.size());
        for (String p : parents) {
            if (nodes.containsKey(p)) {
                b.add(p);
            }
        }
        return b;
    }

    /** The largest record timestamp processed so far; -1 before the first. */
    long streamTime() {
        return streamTime;
    }

    /** Processes one input record and everything it causes, as the test driver's {@code pipeInput} does. */
    void pipe(String topic, byte[] key, byte[] value, long timestamp, Headers headers) {
        enqueue(topic, key, value, timestamp, headers, true);
        drain();
    }

    private void enqueue(String topic, Object key, Object value, long timestamp, Headers headers, boolean serialized) {
        internal.add(new Object[] {topic, key, value, timestamp, headers, serialized});
    }

    private void drain() {
        while (!internal.isEmpty()) {
            Object[] r = internal.poll();
            process((String) r[0], r[1], r[2], (Long) r[3], (Headers) r[4], (Boolean) r[5]);
            maybePunctuate();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void process(String topic, Object key, Object value, long timestamp, Headers headers, boolean serialized) {
        TopologyPlan.Source source = sourcesByTopic.get(topic);
        if (source == null) {
            throw new IllegalArgumentException("the plan reads no topic " + topic);
        }
        long offset = offsets.merge(topic, 1L, Long::sum) - 1;
        Object k = serialized && key != null ? ((Deserializer) source.keys()).deserialize(topic, headers, (byte[]) key) : key;
        Object v = serialized && value != null ? ((Deserializer) source.values()).deserialize(topic, headers, (byte[]) value) : value;
        long ts = timestamp;
        if (source.timestamps() != null) {
            long pt = partitionTime.getOrDefault(topic, -1L);
            ts = source.timestamps().extract(new ConsumerRecord<>(topic, task.partition(), offset, timestamp, TimestampType.CREATE_TIME,
                    ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, k, v, headers, Optional.empty()), pt);
        }
        if (ts < 0) {
            // Kafka Streams skips a record whose timestamp is invalid (counted in its skipped-records metric).
            return;
        }
        partitionTime.merge(topic, ts, Math::max);
        streamTime = Math.max(streamTime, ts);
        current = new Metadata(topic, task.partition(), offset);
        Node node = nodes.get(source.name());
        node.forward(new Record<>(k, v, ts, headers));
        current = PUNCTUATION;
    }

    private void maybePunctuate() {
        if (streamTime < 0) {
            return;
        }
        Schedule top = punctuations.peek();
        while (top != null && top.at <= streamTime) {
            punctuations.poll();
            if (!top.cancelled) {
                current = PUNCTUATION;
                top.punctuator.punctuate(streamTime);
                if (!top.cancelled) {
                    long next = top.at + top.interval;
                    if (streamTime >= next) {
                        next = top.at + ((streamTime - top.at) / top.interval + 1) * top.interval;
                    }
                    top.at = next;
                    punctuations.add(top);
                }
            }
            top = punctuations.peek();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void deliver(Node node, Record<?, ?> record) {
        if (node.processor != null) {
            Record<Object, Object> r = (Record<Object, Object>) record;
            node.processor.process(r);
        } else if (node.sink != null) {
            String topic = node.sink.topic();
            Headers headers = new RecordHeaders(record.headers().toArray());
            byte[] key = ((Serializer) node.sink.keys()).serialize(topic, headers, record.key());
            byte[] value = ((Serializer) node.sink.values()).serialize(topic, headers, record.value());
            if (readTopics.contains(topic)) {
                // The same record goes through a topic this task reads: it is processed after the current one.
                enqueue(topic, key, value, record.timestamp(), headers, true);
            } else {
                output.write(topic, partitions(node.sink, topic, record), key, value, record.timestamp(), headers);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private int[] partitions(TopologyPlan.Sink sink, String topic, Record<?, ?> record) {
        if (sink.partitioner() == null) {
            return null;
        }
        Optional<Set<Integer>> chosen = ((StreamPartitioner) sink.partitioner())
                .partitions(topic, record.key(), record.value(), outputPartitions);
        if (chosen.isEmpty()) {
            return null;
        }
        return chosen.get().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    @Override
    public void close() {
        for (Node n : nodes.values()) {
            if (n.processor != null) {
                n.processor.close();
            }
        }
        for (StateStore s : stores.values()) {
            s.close();
        }
    }
}
