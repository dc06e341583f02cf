package io.casewatch.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.Level;
import io.casewatch.schema.MerchantStats;
import io.casewatch.schema.WindowKind;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.topology.Topics;

/**
 * {@code casewatch demo}: no cluster needed. Starts the local KRaft broker in its own JVM, creates the topics,
 * starts the pipeline and plays {@link DemoStories} in compressed time, printing alerts as they are published.
 * Ctrl-C (or {@code --duration}) stops everything and removes the temporary data.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the demo on an embedded real Kafka broker.")
public final class DemoCommand implements Callable<Integer> {

    private static final DateTimeFormatter SIM = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Option(names = "--speed", defaultValue = "3600", description = "Simulated seconds per real second (default: an hour a second, slow enough for the simulated teams to acknowledge in time).")
    double speed;

    @Option(names = "--start", defaultValue = "2026-09-28T00:00:00Z", description = "Simulated start instant.")
    Instant start;

    @Option(names = "--background-cases", defaultValue = "300")
    int backgroundCases;

    @Option(names = "--duration", description = "Stop by itself after this many real seconds (default: until Ctrl-C).")
    Long durationSeconds;

    @Option(names = "--http-port", defaultValue = "0", description = "Port of the live page and queries on 127.0.0.1 (default: a free one).")
    int httpPort;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Map<Level, Integer> counts;

    @Option(names = "--log", description = "File for the broker's, the Kafka clients' and casewatch's log lines (default: a new file in the temp folder).")
    Path logFile;

    // Made in call(), not here: picocli creates every command when the command line is built, and these classes
    // (Avro's, through the schema types) create slf4j loggers, which would fix the log target before call() sets it.
    private SimulatedTeams teams;
    /** Acks the teams will send, by simulated time. */
    private PriorityBlockingQueue<EscalationAck> pendingAcks;
    private Map<String, Alert> awaitingAck;

    @Override
    public Integer call() throws Exception {
        Path log = logFile != null ? logFile : Files.createTempFile("casewatch-demo-", ".log");
        // The console tells the story; log lines go to the file. Set before any logger exists: slf4j-simple reads its
        // configuration once, when the first logger is created.
        System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
        teams = new SimulatedTeams(42);
        pendingAcks = new PriorityBlockingQueue<>(64,
                Comparator.comparing(EscalationAck::getOccurredAt).thenComparing(EscalationAck::getAlertId));
        awaitingAck = new ConcurrentHashMap<>();
        counts = new EnumMap<>(Level.class);
        Path stateDir = Files.createTempDirectory("casewatch-demo-");
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch cleaned = new CountDownLatch(1);
        LocalBrokerProcess broker = LocalBrokerProcess.start(log);
        Pipeline pipeline = null;
        Thread generator = null;
        Thread printer = null;
        try {
            String bootstrap = broker.bootstrapServers();
            Topics topics = Topics.defaults();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                TopicProvisioner.ensure(admin, topics, 3, (short) 1, "-1");
            }
            Map<String, String> flags = new LinkedHashMap<>();
            flags.put("bootstrap.servers", bootstrap);
            flags.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            flags.put(StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-demo");
            // A fresh token per demo run; the page reads it from the URL fragment, which the browser never sends.
            String token = newToken();
            flags.put(AppConfig.HTTP_TOKEN, token);
            flags.put(AppConfig.HTTP_BIND, "127.0.0.1");
            flags.put(AppConfig.HTTP_PORT, Integer.toString(httpPort));
            AppConfig cfg = AppConfig.load(null, Map.of(), flags);
            SimulatedClock clock = new SimulatedClock(start, speed);
            pipeline = Pipeline.start(cfg, clock);
            // The first line: what to open. The rest of the console is the story.
            out.printf("live page: http://127.0.0.1:%d/#token=%s%n", pipeline.httpPort(), token);
            out.printf("  simulated time runs %.0fx (1 real second = %s); broker %s; metrics http://127.0.0.1:%d/metrics; log %s%n", speed,
                    Duration.ofSeconds((long) speed), bootstrap, pipeline.httpPort(), log);
            out.printf("  teams acknowledge about %.0f%% of alerts within %d-%d minutes; the rest climb the escalation ladder%n",
                    100 * SimulatedTeams.ACK_SHARE, SimulatedTeams.FASTEST.toMinutes(), SimulatedTeams.SLOWEST.toMinutes());
            List<DemoStories.Scheduled> script = new DemoStories(start, 42).build(backgroundCases);
            generator = new Thread(() -> play(script, clock, bootstrap, topics), "demo-generator");
            printer = new Thread(() -> printAlerts(bootstrap, topics), "demo-alerts");
            generator.start();
            printer.start();
            // Ctrl-C: wake the main thread and hold the JVM until it has closed the pipeline and the broker.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                done.countDown();
                try {
                    cleaned.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "demo-ctrl-c"));
            if (durationSeconds != null) {
                done.await(durationSeconds, TimeUnit.SECONDS);
            } else {
                done.await();
            }
        } finally {
            running.set(false);
            out.println("stopping ...");
            join(generator);
            join(printer);
            if (pipeline != null) {
                pipeline.streams().close(Duration.ofSeconds(20));
                pipeline.close();
                pipeline.streams().cleanUp();
            }
            broker.close();
            deleteRecursively(stateDir);
            out.println("demo stopped; alerts published by level: " + counts);
            cleaned.countDown();
        }
        return 0;
    }

    private void play(List<DemoStories.Scheduled> script, SimulatedClock clock, String bootstrap, Topics topics) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            int i = 0;
            while (running.get()) {
                Instant now = clock.instant();
                while (i < script.size() && !script.get(i).at().isAfter(now)) {
                    send(producer, topics, script.get(i));
                    i++;
                }
                EscalationAck ack;
                while ((ack = pendingAcks.peek()) != null && !ack.getOccurredAt().isAfter(now)) {
                    pendingAcks.poll();
                    producer.send(new ProducerRecord<>(topics.acks().name(), null, ack.getOccurredAt().toEpochMilli(),
                            ack.getCaseId().getBytes(StandardCharsets.UTF_8), RecordSerdes.ESCALATION_ACK.toBytes(ack)));
                    printAck(ack);
                }
                producer.flush();
                sleep(20);
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, DemoStories.Scheduled s) {
        long ts = s.at().toEpochMilli();
        if (s.event() instanceof ComplaintEvent c) {
            producer.send(new ProducerRecord<>(topics.complaints().name(), null, ts, c.getCaseId().getBytes(StandardCharsets.UTF_8),
                    RecordSerdes.COMPLAINT_EVENT.toBytes(c)));
        } else if (s.event() instanceof ContactEvent c) {
            producer.send(new ProducerRecord<>(topics.contacts().name(), null, ts, c.getCaseId().getBytes(StandardCharsets.UTF_8),
                    RecordSerdes.CONTACT_EVENT.toBytes(c)));
        }
    }

    private void printAlerts(String bootstrap, Topics topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "casewatch-demo-printer");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.l1().name(), topics.l2().name(), topics.l3().name(), topics.merchantStats().name()));
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(50));
                List<Alert> alerts = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (r.topic().equals(topics.merchantStats().name())) {
                        print(RecordSerdes.MERCHANT_STATS.fromBytes(r.value()));
                    } else {
                        alerts.add(RecordSerdes.ALERT.fromBytes(r.value()));
                    }
                }
                alerts.sort(Comparator.comparing(Alert::getDetectedAt));
                alerts.forEach(this::print);
            }
        }
    }

    /** A merchant's day once it is final: the rates a dashboard would show. */
    private void print(MerchantStats m) {
        if (!m.getFinal$() || m.getWindow() != WindowKind.DAY || m.getOpened() + m.getResolved() == 0) {
            return;
        }
        out.printf("%s day | RATES  %-11s opened=%d resolved=%d within SLA=%d breached=%d timely=%s median=%s reopened=%d stalls=%d%n",
                SIM.format(m.getWindowStart()).substring(0, 10), m.getMerchantId(), m.getOpened(), m.getResolved(), m.getResolvedWithinSla(),
                m.getResolutionBreached(), m.getTimelyResolutionRate() == null ? "-" : String.format("%.0f%%", 100 * m.getTimelyResolutionRate()),
                m.getMedianHoursToResolve() == null ? "-" : String.format("%.1fh", m.getMedianHoursToResolve()), m.getReopened(), m.getStallLoops());
    }

    private void print(Alert a) {
        if (a.getStatus() == AlertStatus.CLOSED) {
            out.printf("%s sim | closed %-2s %-24s case=%-20s (%s)%n", SIM.format(a.getDetectedAt()), a.getLevel(), a.getKind(),
                    a.getCaseId(), a.getCloseReason());
            return;
        }
        counts.merge(a.getLevel(), 1, Integer::sum);
        teams.respond(a).ifPresent(ack -> {
            awaitingAck.put(ack.getAlertId(), a);
            pendingAcks.add(ack);
        });
        var ev = a.getEvidence();
        String detail = switch (a.getKind()) {
            case STALL_LOOP -> "contacts=" + ev.getNotes().get("contactsInWindow") + " holding=" + ev.getNotes().get("holdingRepliesInEpisode")
                    + (ev.getNotes().containsKey("chronic") ? " chronic" : "");
            case REOPEN_LOOP -> "reopens=" + ev.getReopens();
            case ESCALATION_UNACKED -> "unacked " + ev.getNotes().get("unackedLevel") + " alert";
            default -> a.getDeadline() == null ? "" : "deadline " + SIM.format(a.getDeadline()) + " (" + ev.getNotes().getOrDefault("budget", "") + ")";
        };
        out.printf("%s sim | ALERT  %-2s %-24s case=%-20s merchant=%-11s policy=%-16s %s%n", SIM.format(a.getDetectedAt()), a.getLevel(),
                a.getKind(), a.getCaseId(), a.getMerchantId(), a.getPolicyId(), detail);
    }

    private void printAck(EscalationAck ack) {
        Alert a = awaitingAck.remove(ack.getAlertId());
        long minutes = a == null ? 0 : Duration.between(a.getDetectedAt(), ack.getOccurredAt()).toMinutes();
        out.printf("%s sim | acked  %-2s %-24s case=%-20s by %s after %d min%n", SIM.format(ack.getOccurredAt()), ack.getLevel(),
                a == null ? "" : a.getKind(), ack.getCaseId(), ack.getTeam(), minutes);
    }

    private static String newToken() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void join(Thread t) {
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            // Nothing left to clean up or already gone.
        }
    }
}
