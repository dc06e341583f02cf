package io.casewatch.topology;

import static io.casewatch.topology.Names.CASES;
import static io.casewatch.topology.Names.GATE;
import static io.casewatch.topology.Names.INTAKE_ACKS;
import static io.casewatch.topology.Names.INTAKE_COMPLAINTS;
import static io.casewatch.topology.Names.INTAKE_CONTACTS;
import static io.casewatch.topology.Names.INTAKE_TICKS;
import static io.casewatch.topology.Names.SINK_COMPLIANCE;
import static io.casewatch.topology.Names.SINK_DLQ;
import static io.casewatch.topology.Names.SINK_FACTS;
import static io.casewatch.topology.Names.SINK_L1;
import static io.casewatch.topology.Names.SINK_L2;
import static io.casewatch.topology.Names.SINK_L3;
import static io.casewatch.topology.Names.SINK_STATUS;
import static io.casewatch.topology.Names.SRC_ACKS;
import static io.casewatch.topology.Names.SRC_COMPLAINTS;
import static io.casewatch.topology.Names.SRC_CONTACTS;
import static io.casewatch.topology.Names.SRC_TICKS;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

import io.casewatch.cases.CaseEngine;

/**
 * Sub-topology 0, the cases, keyed by caseId over four co-partitioned inputs: intake (decode, validate, dead-letter)
 * → cases (the case engine, due deadlines, statuses, facts, compliance records) → escalation gate (storm folding,
 * quiet hours, one topic per level). docs/architecture.md draws it.
 */
final class CaseSubTopology {

    private CaseSubTopology() {
    }

    static void addTo(TopologyPlan plan, CasewatchTopology.Settings s, TopologyRuntime runtime) {
        Topics t = s.topics();
        Intake.Limits limits = new Intake.Limits(s.maxFuture(), s.maxTextChars(), runtime.clockOrNull());
        CaseEngine engine = new CaseEngine(s.policies(), s.classifier(), s.escalation());
        GuardedTimestampExtractor timestamps = new GuardedTimestampExtractor(s.maxFuture(), runtime.clockOrNull());
        var bytesIn = Serdes.ByteArray().deserializer();

        plan.source(SRC_COMPLAINTS, t.complaints().name(), Topology.AutoOffsetReset.EARLIEST, timestamps, bytesIn, bytesIn);
        plan.source(SRC_CONTACTS, t.contacts().name(), Topology.AutoOffsetReset.EARLIEST, timestamps, bytesIn, bytesIn);
        plan.source(SRC_ACKS, t.acks().name(), Topology.AutoOffsetReset.EARLIEST, timestamps, bytesIn, bytesIn);
        plan.source(SRC_TICKS, t.ticks().name(), Topology.AutoOffsetReset.LATEST, timestamps, bytesIn, bytesIn);

        plan.processor(INTAKE_COMPLAINTS, intake(CaseInput.Kind.COMPLAINT, limits, runtime), SRC_COMPLAINTS);
        plan.processor(INTAKE_CONTACTS, intake(CaseInput.Kind.CONTACT, limits, runtime), SRC_CONTACTS);
        plan.processor(INTAKE_ACKS, intake(CaseInput.Kind.ACK, limits, runtime), SRC_ACKS);
        plan.processor(INTAKE_TICKS, intake(null, limits, runtime), SRC_TICKS);

        CaseProcessor.Sinks sinks = new CaseProcessor.Sinks(GATE, SINK_L1, SINK_L2, SINK_L3, SINK_STATUS, SINK_DLQ, SINK_FACTS, SINK_COMPLIANCE);
        plan.processor(CASES, CaseProcessor.supplier(engine, s.grace(), s.punctuateEvery(), sinks, runtime.counters(), runtime.metrics(),
                s.stores(), s.orphanGrace(), s.stats().watermarkPace(), s.statusInterval(), runtime.live(), runtime.inputProgress(),
                new String[] {t.complaints().name(), t.contacts().name(), t.acks().name()}, limits),
                INTAKE_COMPLAINTS, INTAKE_CONTACTS, INTAKE_ACKS, INTAKE_TICKS);
        plan.processor(GATE, EscalationGate.supplier(s.escalation(), sinks, runtime.metrics(), s.stores()), CASES);

        plan.sink(SINK_L1, t.l1().name(), t.l1().keySerde().serializer(), t.l1().valueSerde().serializer(), null, GATE);
        plan.sink(SINK_L2, t.l2().name(), t.l2().keySerde().serializer(), t.l2().valueSerde().serializer(), null, GATE);
        plan.sink(SINK_L3, t.l3().name(), t.l3().keySerde().serializer(), t.l3().valueSerde().serializer(), null, GATE);
        plan.sink(SINK_STATUS, t.status().name(), t.status().keySerde().serializer(), t.status().valueSerde().serializer(), null, CASES);
        plan.sink(SINK_COMPLIANCE, t.compliance().name(), t.compliance().keySerde().serializer(), t.compliance().valueSerde().serializer(),
                null, CASES);
        plan.sink(SINK_FACTS, t.facts().name(), t.facts().keySerde().serializer(), t.facts().valueSerde().serializer(),
                new FactsPartitioner(), CASES);
        plan.sink(SINK_DLQ, t.deadLetters().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), null,
                INTAKE_COMPLAINTS, INTAKE_CONTACTS, INTAKE_ACKS, CASES);
    }

    private static ProcessorSupplier<byte[], byte[], Object, Object> intake(CaseInput.Kind kind, Intake.Limits limits,
            TopologyRuntime runtime) {
        return () -> new Intake(kind, limits, CASES, SINK_DLQ, runtime.counters(), runtime.inputProgress());
    }
}
