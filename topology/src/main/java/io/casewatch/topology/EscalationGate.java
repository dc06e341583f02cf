package io.casewatch.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import io.casewatch.escalation.AlertIds;
import io.casewatch.escalation.EscalationRules;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.Evidence;
import io.casewatch.schema.Level;
import io.casewatch.schema.serde.AvroSerde;
import io.casewatch.state.StoreKind;

/**
 * Between raising an alert and publishing it: holds L1 alerts during quiet hours and folds alert storms (SPEC §4,
 * escalation issue). Runs in the same task as the case processor, on the same stream time, so it is deterministic
 * in replay. Folding counts per merchant within this task: with P input partitions a storm yields at most P
 * summaries per window (docs/decisions.md).
 */
final class EscalationGate implements Processor<String, GateInput, Object, Object> {

    /** Alerts raised per storm window, merchant and level ({@link StormCounts}). */

    private final EscalationRules rules;
    private final CaseProcessor.Sinks sinks;
    private final PipelineMetrics metrics;
    private ProcessorContext<Object, Object> context;
    private StormCounts storm;
    private KeyValueStore<Bytes, Alert> held;
    /** When each held alert is released (by alertId): derived from the held store's keys, rebuilt in {@code init()}. */
    private final Map<String, Long> heldIndex = new HashMap<>();

    EscalationGate(EscalationRules rules, CaseProcessor.Sinks sinks, PipelineMetrics metrics) {
        this.metrics = metrics;
        this.rules = rules;
        this.sinks = sinks;
    }

