package io.casewatch.schema.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
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
    /** The single-object header: marker C3 01, then the schema's fingerprint (little-endian). */
    private final byte[] header;
    private final DatumWriter<T> writer;
    private final BinaryMessageDecoder<T> decoder;
    /**
     * Avro's own encoder writes byte by byte into a synchronized stream; casewatch encodes a case's state, its
     * status and its facts for every event, so this writes through a buffered encoder into a scratch buffer of the
     * thread's instead. Same bytes ({@code AvroSerdeTest} compares them with {@link BinaryMessageEncoder}'s).
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static {
        // Records without logical types come with generated encode and decode methods that write the same bytes as
        // the generic, schema-walking path, several times faster; Avro leaves them off unless asked
        // (AvroSerdeTest compares the bytes with BinaryMessageEncoder's).
        SpecificData.get().setCustomCoders(true);
    }

    public AvroSerde(Class<T> type) {
        this.type = Objects.requireNonNull(type);
        this.schema = SpecificData.get().getSchema(type);
        SchemaStore.Cache store = new SchemaStore.Cache();
        for (Schema old : SchemaHistory.versionsOf(schema.getName())) {
            store.addSchema(old);
        }
        store.addSchema(schema);
        this.header = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3).put((byte) 0x01)
                .putLong(SchemaNormalization.parsingFingerprint64(schema)).array();
        this.writer = SpecificData.get().createDatumWriter(schema);
        this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema, store);
    }

    public Schema schema() {
        return schema;
    }

    public Class<T> type() {
        return type;
    }

    public byte[] toBytes(T value) {
        Scratch out = SCRATCH.get();
        out.count = 0;
        out.write(header, 0, header.length);
        try {
            BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, out.encoder);
            out.encoder = e;
            writer.write(value, e);
            e.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Arrays.copyOf(out.buf, out.count);
    }

    /** A growable byte buffer without the locking of {@code ByteArrayOutputStream}, with the encoder writing to it. */
    private static final class Scratch extends OutputStream {
        byte[] buf = new byte[8192];
        int count;
        BinaryEncoder encoder;

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
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
