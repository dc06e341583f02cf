package io.casewatch.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import io.casewatch.schema.internal.HeldEvent;
import io.casewatch.schema.internal.HeldEvents;
import io.casewatch.schema.serde.AvroSerde;
import io.casewatch.state.StoreKind;
import io.casewatch.state.TimerIndex;

/**
 * Events of opened cases that wait for the input-partition gate (docs/time.md). Before an event at time <i>t</i> is
 * applied, its case's clocks fire up to <i>t</i> less the grace. When one of them is due later than every input
 * partition of the task is proven to have got, a reply to the case may still be unread on another partition, and
 * firing it would be a false breach. Such an event is kept here, with every later event of its case, and applied in
 * event-time order once the gate has passed it; it is kept as read but for its free text ({@link TextWithheld}).
 *
 * <p>Rare in a running deployment: the gate follows the heartbeats within a tick, so an event waits only when its
 * case has a clock due in the moments between them, or while a partition lags (a failover, a backlog read ahead on
 * one topic). The store is changelogged because the records it holds are consumed; the index of when each case's
 * first held event is due is rebuilt from it in {@link #init}.
 */
final class GateHold {

    /**
     * Events one case may keep waiting. Past it the case's events are applied in their order without the gate, as
     * an ungated deployment does, rather than growing a store while a partition cannot be proven.
     */
    static final int MAX_EVENTS = 256;

    private KeyValueStore<String, HeldEvents> store;
    /** When each waiting case's earliest event may go (its event time; key: that time big-endian, then caseId). */
    private final TimerIndex index = new TimerIndex();
    private final Map<String, Long> earliest = new HashMap<>();

    static StoreBuilder<?> storeBuilder(StoreKind kind) {
        return kind.keyValue(Names.CASE_HELD, Serdes.String(), new AvroSerde<>(HeldEvents.class));
    }

    void init(ProcessorContext<Object, Object> ctx) {
        this.store = ctx.getStateStore(Names.CASE_HELD);
        index.clear();
        earliest.clear();
        try (KeyValueIterator<String, HeldEvents> it = store.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                reindex(kv.key, kv.value.getEvents());
            }
        }
    }

    boolean isEmpty() {
        return earliest.isEmpty();
    }

    /** Whether events of the case are waiting: its next event waits behind them, whatever its time. */
    boolean holds(String caseId) {
        return earliest.containsKey(caseId);
    }

    /** Whether the case already keeps {@link #MAX_EVENTS} waiting. */
    boolean full(String caseId) {
        HeldEvents h = store.get(caseId);
        return h != null && h.getEvents().size() >= MAX_EVENTS;
    }

    void hold(String caseId, HeldEvent event) {
        HeldEvents h = store.get(caseId);
        List<HeldEvent> events = h == null ? new ArrayList<>() : new ArrayList<>(h.getEvents());
        events.add(event);
        // Stable: events of the same instant keep the order they were read in.
        events.sort(Comparator.comparingLong(HeldEvent::getOccurredAt));
        store.put(caseId, new HeldEvents(events));
        reindex(caseId, events);
    }

    /** The cases with an event at or before {@code upTo}, by their earliest event. */
    List<String> dueBy(long upTo) {
        List<String> cases = new ArrayList<>();
        for (Bytes k : index.dueBy(upTo, Integer.MAX_VALUE)) {
            byte[] b = k.get();
            cases.add(new String(b, 8, b.length - 8, StandardCharsets.UTF_8));
        }
        return cases;
    }

    /** The time of the case's earliest waiting event; null if none waits. */
    Long firstAt(String caseId) {
        return earliest.get(caseId);
    }

    /** Takes the case's earliest waiting event. */
    HeldEvent takeFirst(String caseId) {
        HeldEvents h = store.get(caseId);
        List<HeldEvent> rest = new ArrayList<>(h.getEvents());
        HeldEvent first = rest.remove(0);
        if (rest.isEmpty()) {
            store.delete(caseId);
        } else {
            store.put(caseId, new HeldEvents(rest));
        }
        reindex(caseId, rest);
        return first;
    }

    private void reindex(String caseId, List<HeldEvent> events) {
        Long was = earliest.remove(caseId);
        if (was != null) {
            index.remove(TimerIndex.key(was, caseId.getBytes(StandardCharsets.UTF_8)));
        }
        if (!events.isEmpty()) {
            long first = events.get(0).getOccurredAt();
            earliest.put(caseId, first);
            index.add(TimerIndex.key(first, caseId.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
