package io.casewatch.ops;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.HostInfo;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import io.casewatch.cases.CaseEngine;
import io.casewatch.topology.IntakeCounters;
import io.casewatch.topology.PipelineMetrics;

/**
 * The operations surface of one instance, wired in two steps around the creation of Kafka Streams: {@link #start}
 * binds the HTTP port and provides the metrics hooks the topology needs; {@link #attach} then connects the running
 * instance (its Kafka metrics, readiness and state stores).
 */
public final class Operations implements AutoCloseable {
    private static final int RECENT_ALERTS = 100;

    private final PrometheusMeterRegistry registry;
    private final MicrometerPipelineMetrics metrics;
    private final RecentAlerts recent;
    private final Readiness readiness;
    private final OpsServer server;
    private final Clock clock;
    private KafkaStreamsMetrics streamsMetrics;

    private Operations(PrometheusMeterRegistry registry, MicrometerPipelineMetrics metrics, RecentAlerts recent, Readiness readiness,
            OpsServer server, Clock clock) {
        this.registry = registry;
        this.metrics = metrics;
        this.recent = recent;
        this.readiness = readiness;
        this.server = server;
        this.clock = clock;
    }

    /** @param clock the deployment's clock (alert latency, and the "now" at which queried statuses are computed) */
    public static Operations start(HttpSettings http, Clock clock, IntakeCounters intake) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        RecentAlerts recent = new RecentAlerts(RECENT_ALERTS);
        MicrometerPipelineMetrics metrics = new MicrometerPipelineMetrics(clock, intake, recent::add);
        metrics.bindTo(registry);
        Readiness readiness = new Readiness();
        OpsServer server = OpsServer.start(http, registry::scrape, readiness);
        return new Operations(registry, metrics, recent, readiness, server, clock);
    }

    /** The registry behind {@code /metrics}, for meters of other parts of the instance. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The hooks to pass to the topology ({@code TopologyRuntime.withMetrics}). */
    public PipelineMetrics metrics() {
        return metrics;
    }

    /** To install with {@code KafkaStreams.setGlobalStateRestoreListener} before start: readiness waits for restores. */
    public StateRestoreListener restoreListener() {
        return readiness;
    }

    /** {@code host:port} for {@code application.server}. */
    public String advertised() {
        return server.advertised();
    }

    public int port() {
        return server.port();
    }

    /**
     * Connects the instance: Kafka Streams metrics, health, and queries over its stores.
     *
     * @param applicationServer the instance's {@code application.server} ({@code host:port})
     * @param engine            computes a case's status from its stored state, as the topology does
     */
    public void attach(KafkaStreams streams, Topology topology, String applicationServer, CaseEngine engine) {
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        readiness.attach(streams);
        server.attach(new Queries(streams, HostInfo.buildFromEndpoint(applicationServer), storeNames(topology), engine, clock, recent));
    }

    static Set<String> storeNames(Topology topology) {
        Set<String> names = new HashSet<>();
        for (TopologyDescription.Subtopology st : topology.describe().subtopologies()) {
            for (TopologyDescription.Node n : st.nodes()) {
                if (n instanceof TopologyDescription.Processor p) {
                    names.addAll(p.stores());
                }
            }
        }
        return names;
    }

    @Override
    public void close() {
        server.close();
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        registry.close();
    }
}
