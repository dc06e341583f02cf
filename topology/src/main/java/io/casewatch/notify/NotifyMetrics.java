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
    }

    void delivered(String status) {
        Counter.builder("casewatch.notify.alerts.delivered").tag("status", status)
                .description("alerts accepted by every Alertmanager").register(registry).increment();
    }

    void deadLettered(String reason) {
        Counter.builder("casewatch.notify.dead.letters").tag("reason", reason)
                .description("alerts dead-lettered because they could not be delivered").register(registry).increment();
    }

    void retried() {
        registry.counter("casewatch.notify.retries").increment();
    }

    void closedUnknown() {
        Counter.builder("casewatch.notify.closed.unknown").description("CLOSED records for alerts not active in Alertmanager")
                .register(registry).increment();
    }
}
