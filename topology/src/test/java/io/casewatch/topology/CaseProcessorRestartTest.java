package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;

import io.casewatch.cases.CaseEngine;
import io.casewatch.escalation.EscalationRules;
import io.casewatch.loops.HoldingReplyClassifier;
import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Alert;
import io.casewatch.schema.CaseStatus;
import io.casewatch.state.StoreKind;
import io.casewatch.testing.Events;

/**
 * The case processor keeps its timer index and the statuses it still owes in memory and finds them again from the
 * case store when a task starts on restored state: a task started anew on the same stores fires the deadlines and
 * publishes the statuses that one uninterrupted task does.
 */
class CaseProcessorRestartTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration GRACE = Duration.ofMillis(500);
    private static final CaseProcessor.Sinks SINKS = new CaseProcessor.Sinks("gate", "l1", "l2", "l3", "status", "dlq", "facts", "compliance");

    private final ProcessorSupplier<String, CaseTaskInput, Object, Object> supplier = CaseProcessor.supplier(
            new CaseEngine(PolicySet.presets(), HoldingReplyClassifier.shipped(), EscalationRules.DEFAULT), GRACE, Duration.ofMillis(500),
            SINKS, new IntakeCounters(), PipelineMetrics.NONE, StoreKind.IN_MEMORY, Duration.ofHours(1), Duration.ZERO,
            Duration.ofSeconds(1), true, InputProgress.STREAM_TIME, new String[] {"complaints", "contacts", "acks"}, Intake.Limits.DEFAULT);

    private final List<KeyValueStore<?, ?>> stores = new ArrayList<>();
    private long offset;

    /** A task on the shared stores: a new processor instance and context, as after a restart on restored state. */
    private MockProcessorContext<Object, Object> start() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        context.setCurrentStreamTimeMs(0L);
        context.setCurrentSystemTimeMs(0L);
        if (stores.isEmpty()) {
            for (StoreBuilder<?> b : supplier.stores()) {
                KeyValueStore<?, ?> store = (KeyValueStore<?, ?>) b.build();
                store.init(context.getStateStoreContext(), store);
                stores.add(store);
            }
        }
        stores.forEach(context::addStateStore);
        return context;
    }

    private Processor<String, CaseTaskInput, Object, Object> init(MockProcessorContext<Object, Object> context) {
        Processor<String, CaseTaskInput, Object, Object> p = supplier.get();
        p.init(context);
        return p;
    }

    private void process(Processor<String, CaseTaskInput, Object, Object> p, MockProcessorContext<Object, Object> context,
            org.apache.avro.specific.SpecificRecord event, CaseInput.Kind kind, String caseId, String eventId, Instant at) {
        context.setCurrentStreamTimeMs(at.toEpochMilli());
        CaseInput in = new CaseInput(kind, event, eventId, at.toEpochMilli(),
                new CaseInput.Source("t", 0, offset++, at.toEpochMilli(), new byte[0], new byte[0], new RecordHeaders()));
        p.process(new Record<>(caseId, in, at.toEpochMilli()));
    }

    private void feed(Processor<String, CaseTaskInput, Object, Object> p, MockProcessorContext<Object, Object> context) {
        var opened = Events.opened("c-1", T0, "GB");
        process(p, context, opened, CaseInput.Kind.COMPLAINT, "c-1", opened.getEventId(), T0);
        var inbound = Events.inbound("c-1", T0.plus(Duration.ofMinutes(5)));
        process(p, context, inbound, CaseInput.Kind.CONTACT, "c-1", inbound.getEventId(), T0.plus(Duration.ofMinutes(5)));
    }

    private static void punctuate(MockProcessorContext<Object, Object> context, PunctuationType type, long at) {
        for (var s : context.scheduledPunctuators()) {
            if (s.getType() == type) {
                s.getPunctuator().punctuate(at);
            }
        }
    }

    private static List<Object> forwardedTo(MockProcessorContext<Object, Object> context, String child) {
        return context.forwarded().stream().filter(f -> child.equals(f.childName().orElse(null))).map(f -> (Object) f.record().value())
                .filter(v -> !(v instanceof GateInput.Time)).map(v -> v instanceof GateInput.Raised r ? r.alert() : v).toList();
    }

    @Test
    void aTaskStartedOnTheStoresPublishesTheStatusesThatWereStillOwed() {
        MockProcessorContext<Object, Object> first = start();
        feed(init(first), first);
        assertThat(forwardedTo(first, "status")).as("coalesced: nothing yet").isEmpty();

        MockProcessorContext<Object, Object> second = start();
        init(second);
        punctuate(second, PunctuationType.WALL_CLOCK_TIME, 0L);
        assertThat(forwardedTo(second, "status")).extracting(s -> ((CaseStatus) s).getInboundContacts()).containsExactly(1);

        MockProcessorContext<Object, Object> third = start();
        init(third);
        punctuate(third, PunctuationType.WALL_CLOCK_TIME, 0L);
        assertThat(forwardedTo(third, "status")).as("emitted before the restart: owed no more").isEmpty();
    }

    @Test
    void aTaskStartedOnTheStoresFiresTheDeadlinesAnUninterruptedTaskFires() {
        long later = T0.plus(Duration.ofDays(90)).toEpochMilli();
        CaseProcessorRestartTest other = new CaseProcessorRestartTest();
        MockProcessorContext<Object, Object> uninterrupted = other.start();
        other.feed(other.init(uninterrupted), uninterrupted);
        punctuate(uninterrupted, PunctuationType.STREAM_TIME, later);
        List<Object> expected = forwardedTo(uninterrupted, "gate");
        assertThat(expected).as("the GB case breaches its deadlines by then").isNotEmpty();

        MockProcessorContext<Object, Object> first = start();
        feed(init(first), first);
        MockProcessorContext<Object, Object> second = start();
        init(second);
        punctuate(second, PunctuationType.STREAM_TIME, later);
        assertThat(forwardedTo(second, "gate")).extracting(a -> ((Alert) a).getAlertId())
                .containsExactlyElementsOf(expected.stream().map(a -> ((Alert) a).getAlertId()).toList());
    }
}
