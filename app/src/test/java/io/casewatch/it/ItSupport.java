package io.casewatch.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.casewatch.app.TopicProvisioner;
import io.casewatch.broker.LocalKafka;
import io.casewatch.schema.Alert;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.topology.Topics;

/** What the integration tests share: a real broker with casewatch's topics, and plain clients for it. */
final class ItSupport {
    static final Topics TOPICS = Topics.defaults();

    private ItSupport() {
    }

    static LocalKafka brokerWithTopics(int partitions) throws Exception {
        LocalKafka kafka = LocalKafka.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, TOPICS, partitions, (short) 1, "-1");
            awaitLeaders(admin, partitions);
        }
        return kafka;
    }

    /**
     * Until the broker answers as leader for every partition of the new input topics. Produced to before that, an
     * idempotent producer can get "not leader" for its first batch, retry it behind later ones and have it refused
     * as out of sequence until it expires: records lost before the application ever runs.
     */
    static void awaitLeaders(Admin admin, int partitions) {
        Map<TopicPartition, OffsetSpec> all = new HashMap<>();
        for (String topic : TOPICS.inputNames()) {
            for (int p = 0; p < partitions; p++) {
                all.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        await(Duration.ofSeconds(30), () -> "a leader for every partition of " + TOPICS.inputNames(), () -> {
            try {
                admin.listOffsets(all).all().get();
                return true;
            } catch (Exception notYet) {
                return false;
            }
        });
    }

    static KafkaProducer<byte[], byte[]> producer(LocalKafka kafka) {
        return producer(kafka.bootstrapServers());
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * A heartbeat at {@code at} on every partition of the ticks topic, as casewatch's ticker writes them: with the
     * end offsets of the input partitions of the same number, read after the time was taken, so that a task that has
     * read that far is proven past {@code at} (replay's {@code --until} for a live pipeline).
     */
    static void heartbeats(LocalKafka kafka, int partitions, Instant at) throws Exception {
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<org.apache.kafka.common.TopicPartition> inputs = new java.util.ArrayList<>();
        for (String t : List.of(TOPICS.complaints().name(), TOPICS.contacts().name(), TOPICS.acks().name())) {
            for (int p = 0; p < partitions; p++) {
                inputs.add(new org.apache.kafka.common.TopicPartition(t, p));
            }
        }
        try (KafkaConsumer<byte[], byte[]> offsets = new KafkaConsumer<>(cp, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            Map<org.apache.kafka.common.TopicPartition, Long> ends = offsets.endOffsets(inputs, Duration.ofSeconds(10));
            for (int p = 0; p < partitions; p++) {
                Map<String, Long> mine = new java.util.LinkedHashMap<>();
                for (var e : ends.entrySet()) {
                    if (e.getKey().partition() == p) {
                        mine.put(e.getKey().topic(), e.getValue());
                    }
                }
                ProducerRecord<byte[], byte[]> tick = new ProducerRecord<>(TOPICS.ticks().name(), p, at.toEpochMilli(),
                        "tick".getBytes(StandardCharsets.UTF_8), io.casewatch.topology.Heartbeat.encode(mine));
                tick.headers().add("casewatch.tick", new byte[] {1});
                producer.send(tick).get();
            }
        }
    }

    /** A record stamped with the event's time, keyed by its case, as producers are expected to write them. */
    static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value, Instant at) {
        return new ProducerRecord<>(topic, null, at.toEpochMilli(), key.getBytes(StandardCharsets.UTF_8), value);
    }

    /** A read_committed consumer of the three escalation topics, from the beginning. */
    static KafkaConsumer<String, Alert> alertConsumer(LocalKafka kafka, String group) {
        return alertConsumer(kafka.bootstrapServers(), group);
    }

    static KafkaConsumer<String, Alert> alertConsumer(String bootstrapServers, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, Alert> c = new KafkaConsumer<>(p, new StringDeserializer(), RecordSerdes.ALERT.deserializer());
        c.subscribe(List.of(TOPICS.l1().name(), TOPICS.l2().name(), TOPICS.l3().name()));
        return c;
    }

    /** Polls {@code condition} until it holds; fails, saying what was awaited, once {@code max} has passed. */
    static void await(Duration max, java.util.function.Supplier<String> what, java.util.function.BooleanSupplier condition) {
        if (!awaitUpTo(max, condition)) {
            throw new AssertionError("not within " + max + ": " + what.get());
        }
    }

    /** Polls {@code condition} until it holds or {@code max} has passed; the caller's assertions say what is missing. */
    static boolean awaitUpTo(Duration max, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        return true;
    }
}
