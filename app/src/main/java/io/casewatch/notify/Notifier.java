package io.casewatch.notify;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;

import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.topology.DeadLetters;

/**
 * Reads the escalation topics ({@code read_committed}) and posts each alert to Alertmanager, at least once: a batch's
 * offsets are committed only after every alert of it was accepted (2xx) by every configured Alertmanager, or
 * dead-lettered with the reason. A re-read alert is posted again with the same labels, which Alertmanager folds into
 * the alert it has: a restart creates no duplicate.
 *
 * <p>Open alerts: Alertmanager resolves an alert whose {@code endsAt} passes, so clients re-post what is still open.
 * This one keeps the open alerts it posted (labels and annotations, a few hundred bytes each) and re-posts them
 * every {@code resendEvery} with {@code endsAt} = now + 4 intervals. At start it takes over this deployment's active
 * alerts from Alertmanager itself (label {@code deployment}), so neither a restart of notify nor one of Alertmanager
 * loses an open alert, and a CLOSED record read after a restart still finds the labels to resolve. A CLOSED record
 * posts those labels with {@code endsAt} = now. Decisions: docs/decisions.md (Alerts that reach a person).
 */
public final class Notifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    /** Dead-letter reasons ({@code casewatch.dlq.reason}). */
    public static final String UNDECODABLE = "NOTIFY_UNDECODABLE";
    public static final String UNDELIVERABLE = "NOTIFY_UNDELIVERABLE";

    private final NotifySettings settings;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<String> topics;
    private final String deadLetterTopic;
    private final AlertmanagerClient client;
    private final NotifyMetrics metrics;
    private final Clock clock;
    private final Map<String, AmAlert> open = new LinkedHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean alive = true;
    private volatile Throwable failure;
    private Instant nextResend;

    /**
     * @param clientProps bootstrap and security settings, plus any consumer or producer keys to pass on
     */
    public Notifier(NotifySettings settings, Properties clientProps, List<String> topics, String deadLetterTopic, MeterRegistry registry,
            Clock clock) {
        this.settings = settings;
        this.topics = List.copyOf(topics);
        this.deadLetterTopic = deadLetterTopic;
        this.clock = clock;
        this.client = new AlertmanagerClient(settings.requestTimeout());
        this.metrics = new NotifyMetrics(registry, open::size);
        this.consumer = new KafkaConsumer<>(consumerProps(settings, clientProps), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProps(clientProps), new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "casewatch-notify");
    }

    static Properties consumerProps(NotifySettings s, Properties client) {
        Properties p = new Properties();
        // A new group starts at the end: a first deployment does not page for every alert of the topics' history.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        pass(client, p, ConsumerConfig.configNames());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, s.group());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A delivery is retried for up to giveUpAfter between two polls: the group must not evict us meanwhile.
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, s.giveUpAfter().plusMinutes(5).toMillis()));
        return p;
    }

    static Properties producerProps(Properties client) {
        Properties p = new Properties();
        pass(client, p, ProducerConfig.configNames());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return p;
    }

    private static void pass(Properties from, Properties to, Set<String> names) {
        from.forEach((k, v) -> {
            String key = k.toString();
            if (names.contains(key) || key.startsWith("config.providers") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                to.put(key, v);
            }
        });
    }

    /** Takes over the open alerts from Alertmanager, then reads from the escalation topics on its own thread. */
    public Notifier start() {
        thread.start();
        return this;
    }

    /** False once the loop ended (closed, or failed: see {@link #failure()}). */
    public boolean alive() {
        return alive;
    }

    public Throwable failure() {
        return failure;
    }

    /** Alerts this instance holds open (posted, not yet closed). */
    public int openAlerts() {
        synchronized (open) {
            return open.size();
        }
    }

    private void run() {
        try {
            takeOver();
            consumer.subscribe(topics);
            nextResend = clock.instant().plus(settings.resendEvery());
            while (closing.getCount() > 0) {
                resendIfDue();
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    handle(r);
                }
                if (!batch.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (Closing | WakeupException e) {
            // closed while waiting: what was not committed is read again by the next start
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("notify stopped: {}", e.toString());
        } finally {
            alive = false;
            try {
                consumer.close(Duration.ofSeconds(5));
            } finally {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }

    /** This deployment's active alerts, from the first Alertmanager that answers; retried until one does. */
    private void takeOver() {
        Duration backoff = settings.firstBackoff();
        while (true) {
            for (URI am : settings.alertmanagers()) {
                try {
                    List<AmAlert> active = client.active(am, List.of("alertname=\"" + AlertMapping.ALERTNAME + "\"",
                            "deployment=\"" + settings.deployment() + "\""));
                    synchronized (open) {
                        active.forEach(a -> open.put(a.alertId(), a));
                    }
                    LOG.info("notify: {} open alerts taken over from {}", active.size(), am);
                    return;
                } catch (IOException e) {
                    LOG.warn("notify: cannot read the active alerts of {} ({}); retrying", am, e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Closing();
                }
            }
            pause(backoff);
            backoff = next(backoff);
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        Alert a;
        try {
            a = RecordSerdes.ALERT.fromBytes(r.value());
        } catch (SerializationException e) {
            deadLetter(r, UNDECODABLE, e.getMessage());
            return;
        }
        Instant now = clock.instant();
        if (a.getStatus() == AlertStatus.CLOSED) {
            String id = (a.getRelatedAlertId() == null ? a.getAlertId() : a.getRelatedAlertId()).toString();
            AmAlert was;
            synchronized (open) {
                was = open.get(id);
            }
            if (was == null) {
                // Not active in Alertmanager (never posted by this deployment, or already resolved): nothing to end.
                metrics.closedUnknown();
                return;
            }
            if (deliver(r, List.of(was.endingAt(now)))) {
                metrics.delivered("CLOSED");
            }
            synchronized (open) {
                open.remove(id);
            }
        } else {
            AmAlert am = AlertMapping.open(a, settings, now);
            if (deliver(r, List.of(am))) {
                metrics.delivered("OPEN");
                synchronized (open) {
                    open.put(am.alertId(), am);
                }
            }
        }
    }

    /** Posts to every Alertmanager, retrying with backoff; dead-letters when that cannot succeed. */
    private boolean deliver(ConsumerRecord<byte[], byte[]> r, List<AmAlert> alerts) {
        Set<URI> pending = new LinkedHashSet<>(settings.alertmanagers());
        long giveUp = System.nanoTime() + settings.giveUpAfter().toNanos();
        Duration backoff = settings.firstBackoff();
        String last = null;
        while (true) {
            for (URI am : new ArrayList<>(pending)) {
                AlertmanagerClient.Outcome o = client.post(am, alerts);
                if (o.accepted()) {
                    pending.remove(am);
                } else if (o.permanent()) {
                    deadLetter(r, UNDELIVERABLE, o.reason());
                    return false;
                } else {
                    last = o.reason();
                }
            }
            if (pending.isEmpty()) {
                return true;
            }
            if (System.nanoTime() - giveUp >= 0) {
                deadLetter(r, UNDELIVERABLE, "not accepted within " + settings.giveUpAfter() + " (casewatch.notify.give.up.after): " + last);
                return false;
            }
            metrics.retried();
            LOG.warn("notify: alert not delivered yet, retrying in {} ms: {}", backoff.toMillis(), last);
            pause(backoff);
            backoff = next(backoff);
        }
    }

    private void resendIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextResend)) {
            return;
        }
        nextResend = now.plus(settings.resendEvery());
        List<AmAlert> refreshed = new ArrayList<>();
        synchronized (open) {
            open.replaceAll((id, a) -> a.endingAt(now.plus(settings.openFor())));
            refreshed.addAll(open.values());
        }
        if (refreshed.isEmpty()) {
            return;
        }
        for (URI am : settings.alertmanagers()) {
            AlertmanagerClient.Outcome o = client.post(am, refreshed);
            if (!o.accepted()) {
                // The next round tries again; open alerts stay active for 4 rounds.
                LOG.warn("notify: re-posting {} open alerts failed: {}", refreshed.size(), o.reason());
            }
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> r, String reason, String error) {
        Headers h = new RecordHeaders(r.headers().toArray());
        h.remove(DeadLetters.REASON);
        h.add(DeadLetters.REASON, utf8(reason));
        h.add(DeadLetters.ERROR, utf8(error == null ? "" : error.length() > 300 ? error.substring(0, 300) : error));
        h.add(DeadLetters.TOPIC, utf8(r.topic()));
        h.add(DeadLetters.PARTITION, utf8(Integer.toString(r.partition())));
        h.add(DeadLetters.OFFSET, utf8(Long.toString(r.offset())));
        h.add(DeadLetters.TIMESTAMP, utf8(Long.toString(r.timestamp())));
        try {
            // Acknowledged before the offset is committed: a dead-lettered alert is never lost.
            producer.send(new ProducerRecord<>(deadLetterTopic, null, r.key(), r.value(), h)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Closing();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write to the dead-letter topic " + deadLetterTopic + ": " + e.getMessage(), e);
        }
        metrics.deadLettered(reason);
        LOG.warn("notify: {}:{}@{} dead-lettered ({}): {}", r.topic(), r.partition(), r.offset(), reason, error);
    }

    private Duration next(Duration backoff) {
        Duration d = backoff.multipliedBy(2);
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    /** Waits, or returns at once by throwing when closing. */
    private void pause(Duration d) {
        try {
            if (closing.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Closing();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Closing();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Stops without committing what is in flight (read again at the next start). */
    @Override
    public void close() {
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Closing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Closing() {
            super(null, null, false, false);
        }
    }
}
