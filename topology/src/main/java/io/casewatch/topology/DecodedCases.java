package io.casewatch.topology;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.streams.state.KeyValueStore;

import io.casewatch.schema.internal.CaseData;

/**
 * The case store, with the most recently saved cases also kept decoded: decoding a case's state on every event was
 * about a tenth of the work per event.
 *
 * <p>A case is <em>checked out</em> by {@link #get} (it leaves the memory) and comes back only through {@link #put},
 * after the store has it. The engine changes a case in place, so a path that gives up half way (a dead-lettered event, a
 * duplicate, a defect) leaves nothing decoded behind, and the next event decodes the store's copy: what is kept in
 * memory is always what the store holds. It lives and dies with the processor's {@code init}, which Kafka Streams
 * calls again when it revives a task with its stores rolled back.
 */
final class DecodedCases {

    private final KeyValueStore<String, CaseData> store;
    private final Map<String, CaseData> decoded;

    DecodedCases(KeyValueStore<String, CaseData> store, int capacity) {
        this.store = store;
        this.decoded = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CaseData> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The case, which the caller may change; it must be {@link #put} to be kept. */
    CaseData get(String caseId) {
        CaseData c = decoded.remove(caseId);
        return c != null ? c : store.get(caseId);
    }

    void put(CaseData c) {
        store.put(c.getCaseId(), c);
        decoded.put(c.getCaseId(), c);
    }

    void delete(String caseId) {
        decoded.remove(caseId);
        store.delete(caseId);
    }
}
