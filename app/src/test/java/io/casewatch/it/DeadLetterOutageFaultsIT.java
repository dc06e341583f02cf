package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.testing.Events;
import io.casewatch.topology.DeadLetters;

/**
 * Issue 18, item 4: the dead-letter topic unavailable for a while. On the three-broker cluster the dead-letter
 * topic is moved onto one node alone and that node is killed with SIGKILL: its partition has no leader while every
 * other topic keeps serving from the two survivors. A record that must be dead-lettered arrives then, beside a case
 * whose first-response deadline has passed. The dead letter is produced in the transaction of the record's other
 * effects, so while the topic is unavailable no {@code read_committed} reader may see it and the group's input
 * position may not move past the record; once the node is back, the dead letter appears exactly once, the case's
 * alerts exactly once each, and the instance never stopped: it waits, it does not drop and it does not fail.
 *
 * <p>What happens inside (the test's log): under exactly-once Kafka Streams gives its producer an unbounded
 * {@code delivery.timeout.ms}, so the dead letter's batch waits for a leader and the commit with it; the transaction
 * coordinator aborts the open transaction after {@code transaction.timeout.ms} (10 s); when the partition has a
 * leader again the batch is refused for its old epoch, the thread treats itself as fenced, rejoins and reads again
 * from the committed position, and this time the transaction commits.
 */
class DeadLetterOutageFaultsIT {

    private static final String APP_ID = "casewatch-dlq-outage-it";
    /** Longer than the transaction timeout (10 s), shorter than max.poll.interval.ms (5 min). */
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final int DLQ_NODE = 3;

