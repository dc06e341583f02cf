package io.casewatch.ops;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.casewatch.cases.InvalidEventException.Reason;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertStatus;
import io.casewatch.topology.IntakeCounters;
import io.casewatch.topology.PipelineMetrics;

/**
 * casewatch's domain metrics, bound to a Micrometer registry as one {@link MeterBinder} and exported by
 * {@code /metrics} as Prometheus names (dots become underscores, counters end in {@code _total}, timers in
 * {@code _seconds}). The names are a contract with the dashboards and alert rules under {@code deploy/}; a test checks
 * that every name they use is exported.
 */
public final class MicrometerPipelineMetrics implements PipelineMetrics, MeterBinder {

    private final Clock clock;
    private final IntakeCounters intake;
    private final Consumer<Alert> onPublished;
    private final CaseGaugeTracker cases = new CaseGaugeTracker();
    private final ConcurrentMap<String, Counter> published = new ConcurrentHashMap<>();
    private MeterRegistry registry;
    private Counter holding;
    private Counter waited;
    private Timer punctuation;
    private Timer latency;

    /**
     * Bind it to a registry ({@link #bindTo}) before the topology runs.
     *
     * @param clock       the deployment's clock: alert latency is its time of publishing minus the alert's detection
     *                    time (in the demo, simulated time)
     * @param intake      the intake's counters, exported as processed and dead-lettered records
     * @param onPublished also told of every published alert (the live page's recent alerts)
     */
    public MicrometerPipelineMetrics(Clock clock, IntakeCounters intake, Consumer<Alert> onPublished) {
        this.clock = clock;
        this.intake = intake;
        this.onPublished = onPublished;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (this.registry != null) {
            throw new IllegalStateException("casewatch's metrics are bound to one registry only");
        }
        this.registry = registry;
        this.holding = Counter.builder("casewatch.holding.replies").description("Outbound replies judged holding replies")
                .register(registry);
        this.waited = Counter.builder("casewatch.events.waited")
                .description("Events that waited for every input partition to be proven past them before they were applied")
                .register(registry);
        this.punctuation = Timer.builder("casewatch.punctuation").description("Time of one punctuation of the case processor")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.latency = Timer.builder("casewatch.alert.latency")
                .description("From an alert's detection time (its deadline, for a breach) to its publishing, on the deployment clock")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofDays(1))
                .register(registry);
        Gauge.builder("casewatch.cases.open", cases, CaseGaugeTracker::open).description("Open cases (OPEN or AWAITING_CUSTOMER)")
                .register(registry);
        Gauge.builder("casewatch.cases.at.risk", cases, CaseGaugeTracker::atRisk)
                .description("Open cases with a clock at risk and none breached").register(registry);
        Gauge.builder("casewatch.cases.breached", cases, CaseGaugeTracker::breached)
                .description("Open cases with a breached clock").register(registry);
        FunctionCounter.builder("casewatch.records.processed", intake, IntakeCounters::accepted).tag("outcome", "accepted")
                .description("Input records decoded and passed to the case processor").register(registry);
        FunctionCounter.builder("casewatch.records.processed", intake, IntakeCounters::duplicates).tag("outcome", "duplicate")
                .description("Input records decoded and passed to the case processor").register(registry);
        FunctionCounter.builder("casewatch.records.processed", intake, IntakeCounters::ticks).tag("outcome", "tick")
                .description("Input records decoded and passed to the case processor").register(registry);
        FunctionCounter.builder("casewatch.texts.truncated", intake, IntakeCounters::truncatedTexts)
                .description("Contacts whose text was longer than casewatch.max.text.chars, counted and classified on its head")
                .register(registry);
        for (Reason r : Reason.values()) {
            FunctionCounter.builder("casewatch.dead.letters", intake, c -> c.deadLettered(r)).tag("reason", r.name())
                    .description("Input records sent to the dead-letter topic").register(registry);
        }
        // The accounting pair of SPEC section 8, per input partition: read + processed + dead-lettered can be checked
        // against the partition's records (minus those of cases still waiting for their OPENED, at most the orphan grace).
        intake.onNewPartition(p -> {
            IntakeCounters.PartitionCounts counts = intake.partitions().get(p);
            FunctionCounter.builder("casewatch.input.records.processed", counts, IntakeCounters.PartitionCounts::processed)
                    .tag("topic", p.topic()).tag("partition", Integer.toString(p.partition()))
                    .description("Input records applied to their case or recognised as duplicates, per input partition")
                    .register(registry);
            FunctionCounter.builder("casewatch.input.records.dead.lettered", counts, IntakeCounters.PartitionCounts::deadLettered)
                    .tag("topic", p.topic()).tag("partition", Integer.toString(p.partition()))
                    .description("Input records sent to the dead-letter topic, per input partition").register(registry);
        });
    }

    @Override
    public void alertPublished(Alert a) {
        String key = a.getKind() + "|" + a.getLevel() + "|" + a.getStatus();
        published.computeIfAbsent(key, k -> Counter.builder("casewatch.alerts.published")
                .description("Alerts published to the escalation topics")
                .tag("kind", a.getKind().name()).tag("level", a.getLevel().name()).tag("status", a.getStatus().name())
                .register(registry)).increment();
        if (a.getStatus() == AlertStatus.OPEN) {
            latency.record(Math.max(0L, clock.millis() - a.getDetectedAt().toEpochMilli()), TimeUnit.MILLISECONDS);
        }
        onPublished.accept(a);
    }

    @Override
    public void eventWaited() {
        waited.increment();
    }

    @Override
    public void holdingReplies(int count) {
        if (count > 0) {
            holding.increment(count);
        }
    }

    @Override
    public void punctuation(long nanos) {
        punctuation.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public CaseGauges caseGauges(String taskId) {
        return cases.forTask();
    }
}
