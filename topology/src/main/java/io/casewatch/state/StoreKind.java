package io.casewatch.state;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Where the state stores live. {@code run} and {@code demo} keep them durable (RocksDB with a changelog, restored
 * after a crash); {@code replay} keeps them in memory without a changelog, since its state lives only as long as
 * the run and a changelog would be written for nobody. The processors are the same either way.
 */
public enum StoreKind {
    DURABLE,
    IN_MEMORY;

    /**
     * How many cases a task keeps decoded ({@code DecodedCases}): a bounded few with durable stores, whose state lives
     * on disk; with in-memory stores the state is all in the heap already, and a decoded copy of every case about
     * doubles it, for a replay that decodes no case twice.
     */
    public int decodedCases() {
        return this == DURABLE ? 10_000 : 1 << 20;
    }

    public <K, V> StoreBuilder<KeyValueStore<K, V>> keyValue(String name, Serde<K> keys, Serde<V> values) {
        if (this == DURABLE) {
            return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values).withCachingEnabled();
        }
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values).withLoggingDisabled();
    }
}
