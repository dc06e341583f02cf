package io.casewatch.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.casewatch.broker.LocalKafka;
import io.casewatch.schema.Actor;
import io.casewatch.schema.Channel;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.serde.RecordSerdes;

/**
 * The peer end to end on a real broker: handmade cases whose breaches are known, encoded with casewatch's AvroSerde,
 * the bounded job with a cutoff, and the alerts and merchant days read back with read_committed.
 */
class FlinkPeerJobIT {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration H = Duration.ofHours(1);
    private static final String COMPLAINTS = "complaints.events.v1";
    private static final String CONTACTS = "contacts.events.v1";
    private static final String ALERTS = "peer.flink.alerts.v1";
    private static final String DAYS = "peer.flink.merchant-opened-daily.v1";

    /** Alerts after it are dropped: case F's resolution deadline (T0 + 840 h) is past it. */
    private static final Instant CUTOFF = T0.plus(Duration.ofHours(21 * 24 + 12));

    private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    private int seq;

    @Test
    void detectsTheBreachesDueByTheCutoffAndCountsOpenedPerMerchantDay(@TempDir Path runDir) throws Exception {
        // A: silence. First-response and resolution breaches; a duplicate OPENED changes nothing.
        opened("A", "m1", T0);
        opened("A", "m1", T0);
        inbound("A", T0.plus(H));
        // B: answered and resolved in time.
        opened("B", "m1", T0);
        reply("B", T0.plus(H.multipliedBy(2)), Actor.AGENT);
        complaint("B", "m1", T0.plus(H.multipliedBy(48)), ComplaintEventType.RESOLVED);
        // C: a bot answers at once (does not count), the merchant only after 29 h; resolved in time.
        opened("C", "m1", T0.plus(H));
        reply("C", T0.plus(H.multipliedBy(2)), Actor.BOT);
        reply("C", T0.plus(H.multipliedBy(30)), Actor.MERCHANT);
        complaint("C", "m1", T0.plus(H.multipliedBy(100)), ComplaintEventType.RESOLVED);
        // D: only the customer writes; resolved after the 360 h goal.
        opened("D", "m2", T0.plus(H.multipliedBy(2)));
        inbound("D", T0.plus(H.multipliedBy(3)));
        complaint("D", "m2", T0.plus(H.multipliedBy(400)), ComplaintEventType.RESOLVED);
        // E: answered in time, never resolved.
        opened("E", "m2", T0.plus(H.multipliedBy(3)));
        reply("E", T0.plus(H.multipliedBy(5)), Actor.AGENT);
        // G: resolved 365 h after OPENED: past 360 h, but casewatch's "15 days" end at the following UTC midnight.
        opened("G", "m1", T0.plus(H.multipliedBy(5)));
        reply("G", T0.plus(H.multipliedBy(6)), Actor.AGENT);
        complaint("G", "m1", T0.plus(H.multipliedBy(370)), ComplaintEventType.RESOLVED);
        // W: withdrawn before either deadline: no alert.
        opened("W", "m2", T0.plus(H.multipliedBy(4)));
        complaint("W", "m2", T0.plus(H.multipliedBy(10)), ComplaintEventType.WITHDRAWN);
        // F: opened 20 days later, silent: first response due by the cutoff, resolution after it.
        opened("F", "m1", T0.plus(Duration.ofDays(20)));
        // Not casewatch's encoding: counted and dropped, as casewatch would dead-letter it.
        records.add(new ProducerRecord<>(COMPLAINTS, null, T0.toEpochMilli(), "X", "not avro".getBytes(StandardCharsets.UTF_8)));

        try (LocalKafka kafka = LocalKafka.start()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                // Two partitions each: per-partition watermarks and timers spread over both subtasks.
                admin.createTopics(List.of(new NewTopic(COMPLAINTS, 2, (short) 1), new NewTopic(CONTACTS, 2, (short) 1))).all().get();
            }
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                for (ProducerRecord<String, byte[]> r : records) {
                    producer.send(r);
                }
                producer.flush();
            }

            FlinkPeerJob.Settings settings = FlinkPeerJob.Settings.parse(new String[] {
                "--bootstrap-servers", kafka.bootstrapServers(), "--group-id", "peer-it", "--cutoff", CUTOFF.toString(),
                "--run-dir", runDir.toString()});
            FlinkPeerJob.Result result = FlinkPeerJob.run(settings);

