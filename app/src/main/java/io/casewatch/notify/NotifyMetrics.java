package io.casewatch.notify;

import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** What notify exports on /metrics (docs/operations.md, Notify). */
final class NotifyMetrics {
    private final MeterRegistry registry;

    NotifyMetrics(MeterRegistry registry, Supplier<Number> open) {
        this.registry = registry;
        Gauge.builder("casewatch.notify.open.alerts", open).description("alerts posted open and not yet closed").register(registry);
        Counter.builder("casewatch.notify.retries").description("posts to Alertmanager retried").register(registry);
        // Registered at start, so that rules and dashboards see zeros rather than no series (increase() needs them).
        for (String status : new String[] {"OPEN", "CLOSED"}) {
            counter("casewatch.notify.alerts.delivered", "status", status, "alerts accepted by every Alertmanager");
        }
        for (String reason : new String[] {Notifier.UNDECODABLE, Notifier.UNDELIVERABLE}) {
            counter("casewatch.notify.dead.letters", "reason", reason, "alerts dead-lettered because they could not be delivered");
        }
        Counter.builder("casewatch.notify.closed.unknown").description("CLOSED records for alerts not active in Alertmanager").register(registry);
    }

    private Counter counter(String name, String tag, String value, String description) {
        return Counter.builder(name).tag(tag, value).description(description).register(registry);
    }

    void delivered(String status) {
        counter("casewatch.notify.alerts.delivered", "status", status, "alerts accepted by every Alertmanager").increment();
    }

    void deadLettered(String reason) {
        counter("casewatch.notify.dead.letters", "reason", reason, "alerts dead-lettered because they could not be delivered").increment();
    }

    void retried() {
        registry.counter("casewatch.notify.retries").increment();
    }

    void closedUnknown() {
        Counter.builder("casewatch.notify.closed.unknown").description("CLOSED records for alerts not active in Alertmanager")
                .register(registry).increment();
    }
}
