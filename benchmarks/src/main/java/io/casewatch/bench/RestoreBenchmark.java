package io.casewatch.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;

import io.casewatch.app.AppConfig;
import io.casewatch.app.LocalBrokerProcess;
import io.casewatch.app.Pipeline;
import io.casewatch.app.TopicProvisioner;
import io.casewatch.cases.CaseEngine;
import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Actor;
import io.casewatch.schema.Category;
import io.casewatch.schema.Channel;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.topology.CasewatchTopology;
import io.casewatch.topology.StateImage;
import io.casewatch.topology.Topics;

/**
 * Restore time of the state of N open cases (issue 9: 1,000,000). Each case is built by the real engine from an
 * OPENED, an inbound contact, a holding reply and a second inbound contact (CN, US and GB in turn, so the clocks are those of real policies) and written, byte
 * for byte as the case processor would, into the changelog of the case store; then a casewatch instance with an
 * empty state folder starts, and the time until it is RUNNING is the restore, including the rebuild of the
 * in-memory timer index from the restored cases (the processor's {@code init()}). Writing the
 * changelogs directly skips an hour of event processing; what a restore costs depends only on what they hold.
 *
 * <p>Usage: {@code RestoreBenchmark [cases] [partitions]}.
 */
public final class RestoreBenchmark {

    private static final String APP = "bench-restore";
    private static final Instant START = Instant.parse("2026-09-01T00:00:00Z");
    private static final List<String> JURISDICTIONS = List.of("CN", "US", "GB");

    private RestoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cases = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Files.createTempDirectory("casewatch-restore-");
        Topics topics = Topics.defaults();
        try (LocalBrokerProcess broker = LocalBrokerProcess.start();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            String bootstrap = broker.bootstrapServers();
            TopicProvisioner.ensure(admin, topics, partitions, (short) 1, "-1");
            // The application creates its internal topics (with its own settings: compaction) on its first start.
            try (Pipeline first = Pipeline.start(config(bootstrap, work.resolve("first")), Clock.systemUTC(), 0)) {
                awaitRunning(first.streams(), Duration.ofMinutes(2));
                first.streams().close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            }
            long[] written = write(bootstrap, cases, partitions);
            System.out.printf("state written: %,d open cases, %,d changelog records, %,d bytes of keys and values (%.0f bytes a case) in %.1f s%n",
                    cases, written[0], written[1], (double) written[1] / cases, written[2] / 1e9);
            for (int run = 1; run <= 2; run++) {
                Path state = work.resolve("restore-" + run);
                String r = EndToEnd.restore(config(bootstrap, state));
                System.out.printf("restore %d into an empty state folder: %s; state folder %,d bytes%n", run, r, size(state));
            }
        } finally {
            EndToEnd.deleteQuietly(work);
        }
    }

    private static AppConfig config(String bootstrap, Path state) {
        Map<String, String> flags = new HashMap<>();
        flags.put("bootstrap.servers", bootstrap);
        flags.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        flags.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        flags.put(AppConfig.HTTP_PORT, "0");
        flags.put(AppConfig.TICK, "PT0S");
        return AppConfig.load(null, Map.of(), flags);
    }

    /** Records, bytes and nanoseconds taken. */
    private static long[] write(String bootstrap, int cases, int partitions) {
        CasewatchTopology.Settings s = CasewatchTopology.Settings.defaults(Topics.defaults(), PolicySet.presets());
        CaseEngine engine = new CaseEngine(s.policies(), s.classifier(), s.escalation());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        String casesTopic = StateImage.casesChangelog(APP);
        long records = 0;
        long bytes = 0;
        long t0 = System.nanoTime();
        long spread = Duration.ofDays(60).toMillis();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < cases; i++) {
                String id = String.format("case-%08d", i);
                long opened = START.toEpochMilli() + (long) i * spread / cases;
                CaseData c = CaseEngine.newCase(id, opened);
                engine.onComplaint(c, ComplaintEvent.newBuilder().setEventId(id + "-0").setCaseId(id).setMerchantId("m-" + (i % 200))
                        .setOccurredAt(Instant.ofEpochMilli(opened)).setType(ComplaintEventType.OPENED).setCategory(Category.REFUND)
                        .setChannel(Channel.APP).setCustomerRef("cust-" + i).setJurisdiction(JURISDICTIONS.get(i % 3)).build());
                long contact = opened + Duration.ofHours(1).toMillis();
                engine.onContact(c, ContactEvent.newBuilder().setEventId(id + "-1").setCaseId(id).setOccurredAt(Instant.ofEpochMilli(contact))
                        .setDirection(Direction.INBOUND).setActor(Actor.CUSTOMER).setChannel(Channel.CHAT)
                        .setText("Where is my refund? It has been two weeks.").setLanguage("en").build());
                // A holding reply and the customer writing again: the state of a case in a "still processing" loop.
                long holding = contact + Duration.ofHours(3).toMillis();
                engine.onContact(c, ContactEvent.newBuilder().setEventId(id + "-2").setCaseId(id).setOccurredAt(Instant.ofEpochMilli(holding))
                        .setDirection(Direction.OUTBOUND).setActor(Actor.AGENT).setChannel(Channel.CHAT)
                        .setText("Your case is being processed, please wait.").setLanguage("en").build());
                long again = holding + Duration.ofHours(20).toMillis();
                engine.onContact(c, ContactEvent.newBuilder().setEventId(id + "-3").setCaseId(id).setOccurredAt(Instant.ofEpochMilli(again))
                        .setDirection(Direction.INBOUND).setActor(Actor.CUSTOMER).setChannel(Channel.CHAT)
                        .setText("我的退款到底什么时候到账？").setLanguage("zh-Hans").build());
                contact = again;
                long due = engine.settle(c, contact, contact).nextDue();
                byte[] key = StateImage.caseKey(id);
                int partition = Utils.toPositive(Utils.murmur2(key)) % partitions;
                if (due != io.casewatch.sla.ClockMath.NEVER) {
                    // The timer index is not logged: the task rebuilds it from each case's timerAt after restoring.
                    c.setTimerAt(due);
                }
                byte[] value = StateImage.caseValue(c);
                producer.send(new ProducerRecord<>(casesTopic, partition, contact, key, value));
                records++;
                bytes += key.length + value.length;
            }
            producer.flush();
        }
        return new long[] {records, bytes, System.nanoTime() - t0};
    }

    private static void awaitRunning(KafkaStreams s, Duration max) throws InterruptedException {
        long t0 = System.nanoTime();
        while (s.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() - t0 > max.toNanos()) {
                throw new IllegalStateException("not RUNNING after " + max + ": " + s.state());
            }
            Thread.sleep(20);
        }
    }

    private static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
