package io.casewatch.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;

import io.casewatch.app.AppConfig;
import io.casewatch.app.LocalBrokerProcess;
import io.casewatch.app.Pipeline;
import io.casewatch.app.TopicProvisioner;
import io.casewatch.schema.Actor;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.Category;
import io.casewatch.schema.Channel;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.topology.Topics;

/**
 * Alert latency under steady live load (issue 9): events stamped "now" are produced at a fixed rate (run it at half
 * the capacity {@link EndToEnd} measured) to a real broker; casewatch (exactly-once v2, heartbeats every 250 ms)
 * raises alerts; a read_committed consumer times each one against the instant it was due. Two kinds are timed:
 * <ul>
 *   <li>deadline to alert: {@code FIRST_RESPONSE_BREACH} of cases nobody answers, under a one-minute first-response
 *       budget (a benchmark policy; real budgets are hours, the path is the same; budgets are whole minutes);</li>
 *   <li>event to alert: {@code REOPEN_LOOP}, raised by the event that reopens a case the second time.</li>
 * </ul>
 * A quarter of the cases are answered at once (load without alerts), a quarter are answered 100 ms before their
 * deadline (each must raise nothing: its reply has to be read before the heartbeat that passes the deadline and the
 * grace, across topics; those read too late are counted), a quarter breach, a quarter loop.
 *
 * <p>Usage: {@code LatencyBenchmark [events/s] [seconds] [partitions] [warm-up seconds, not timed; 30]};
 * {@code -Dbench.budget.minutes=N} sets the first-response budget (default 1).
 */
public final class LatencyBenchmark {

    private static final String POLICY = """
            {"policies": [{"id": "BENCH", "match": {"jurisdictions": ["ZZ"]},
              "firstResponse": {"budget": "PT%dM"}}]}
            """;