    @Test
    void aDeadLetterTopicWithoutALeaderForAWhileHoldsBackTheTransactionAndNothingIsLostOrDoubled(@TempDir Path dir) throws Exception {
        try (KafkaCluster cluster = KafkaCluster.withTopics(1); Admin admin = cluster.admin()) {
            String bootstrap = cluster.bootstrapServers();
            String dlq = ItSupport.TOPICS.deadLetters().name();
            cluster.confine(DLQ_NODE, dlq);
            Map<String, String> flags = Map.of("bootstrap.servers", bootstrap, StreamsConfig.STATE_DIR_CONFIG,
                    dir.resolve("state").toString(), StreamsConfig.APPLICATION_ID_CONFIG, APP_ID,
                    StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
            TopicPartition source = new TopicPartition(ItSupport.TOPICS.contacts().name(), 0);
            try (Pipeline pipeline = Pipeline.start(AppConfig.load(null, Map.of(), flags), Clock.systemUTC())) {
                ItSupport.await(Duration.ofSeconds(90), () -> "the instance running", () -> pipeline.streams().state() == KafkaStreams.State.RUNNING);
                cluster.kill(DLQ_NODE);
                ItSupport.await(Duration.ofSeconds(30), () -> dlq + " without a leader", () -> leaderless(admin, dlq));

                Instant opened = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(25));
                byte[] garbage = "not an Avro contact event".getBytes(StandardCharsets.UTF_8);
                long offset;
                try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap)) {
                    offset = producer.send(ItSupport.record(source.topic(), "out-1", garbage, Instant.now())).get().offset();
                    // Opened 25 hours ago, never answered: the default policy's 24-hour first response has passed.
                    producer.send(ItSupport.record(ItSupport.TOPICS.complaints().name(), "out-2",
                            RecordSerdes.COMPLAINT_EVENT.toBytes(Events.opened("out-2", opened, null)), opened)).get();
                }

                // The dead-letter topic cannot be read while it has no leader: the group's committed position is
                // the evidence that the record's transaction has not committed. The group coordinator may be moving
                // off the killed node at first, so a look that fails is retried; most must succeed.
                long outageEnds = System.nanoTime() + OUTAGE.toNanos();
                int looks = 0;
                while (System.nanoTime() < outageEnds) {
                    try {
                        assertThat(position(admin, source)).as("the group's position on %s", source).isLessThanOrEqualTo(offset);
                        looks++;
                    } catch (IllegalStateException notAnsweredYet) {
                        // looked at again
                    }
                    // Paced by the one thing that must not happen: the instance stopping.
                    try {
                        throw new AssertionError("the instance stopped during the outage: "
                                + pipeline.failure().get(500, java.util.concurrent.TimeUnit.MILLISECONDS).getMessage());
                    } catch (java.util.concurrent.TimeoutException stillRunning) {
                        // it waits out the outage, as it should
                    }
                }
                assertThat(looks).as("positions read during the outage").isGreaterThanOrEqualTo(10);
                cluster.restart(DLQ_NODE);
                long back = System.nanoTime();

                ItSupport.await(Duration.ofSeconds(120), () -> "the group's position past " + source + "@" + offset, () -> {
                    if (pipeline.failure().isDone()) {
                        throw new AssertionError("the pipeline failed: " + pipeline.failure().join().getMessage());
                    }
                    return position(admin, source) > offset;
                });
                long resumedMs = (System.nanoTime() - back) / 1_000_000;
                ItSupport.await(Duration.ofSeconds(60), () -> "the FIRST_RESPONSE_BREACH of out-2",
                        () -> alerts(bootstrap).stream().anyMatch(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH));
                List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(bootstrap, dlq);
                assertThat(letters).as("dead letters").hasSize(1);
                assertThat(letters.get(0).value()).as("the original bytes").isEqualTo(garbage);
                assertThat(header(letters.get(0), DeadLetters.OFFSET)).isEqualTo(Long.toString(offset));
                assertThat(header(letters.get(0), DeadLetters.REASON)).isEqualTo("UNDECODABLE");
                // Opened 25 h ago under a 24 h budget: at risk (passed at 18 h) and breached, each once; nobody acks
                // them, so the escalation rules may climb them too (ESCALATION_UNACKED), each of those once as well.
                List<Alert> after = alerts(bootstrap);
                assertThat(after).as("alerts after the outage").extracting(Alert::getAlertId).doesNotHaveDuplicates();
                assertThat(after).extracting(Alert::getCaseId).containsOnly("out-2");
                assertThat(after).extracting(Alert::getKind).filteredOn(k -> k != AlertKind.ESCALATION_UNACKED)
                        .containsExactlyInAnyOrder(AlertKind.FIRST_RESPONSE_AT_RISK, AlertKind.FIRST_RESPONSE_BREACH);
                System.out.printf("fault IT: dead-letter topic without a leader for %d s: %d looks at the group's position, all at or"
                        + " before the record; position past it %d ms after the node was back; %d dead letter(s), %d alert(s)%n",
                        OUTAGE.toSeconds(), looks, resumedMs, letters.size(), after.size());
                assertThat(pipeline.failure()).as("the instance never stopped").isNotDone();
                assertThat(pipeline.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
    }

    private static boolean leaderless(Admin admin, String topic) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream().allMatch(p -> p.leader() == null);
        } catch (Exception e) {
            return false;
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(String bootstrapServers, String topic) {
        return committed(bootstrapServers, topic).stream().filter(r -> r.headers().lastHeader(DeadLetters.REASON) != null).toList();
    }

    private static long position(Admin admin, TopicPartition tp) {
        try {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(APP_ID).partitionsToOffsetAndMetadata().get().get(tp);
            return o == null ? 0 : o.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Alert> alerts(String bootstrapServers) {
        List<Alert> out = new ArrayList<>();
        for (String t : List.of(ItSupport.TOPICS.l1().name(), ItSupport.TOPICS.l2().name(), ItSupport.TOPICS.l3().name())) {
            committed(bootstrapServers, t).forEach(r -> out.add(RecordSerdes.ALERT.fromBytes(r.value())));
        }
        return out;
    }

    /** Every committed record of the topic, read from its beginning to its end. */
    private static List<ConsumerRecord<byte[], byte[]>> committed(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            ItSupport.await(Duration.ofSeconds(20), () -> "reading " + topic, () -> {
                c.poll(Duration.ofMillis(100)).forEach(out::add);
                return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
            });
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
