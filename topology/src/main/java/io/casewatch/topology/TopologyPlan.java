package io.casewatch.topology;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * The casewatch topology as plain data: its sources, processors and sinks in the order they are added, each with
 * what Kafka Streams needs to build it. {@link #toTopology()} gives the Kafka Streams {@link Topology} that
 * {@code run} executes; {@code replay} may walk the same plan with its own single-task runner, so both execute the
 * very same processors, stores and wiring.
 */
public final class TopologyPlan {

    /** A source: records of {@code topic}, deserialised, stamped by {@code timestamps} (null: the record's own). */
    public record Source(String name, String topic, Topology.AutoOffsetReset reset, TimestampExtractor timestamps,
            Deserializer<?> keys, Deserializer<?> values) {
    }

    /** A processor and the nodes it reads from. */
    public record Processor(String name, ProcessorSupplier<?, ?, ?, ?> supplier, List<String> parents) {
    }

    /** A sink writing to {@code topic}; {@code partitioner} null means partitioning by key. */
    public record Sink(String name, String topic, Serializer<?> keys, Serializer<?> values, StreamPartitioner<?, ?> partitioner,
            List<String> parents) {
    }

    private final List<Object> nodes = new ArrayList<>();

    TopologyPlan source(String name, String topic, Topology.AutoOffsetReset reset, TimestampExtractor timestamps,
            Deserializer<?> keys, Deserializer<?> values) {
        nodes.add(new Source(name, topic, reset, timestamps, keys, values));
        return this;
    }

    TopologyPlan processor(String name, ProcessorSupplier<?, ?, ?, ?> supplier, String... parents) {
        nodes.add(new Processor(name, supplier, List.of(parents)));
        return this;
    }

    TopologyPlan sink(String name, String topic, Serializer<?> keys, Serializer<?> values, StreamPartitioner<?, ?> partitioner,
            String... parents) {
        nodes.add(new Sink(name, topic, keys, values, partitioner, List.of(parents)));
        return this;
    }

    /** Every node, in the order added (parents before children). */
    public List<Object> nodes() {
        return List.copyOf(nodes);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public Topology toTopology() {
        Topology t = new Topology();
        for (Object n : nodes) {
            if (n instanceof Source s) {
                if (s.timestamps() == null) {
                    t.addSource(s.reset(), s.name(), s.keys(), s.values(), s.topic());
                } else {
                    t.addSource(s.reset(), s.name(), s.timestamps(), s.keys(), s.values(), s.topic());
                }
            } else if (n instanceof Processor p) {
                t.addProcessor(p.name(), (ProcessorSupplier) p.supplier(), p.parents().toArray(String[]::new));
            } else if (n instanceof Sink k) {
                if (k.partitioner() == null) {
                    t.addSink(k.name(), k.topic(), (Serializer) k.keys(), (Serializer) k.values(), k.parents().toArray(String[]::new));
                } else {
                    t.addSink(k.name(), k.topic(), (Serializer) k.keys(), (Serializer) k.values(), (StreamPartitioner) k.partitioner(),
                            k.parents().toArray(String[]::new));
                }
            }
        }
        return t;
    }
}