            assertThat(result.events()).isEqualTo(records.size());
            assertThat(result.undecodable()).isEqualTo(1);
            assertThat(readCommitted(kafka.bootstrapServers(), ALERTS)).containsExactlyInAnyOrder(
                    alert("A", "FIRST_RESPONSE_BREACH", 24),
                    alert("A", "RESOLUTION_BREACH", 360),
                    alert("C", "FIRST_RESPONSE_BREACH", 1 + 24),
                    alert("D", "FIRST_RESPONSE_BREACH", 2 + 24),
                    // Opened during Jan 1: 15 days end at midnight Jan 16/17, T0 + 384 h.
                    alert("D", "RESOLUTION_BREACH", 384),
                    alert("E", "RESOLUTION_BREACH", 384),
                    alert("F", "FIRST_RESPONSE_BREACH", 20 * 24 + 24));
            assertThat(result.firstResponseAlerts()).isEqualTo(4);
            assertThat(result.resolutionAlerts()).isEqualTo(3);
            assertThat(readCommitted(kafka.bootstrapServers(), DAYS)).containsExactlyInAnyOrder(
                    "m1@2026-01-01T00:00:00Z {\"merchantId\":\"m1\",\"windowStart\":\"2026-01-01T00:00:00Z\",\"windowEnd\":\"2026-01-02T00:00:00Z\",\"opened\":4}",
                    "m2@2026-01-01T00:00:00Z {\"merchantId\":\"m2\",\"windowStart\":\"2026-01-01T00:00:00Z\",\"windowEnd\":\"2026-01-02T00:00:00Z\",\"opened\":3}",
                    "m1@2026-01-21T00:00:00Z {\"merchantId\":\"m1\",\"windowStart\":\"2026-01-21T00:00:00Z\",\"windowEnd\":\"2026-01-22T00:00:00Z\",\"opened\":1}");
            assertThat(result.merchantDays()).isEqualTo(3);
        }
    }

    private static String alert(String caseId, String kind, long hoursAfterT0) {
        String deadline = T0.plus(H.multipliedBy(hoursAfterT0)).toString();
        return caseId + " {\"caseId\":\"" + caseId + "\",\"kind\":\"" + kind + "\",\"deadline\":\"" + deadline + "\"}";
    }

    /**
     * Everything committed on the topic, as "key value" lines. The job has ended, so its last transaction is committed
     * and the end offsets (the last stable offsets under read_committed) are final: read up to them.
     */
    private static List<String> readCommitted(String bootstrap, String topic) {
        List<String> lines = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading %s up to %s", topic, end).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    lines.add(new String(r.key(), StandardCharsets.UTF_8) + " " + new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return lines;
    }

    private void opened(String caseId, String merchant, Instant at) {
        complaint(caseId, merchant, at, ComplaintEventType.OPENED);
    }

    private void complaint(String caseId, String merchant, Instant at, ComplaintEventType type) {
        // A repeated OPENED keeps its event id: a duplicate, as a producer retry would make it.
        String eventId = type == ComplaintEventType.OPENED ? caseId + "-opened" : caseId + "-" + seq++;
        ComplaintEvent e = ComplaintEvent.newBuilder().setEventId(eventId).setCaseId(caseId).setMerchantId(merchant)
                .setOccurredAt(at).setType(type).build();
        records.add(new ProducerRecord<>(COMPLAINTS, null, at.toEpochMilli(), caseId, RecordSerdes.COMPLAINT_EVENT.toBytes(e)));
    }

    private void reply(String caseId, Instant at, Actor actor) {
        contact(caseId, at, Direction.OUTBOUND, actor);
    }

    private void inbound(String caseId, Instant at) {
        contact(caseId, at, Direction.INBOUND, Actor.CUSTOMER);
    }

    private void contact(String caseId, Instant at, Direction direction, Actor actor) {
        ContactEvent e = ContactEvent.newBuilder().setEventId(caseId + "-" + seq++).setCaseId(caseId).setOccurredAt(at)
                .setDirection(direction).setActor(actor).setChannel(Channel.CHAT).setText("text").build();
        records.add(new ProducerRecord<>(CONTACTS, null, at.toEpochMilli(), caseId, RecordSerdes.CONTACT_EVENT.toBytes(e)));
    }
}
