package io.casewatch.topology;

import java.util.Objects;

import org.apache.kafka.common.serialization.Serde;

/** A topic and how its keys and values are (de)serialised. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }
}