    private LatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 800;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // The same load first, not timed: a fresh JVM spends its first half minute compiling (C2 takes most of a
        // core), and a service is measured as it runs, not as it starts.
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        Path work = Files.createTempDirectory("casewatch-latency-");
        Topics topics = Topics.defaults();
        Path policies = work.resolve("policies.json");
        Files.writeString(policies, POLICY.formatted(BUDGET.toMinutes()));
        try (LocalBrokerProcess broker = LocalBrokerProcess.start();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            String bootstrap = broker.bootstrapServers();
            TopicProvisioner.ensure(admin, topics, partitions, (short) 1, "-1");
            Map<String, String> flags = new HashMap<>();
            flags.put("bootstrap.servers", bootstrap);
            flags.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-latency");
            flags.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state").toString());
            flags.put(AppConfig.HTTP_PORT, "0");
            flags.put(AppConfig.POLICIES_FILE, policies.toString());
            flags.put(AppConfig.STORM_CAP, "1000000");
            // -Dbench.set.<key>=<value>: any casewatch or Kafka setting for the instance.
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.set."))
                    .forEach(k -> flags.put(k.substring("bench.set.".length()), System.getProperty(k)));
            List<long[]> deadline = Collections.synchronizedList(new ArrayList<>());
            List<long[]> event = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean reading = new AtomicBoolean(true);
            try (Pipeline pipeline = Pipeline.start(AppConfig.load(null, Map.of(), flags), Clock.systemUTC(), 0)) {
                while (pipeline.streams().state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
                    LockSupport.parkNanos(20_000_000L);
                }
                java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
                Thread reader = new Thread(() -> read(bootstrap, topics, reading, ready, deadline, event), "latency-reader");
                reader.start();
                ready.await();
                long measuredFrom = System.currentTimeMillis() + warmup * 1000L;
                long sent = feed(bootstrap, topics, rate, warmup + seconds);
                // Drain: the feed ends with the last just-in-time reply, 100 ms before the last deadlines.
                long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (System.nanoTime() < until) {
                    LockSupport.parkNanos(100_000_000L);
                }
                reading.set(false);
                reader.join();
                System.out.printf("fed %,d events at %d events/s for %d s + %d s of warm-up, not timed (%d partitions)%n", sent, rate,
                        seconds, warmup, partitions);
                report("deadline to alert (FIRST_RESPONSE_BREACH)", deadline, measuredFrom);
                report("event to alert (REOPEN_LOOP)", event, measuredFrom);
                System.out.printf("first-response breaches of cases answered before the deadline (read late: cross-topic skew beyond the grace): %s%n",
                        unexpected.isEmpty() ? "none" : unexpected);
            }
        } finally {
            EndToEnd.deleteQuietly(work);
        }
    }

    /** Produces cases at {@code rate} events/s for {@code seconds}, every event stamped with the time it is sent. */
    private static long feed(String bootstrap, Topics topics, int rate, int seconds) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        // Each case's events in order, cases interleaved: a queue of (case, step) due at a given instant.
        long start = System.nanoTime();
        long periodNanos = 1_000_000_000L / rate;
        long sent = 0;
        ConcurrentLinkedQueue<int[]> followUps = new ConcurrentLinkedQueue<>();
        // Replies sent just before their case's deadline: (due nanos, case), earliest first.
        java.util.PriorityQueue<long[]> late = new java.util.PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        int nextCase = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long load = (long) rate * seconds;
            // After the load, no new cases, but every case's follow-ups are still sent (at the rate, the just-in-time
            // replies at their instants): otherwise the last cases would breach for want of events the feed never sent.
            for (long i = 0; i < load || !followUps.isEmpty() || !late.isEmpty(); i++) {
                long due = start + i * periodNanos;
                if (i >= load && followUps.isEmpty()) {
                    due = Math.max(due, late.peek()[0]);
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int[] step = null;
                if (!late.isEmpty() && late.peek()[0] <= System.nanoTime()) {
                    step = new int[] {(int) late.poll()[1], 2};
                } else {
                    step = followUps.poll();
                }
                if (step == null) {
                    if (i >= load) {
                        continue;
                    }
                    step = new int[] {nextCase++, 0};
                }
                int caseNo = step[0];
                String id = "lat-" + caseNo;
                int kind = caseNo % 4; // 0: answered; 1: answered just in time; 2: never answered (breach); 3: reopened twice (loop)
                Instant now = Instant.now();
                if (step[1] == 0) {
                    send(producer, topics, complaint(id, caseNo, ComplaintEventType.OPENED, now));
                    if (kind == 0) {
                        followUps.add(new int[] {caseNo, 1});
                    } else if (kind == 1) {
                        late.add(new long[] {System.nanoTime() + BUDGET.toNanos() - JUST_IN_TIME.toNanos(), caseNo});
                    } else if (kind == 3) {
                        followUps.add(new int[] {caseNo, 10});
                    }
                } else if (step[1] == 1 || step[1] == 2) {
                    if (step[1] == 2) {
                        repliedAt.put(id, now.toEpochMilli());
                    }
                    send(producer, topics, reply(id, now));
                } else {
                    // 10 RESOLVED, 11 REOPENED, 12 RESOLVED, 13 REOPENED (the loop).
                    ComplaintEventType t = step[1] % 2 == 0 ? ComplaintEventType.RESOLVED : ComplaintEventType.REOPENED;
                    ComplaintEvent.Builder b = ComplaintEvent.newBuilder(complaint(id, caseNo, t, now)).setEventId(id + "-" + step[1]);
                    if (t == ComplaintEventType.RESOLVED) {
                        b.setOutcome(io.casewatch.schema.Outcome.UPHELD);
                    }
                    send(producer, topics, b.build());
                    if (step[1] < 13) {
                        followUps.add(new int[] {caseNo, step[1] + 1});
                    }
                }
                sent++;
            }
            producer.flush();
        }
        return sent;
    }

    private static ContactEvent reply(String id, Instant at) {
        return ContactEvent.newBuilder().setEventId(id + "-r").setCaseId(id).setOccurredAt(at).setDirection(Direction.OUTBOUND)
                .setActor(Actor.AGENT).setChannel(Channel.CHAT).setText("We refunded $12.40 to your card today, reference 88121.")
                .setLanguage("en").build();
    }

    private static ComplaintEvent complaint(String id, int caseNo, ComplaintEventType type, Instant at) {
        return ComplaintEvent.newBuilder().setEventId(id + "-o").setCaseId(id).setMerchantId("m-" + (caseNo % 500)).setOccurredAt(at)
                .setType(type).setCategory(Category.REFUND).setChannel(Channel.APP).setCustomerRef("cust-" + caseNo)
                .setJurisdiction("ZZ").build();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, Object e) {
        if (e instanceof ComplaintEvent c) {
            producer.send(new ProducerRecord<>(topics.complaints().name(), null, c.getOccurredAt().toEpochMilli(),
                    c.getCaseId().getBytes(StandardCharsets.UTF_8), RecordSerdes.COMPLAINT_EVENT.toBytes(c)));
        } else {
            ContactEvent c = (ContactEvent) e;
            producer.send(new ProducerRecord<>(topics.contacts().name(), null, c.getOccurredAt().toEpochMilli(),
                    c.getCaseId().getBytes(StandardCharsets.UTF_8), RecordSerdes.CONTACT_EVENT.toBytes(c)));
        }
    }

    private static void read(String bootstrap, Topics topics, AtomicBoolean reading, java.util.concurrent.CountDownLatch ready,
            List<long[]> deadline, List<long[]> event) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, Alert> c = new KafkaConsumer<>(p, new StringDeserializer(), RecordSerdes.ALERT.deserializer())) {
            // Assigned, not subscribed: a group join would hold the first alerts back for seconds and time the reader.
            List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
            for (String t : List.of(topics.l1().name(), topics.l2().name(), topics.l3().name())) {
                c.partitionsFor(t).forEach(i -> parts.add(new org.apache.kafka.common.TopicPartition(t, i.partition())));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            parts.forEach(c::position);
            ready.countDown();
            while (reading.get()) {
                for (ConsumerRecord<String, Alert> r : c.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    Alert a = r.value();
                    if (a.getStatus() != AlertStatus.OPEN) {
                        continue;
                    }
                    long late = now - a.getDetectedAt().toEpochMilli();
                    if (a.getKind() == AlertKind.FIRST_RESPONSE_BREACH) {
                        int kind = Integer.parseInt(a.getCaseId().substring("lat-".length())) % 4;
                        if (kind == 1) {
                            Long replied = repliedAt.get(a.getCaseId());
                            // Before the deadline: the reply was read after the heartbeat that fired it (a false breach).
                            // Otherwise the feeder sent it late (it fell behind its schedule): a true breach.
                            String what = replied == null ? "reply not sent yet (the feeder fell behind)"
                                    : replied < a.getDeadline().toEpochMilli() ? "answered just before the deadline"
                                    : "answered after the deadline (the feeder fell behind)";
                            unexpected.merge(what, 1, Integer::sum);
                        } else if (kind != 2) {
                            // An answered or reopened case: its reply or resolution was read after its deadline fired.
                            unexpected.merge(kind == 3 ? "reopened case" : "answered case", 1, Integer::sum);
                        }
                        deadline.add(new long[] {late, a.getDetectedAt().toEpochMilli()});
                    } else if (a.getKind() == AlertKind.REOPEN_LOOP) {
                        event.add(new long[] {late, a.getDetectedAt().toEpochMilli()});
                    }
                }
            }
        }
    }

    /** When each just-in-time reply was sent. */
    private static final Map<String, Long> repliedAt = new java.util.concurrent.ConcurrentHashMap<>();
    /** The benchmark policy's first-response budget, and how long before it the just-in-time replies are sent. */
    private static final Duration BUDGET = Duration.ofMinutes(Long.getLong("bench.budget.minutes", 1));
    private static final Duration JUST_IN_TIME = Duration.ofMillis(100);

    /** First-response breaches of cases that were answered (or resolved) before their deadline. */
    private static final Map<String, Integer> unexpected = new java.util.concurrent.ConcurrentHashMap<>();

    /** Latency of the alerts due (or triggered) from {@code from} on. */
    private static void report(String what, List<long[]> samples, long from) {
        long[] ms = samples.stream().filter(s -> s[1] >= from).mapToLong(s -> s[0]).sorted().toArray();
        if (ms.length == 0) {
            System.out.printf("%s: no alerts%n", what);
            return;
        }
        System.out.printf("%s: %,d alerts, p50 %d ms, p99 %d ms, max %d ms%n", what, ms.length, ms[(int) (ms.length * 0.50)],
                ms[Math.min(ms.length - 1, (int) (ms.length * 0.99))], ms[ms.length - 1]);
        // When the slow ones were due: a burst at one instant is a stall of the instance (or the broker), spread ones are not.
        long[][] slow = samples.stream().filter(s -> s[1] >= from && s[0] > 1_000).sorted((a, b) -> Long.compare(a[1], b[1]))
                .toArray(long[][]::new);
        if (slow.length > 0) {
            // Per second of due time: how many were late by over a second, and the worst.
            java.util.TreeMap<Long, long[]> bySecond = new java.util.TreeMap<>();
            for (long[] x : slow) {
                long[] c = bySecond.computeIfAbsent(x[1] / 1000, k -> new long[2]);
                c[0]++;
                c[1] = Math.max(c[1], x[0]);
            }
            StringBuilder b = new StringBuilder();
            bySecond.forEach((sec, c) -> b.append(String.format(" %s: %d (max %d ms);",
                    Instant.ofEpochSecond(sec).toString().substring(11, 19), c[0], c[1])));
            System.out.printf("  over 1 s: %d alerts, due at (second: count, worst)%s%n", slow.length, b);
        }
    }
}
