package io.casewatch.schema.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro class using Avro single-object encoding: a 2-byte marker, the 8-byte
 * fingerprint of the writer's schema, then the binary body. No schema registry is needed: the decoder
 * resolves older writer schemas from the versions kept under {@code schema-history/} on the classpath.
 *
 * <p>Decoding failures surface as {@link SerializationException} so that the caller can dead-letter the record.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    public AvroSerde(Class<T> type) {
        this.type = Objects.requireNonNull(type);
        this.schema = SpecificData.get().getSchema(type);
        SchemaStore.Cache store = new SchemaStore.Cache();
        for (Schema old : SchemaHistory.versionsOf(schema.getName())) {
            store.addSchema(old);
        }
        store.addSchema(schema);
        this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
        this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema, store);
    }

    public Schema schema() {
        return schema;
    }

    public Class<T> type() {
        return type;
    }

    public byte[] toBytes(T value) {
        try {
            return encoder.encode(value).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes or throws {@link SerializationException} with a reason fit for a dead-letter header. */
    public T fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new SerializationException("empty value, expected a " + schema.getName());
        }
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new SerializationException("unknown writer schema for " + schema.getName() + ": " + e.getMessage(), e);
        } catch (BadHeaderException e) {
            throw new SerializationException("not an Avro single-object " + schema.getName() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("undecodable " + schema.getName() + ": " + e, e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> data == null ? null : toBytes(data);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> data == null ? null : fromBytes(data);
    }

    /** Older schema versions kept in the repository, read from the classpath. */
    static final class SchemaHistory {
        private SchemaHistory() {
        }

        static List<Schema> versionsOf(String name) {
            List<Schema> versions = new java.util.ArrayList<>();
            for (int v = 1; ; v++) {
                String path = "/schema-history/" + name + "/v" + v + ".avsc";
                try (InputStream in = AvroSerde.class.getResourceAsStream(path)) {
                    if (in == null) {
                        return versions;
                    }
                    versions.add(new Schema.Parser().parse(in));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + path, e);
                }
            }
        }
    }
}