    static ProcessorSupplier<String, GateInput, Object, Object> supplier(EscalationRules rules, CaseProcessor.Sinks sinks,
            PipelineMetrics metrics, StoreKind stores) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, GateInput, Object, Object> get() {
                return new EscalationGate(rules, sinks, metrics);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                AvroSerde<Alert> alerts = new AvroSerde<>(Alert.class);
                return Set.of(
                        stores.keyValue(Names.STORM_WINDOWS, Serdes.Bytes(), Serdes.ByteArray()),
                        stores.keyValue(Names.QUIET_HELD, Serdes.Bytes(), alerts));
            }
        };
    }

    /**
     * Lower bounds, in memory, of the next held release and the next storm window end, so that the per-second
     * punctuation touches the stores only when something can be due. Zero after a start: the first pass scans.
     */
    private long earliestHeld = 0L;
    private long earliestWindowEnd = 0L;

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.storm = new StormCounts(context.getStateStore(Names.STORM_WINDOWS));
        this.held = context.getStateStore(Names.QUIET_HELD);
        // A revived task re-initialises this instance with its stores rolled back: start the bounds over.
        this.earliestHeld = 0L;
        this.earliestWindowEnd = 0L;
        heldIndex.clear();
        try (KeyValueIterator<Bytes, Alert> it = held.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, Alert> kv = it.next();
                heldIndex.put(kv.value.getAlertId(), ByteBuffer.wrap(kv.key.get()).getLong());
            }
        }
    }

    @Override
    public void process(Record<String, GateInput> record) {
        if (record.value() instanceof GateInput.Time t) {
            onTime(t.at());
            return;
        }
        Alert a = ((GateInput.Raised) record.value()).alert();
        if (a.getStatus() == AlertStatus.CLOSED) {
            Long heldUntil = heldIndex.get(a.getAlertId());
            if (heldUntil != null) {
                // Closed before anyone was paged: nothing to page, nothing to resolve.
                held.delete(heldKey(heldUntil, a.getAlertId()));
                heldIndex.remove(a.getAlertId());
                return;
            }
            publish(a);
            return;
        }
        long t = a.getDetectedAt().toEpochMilli();
        if (a.getLevel() == Level.L1) {
            long release = rules.releaseAt(t);
            if (release > t) {
                held.put(heldKey(release, a.getAlertId()), a);
                earliestHeld = Math.min(earliestHeld, release);
                heldIndex.put(a.getAlertId(), release);
                return;
            }
        }
        admit(a, t);
    }

    /** Publishes within the merchant's cap for the window, folds beyond it. */
    private void admit(Alert a, long t) {
        long window = Math.floorDiv(t, rules.stormWindow().toMillis()) * rules.stormWindow().toMillis();
        if (storm.increment(window, a.getMerchantId() + '|' + a.getLevel()) <= rules.stormCap()) {
            publish(a);
        }
        earliestWindowEnd = Math.min(earliestWindowEnd, window + rules.stormWindow().toMillis());
    }

    /**
     * How far the case processor has fired deadlines (grace included): held alerts due by then are released and ended
     * storm windows summarised. Following the case processor's time rather than stream time keeps a window open
     * while deadlines that belong in it may still fire.
     */
    void onTime(long now) {
        List<KeyValue<Bytes, Alert>> due = new ArrayList<>();
        if (now >= earliestHeld) {
            try (KeyValueIterator<Bytes, Alert> it = held.range(heldKey(earliestHeld, ""), heldKey(now + 1, ""))) {
                while (it.hasNext()) {
                    due.add(it.next());
                }
            }
            earliestHeld = now + 1;
        }
        for (KeyValue<Bytes, Alert> kv : due) {
            held.delete(kv.key);
            heldIndex.remove(kv.value.getAlertId());
            long release = ByteBuffer.wrap(kv.key.get()).getLong();
            kv.value.getEvidence().getNotes().put("heldUntil", Instant.ofEpochMilli(release).toString());
            admit(kv.value, release);
        }
        summarizeEndedWindows(now);
    }

    private void summarizeEndedWindows(long now) {
        long width = rules.stormWindow().toMillis();
        if (now < earliestWindowEnd || now - width < 0) {
            return;
        }
        for (StormCounts.Ended e : storm.takeUpTo(now - width)) {
            if (e.total() > rules.stormCap()) {
                publish(summary(e.merchantLevel(), e.windowStart(), rules.stormCap(), e.total() - rules.stormCap(), width));
            }
        }
        long earliest = storm.earliestStart();
        earliestWindowEnd = earliest == Long.MAX_VALUE ? Long.MAX_VALUE : earliest + width;
    }

    private Alert summary(String merchantLevel, long start, long passedCount, long foldedCount, long width) {
        int bar = merchantLevel.lastIndexOf('|');
        String merchant = merchantLevel.substring(0, bar);
        Level level = Level.valueOf(merchantLevel.substring(bar + 1));
        int partition = context.taskId().partition();
        Evidence.Builder ev = Evidence.newBuilder().setCount(foldedCount).setNotes(new HashMap<>());
        ev.getNotes().put("published", Long.toString(passedCount));
        ev.getNotes().put("windowStart", Instant.ofEpochMilli(start).toString());
        ev.getNotes().put("windowEnd", Instant.ofEpochMilli(start + width).toString());
        ev.getNotes().put("cap", Integer.toString(rules.stormCap()));
        ev.getNotes().put("partition", Integer.toString(partition));
        return Alert.newBuilder()
                .setAlertId(AlertIds.of("storm:" + merchant + ':' + start + ':' + partition, AlertKind.ALERT_STORM, 1, level))
                .setCaseId("storm:" + merchant)
                .setMerchantId(merchant)
                .setKind(AlertKind.ALERT_STORM)
                .setLevel(level)
                .setPolicyId("")
                .setDetectedAt(Instant.ofEpochMilli(start + width))
                .setEvidence(ev.build())
                .build();
    }

    private void publish(Alert a) {
        String sink = switch (a.getLevel()) {
            case L1 -> sinks.l1();
            case L2 -> sinks.l2();
            case L3 -> sinks.l3();
        };
        context.forward(new Record<Object, Object>(a.getCaseId(), a,
                a.getDetectedAt().toEpochMilli()), sink);
        metrics.alertPublished(a);
    }


    static Bytes heldKey(long release, String alertId) {
        byte[] id = alertId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + id.length).putLong(Math.max(0L, release)).put(id).array());
    }
}
