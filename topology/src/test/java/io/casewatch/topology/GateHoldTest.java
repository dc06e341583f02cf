package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import io.casewatch.schema.internal.HeldEvent;
import io.casewatch.schema.internal.HeldText;
import io.casewatch.state.StoreKind;

/** Events waiting for the gate: applied in their own time order, found again by a task started on the store. */
class GateHoldTest {

    private static final long T0 = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private long offset;

    GateHoldTest() {
        KeyValueStore<?, ?> store = (KeyValueStore<?, ?>) GateHold.storeBuilder(StoreKind.IN_MEMORY).build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private GateHold started() {
        GateHold h = new GateHold();
        h.init(context);
        return h;
    }

    private HeldEvent event(String caseId, String topic, long at) {
        CaseInput.Source s = new CaseInput.Source(topic, 0, offset++, at, caseId.getBytes(StandardCharsets.UTF_8),
                ("value-" + offset).getBytes(StandardCharsets.UTF_8), new RecordHeaders().add("h", new byte[] {7}));
        return new HeldEvent(at, PendingRecords.of(s), new HeldText(true, false, 42L, null, false));
    }

    private static String topic(HeldEvent e) {
        return e.getRecord().getTopic();
    }

    @Test
    void eventsGoInTheirOwnTimeOrderNotTheOrderTheyWereRead() {
        GateHold hold = started();
        hold.hold("c-1", event("c-1", "complaints", T0 + 5_000));
        hold.hold("c-1", event("c-1", "contacts", T0 + 1_000));
        hold.hold("c-1", event("c-1", "acks", T0 + 9_000));

        assertThat(topic(hold.takeFirst("c-1"))).isEqualTo("contacts");
        assertThat(topic(hold.takeFirst("c-1"))).isEqualTo("complaints");
        assertThat(hold.firstAt("c-1")).isEqualTo(T0 + 9_000);
        assertThat(hold.dueBy(T0 + 8_999)).isEmpty();
        assertThat(hold.dueBy(T0 + 9_000)).containsExactly("c-1");
    }

    @Test
    void aRecordComesBackAsItWasKept() {
        GateHold hold = started();
        HeldEvent in = event("c-1", "contacts", T0);
        hold.hold("c-1", in);

        HeldEvent kept = hold.takeFirst("c-1");
        CaseInput.Source back = PendingRecords.source(kept.getRecord());
        assertThat(back.offset()).isEqualTo(in.getRecord().getOffset());
        assertThat(back.value()).isEqualTo(PendingRecords.source(in.getRecord()).value());
        assertThat(back.headers().lastHeader("h").value()).containsExactly(7);
        assertThat(kept.getText().getFingerprint()).isEqualTo(42L);
        assertThat(hold.holds("c-1")).isFalse();
        assertThat(hold.isEmpty()).isTrue();
    }

    @Test
    void aTaskStartedOnTheStoreFindsTheWaitingCasesByTheirEarliestEvent() {
        GateHold first = started();
        first.hold("c-2", event("c-2", "contacts", T0 + 7_000));
        first.hold("c-1", event("c-1", "contacts", T0 + 3_000));
        first.hold("c-1", event("c-1", "complaints", T0 + 8_000));

        GateHold restarted = started();
        assertThat(restarted.holds("c-1")).isTrue();
        assertThat(restarted.dueBy(T0 + 7_000)).containsExactly("c-1", "c-2");
        assertThat(restarted.dueBy(T0 + 2_999)).isEmpty();
    }
}
