package io.casewatch.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Avro records to and from the JSON of {@code replay}: fields by schema name, unions unwrapped (a value or null),
 * enums as their symbol, {@code timestamp-millis} as ISO-8601 (read: with an offset, or epoch millis), bytes as
 * base64. Avro's own JSON encoding wraps every union value in a type name, which nobody exporting from a
 * case-management system would write.
 */
public final class AvroJson {

    /** A JSON value that does not fit the schema; the message names the field path. */
    public static final class MismatchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MismatchException(String path, String message) {
            super(path + ": " + message);
        }
    }

    private AvroJson() {
    }

    /** Builds a record of {@code schema} (a generated class's schema) from a JSON object, rejecting unknown fields. */
    public static <T extends IndexedRecord> T read(JsonNode json, Schema schema, Set<String> ignored) {
        @SuppressWarnings("unchecked")
        T r = (T) readRecord(json, schema, "", ignored);
        return r;
    }

    private static IndexedRecord readRecord(JsonNode json, Schema schema, String path, Set<String> ignored) {
        if (!json.isObject()) {
            throw new MismatchException(path.isEmpty() ? "(line)" : path, "expected an object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String n = names.next();
            if (schema.getField(n) == null && !ignored.contains(n)) {
                throw new MismatchException(path + n, "unknown field for " + schema.getName());
            }
        }
        IndexedRecord r = (IndexedRecord) SpecificData.get().newRecord(null, schema);
        for (Schema.Field f : schema.getFields()) {
            JsonNode v = json.get(f.name());
            String p = path + f.name();
            if (v == null || v.isNull()) {
                if (f.hasDefaultValue()) {
                    r.put(f.pos(), SpecificData.get().deepCopy(f.schema(), SpecificData.get().getDefaultValue(f)));
                    continue;
                }
                if (v == null && !allowsNull(f.schema())) {
                    throw new MismatchException(p, "missing");
                }
            }
            r.put(f.pos(), readValue(v, f.schema(), p));
        }
        return r;
    }

    private static boolean allowsNull(Schema s) {
        return s.getType() == Schema.Type.NULL || (s.getType() == Schema.Type.UNION
                && s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL));
    }

    private static Object readValue(JsonNode v, Schema s, String path) {
        switch (s.getType()) {
            case UNION -> {
                if (v == null || v.isNull()) {
                    if (!allowsNull(s)) {
                        throw new MismatchException(path, "must not be null");
                    }
                    return null;
                }
                MismatchException last = null;
                for (Schema t : s.getTypes()) {
                    if (t.getType() == Schema.Type.NULL) {
                        continue;
                    }
                    try {
                        return readValue(v, t, path);
                    } catch (MismatchException e) {
                        last = e;
                    }
                }
                throw last != null ? last : new MismatchException(path, "no branch of the union fits");
            }
            case NULL -> {
                if (v != null && !v.isNull()) {
                    throw new MismatchException(path, "expected null");
                }
                return null;
            }
            case STRING -> {
                require(v != null && v.isTextual(), path, "expected a string");
                return v.textValue();
            }
            case BOOLEAN -> {
                require(v != null && v.isBoolean(), path, "expected true or false");
                return v.booleanValue();
            }
            case INT -> {
                require(v != null && v.canConvertToInt() && v.isIntegralNumber(), path, "expected an integer");
                return v.intValue();
            }
            case LONG -> {
                if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    return Instant.ofEpochMilli(instant(v, path));
                }
                require(v != null && v.isIntegralNumber() && v.canConvertToLong(), path, "expected an integer");
                return v.longValue();
            }
            case FLOAT, DOUBLE -> {
                require(v != null && v.isNumber(), path, "expected a number");
                return s.getType() == Schema.Type.FLOAT ? (Object) v.floatValue() : (Object) v.doubleValue();
            }
            case ENUM -> {
                require(v != null && v.isTextual(), path, "expected one of " + s.getEnumSymbols());
                String sym = v.textValue();
                if (!s.hasEnumSymbol(sym)) {
                    // Exactly as a newer producer's unknown symbol is read: the enum's default, which the intake
                    // then judges (dead-lettered where no default can stand in).
                    if (s.getEnumDefault() == null) {
                        throw new MismatchException(path, "'" + sym + "' is not one of " + s.getEnumSymbols());
                    }
                    sym = s.getEnumDefault();
                }
                return SpecificData.get().createEnum(sym, s);
            }
            case BYTES -> {
                require(v != null && v.isTextual(), path, "expected base64 text");
                try {
                    return ByteBuffer.wrap(Base64.getDecoder().decode(v.textValue()));
                } catch (IllegalArgumentException e) {
                    throw new MismatchException(path, "not base64");
                }
            }
            case ARRAY -> {
                require(v != null && v.isArray(), path, "expected an array");
                List<Object> out = new ArrayList<>(v.size());
                for (int i = 0; i < v.size(); i++) {
                    out.add(readValue(v.get(i), s.getElementType(), path + "[" + i + "]"));
                }
                return out;
            }
            case MAP -> {
                require(v != null && v.isObject(), path, "expected an object");
                Map<String, Object> out = new LinkedHashMap<>();
                v.fields().forEachRemaining(e -> out.put(e.getKey(), readValue(e.getValue(), s.getValueType(), path + "." + e.getKey())));
                return out;
            }
            case RECORD -> {
                return readRecord(v, s, path + ".", Set.of());
            }
            default -> throw new MismatchException(path, "unsupported schema type " + s.getType());
        }
    }

    private static long instant(JsonNode v, String path) {
        if (v != null && v.isIntegralNumber()) {
            return v.longValue();
        }
        require(v != null && v.isTextual(), path, "expected ISO-8601 time with offset or epoch millis");
        try {
            return OffsetDateTime.parse(v.textValue()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new MismatchException(path, "'" + v.textValue() + "' is not an ISO-8601 time with offset");
        }
    }

    private static void require(boolean ok, String path, String message) {
        if (!ok) {
            throw new MismatchException(path, message);
        }
    }

    private static final ObjectMapper TREES = new ObjectMapper();

    /** The record as a JSON tree, exactly as {@link #write} would write it (for HTTP answers). */
    public static ObjectNode tree(IndexedRecord r) {
        try (TokenBuffer buffer = new TokenBuffer(TREES, false)) {
            write(buffer, r);
            return TREES.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a record as one JSON object, fields in schema order. */
    public static void write(JsonGenerator g, IndexedRecord r) throws IOException {
        writeValue(g, r, r.getSchema());
    }

    /** Writes a record as a replay input line: {@code "stream"} first, then the record's fields. */
    public static void writeWithStream(JsonGenerator g, String stream, IndexedRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("stream", stream);
        for (Schema.Field f : r.getSchema().getFields()) {
            g.writeFieldName(f.name());
            writeValue(g, r.get(f.pos()), f.schema());
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Object v, Schema s) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        switch (s.getType()) {
            case RECORD -> {
                IndexedRecord r = (IndexedRecord) v;
                List<Schema.Field> fields = s.getFields();
                SerializedString[] names = fieldNames(s);
                g.writeStartObject();
                for (int i = 0; i < names.length; i++) {
                    Schema.Field f = fields.get(i);
                    g.writeFieldName(names[i]);
                    writeValue(g, r.get(f.pos()), f.schema());
                }
                g.writeEndObject();
            }
            case UNION -> writeValue(g, v, branchOf(s, v));
            case STRING -> g.writeString(v.toString());
            case BOOLEAN -> g.writeBoolean((Boolean) v);
            case INT -> g.writeNumber((Integer) v);
            case LONG -> {
                if (v instanceof Instant i) {
                    writeInstant(g, i);
                } else {
                    g.writeNumber((Long) v);
                }
            }
            case FLOAT -> g.writeNumber((Float) v);
            case DOUBLE -> g.writeNumber((Double) v);
            case ENUM -> g.writeString(v instanceof GenericEnumSymbol<?> e ? e.toString() : ((Enum<?>) v).name());
            case BYTES -> {
                ByteBuffer b = ((ByteBuffer) v).duplicate();
                byte[] a = new byte[b.remaining()];
                b.get(a);
                g.writeString(Base64.getEncoder().encodeToString(a));
            }
            case ARRAY -> {
                g.writeStartArray();
                for (Object o : (Collection<?>) v) {
                    writeValue(g, o, s.getElementType());
                }
                g.writeEndArray();
            }
            case MAP -> {
                g.writeStartObject();
                // Sorted: a HashMap's order is not part of the record, and the output must be byte-identical.
                for (Map.Entry<?, ?> e : new TreeMap<>(stringKeys((Map<?, ?>) v)).entrySet()) {
                    g.writeFieldName(e.getKey().toString());
                    writeValue(g, e.getValue(), s.getValueType());
                }
                g.writeEndObject();
            }
            case NULL -> g.writeNull();
            default -> throw new IllegalArgumentException("unsupported schema type " + s.getType());
        }
    }

    /** casewatch's unions are a null and one other type; generic resolution does not know logical-type values. */
    private static Schema branchOf(Schema union, Object v) {
        Schema only = null;
        int nonNull = 0;
        for (Schema t : union.getTypes()) {
            if (t.getType() != Schema.Type.NULL) {
                only = t;
                nonNull++;
            }
        }
        if (nonNull == 1) {
            return only;
        }
        return union.getTypes().get(GenericData.get().resolveUnion(union, v));
    }

    /** A record schema's field names, in field order, encoded once (the same bytes as writing the names as text). */
    private static final Map<Schema, SerializedString[]> FIELD_NAMES = new ConcurrentHashMap<>();

    private static SerializedString[] fieldNames(Schema record) {
        SerializedString[] names = FIELD_NAMES.get(record);
        if (names == null) {
            names = record.getFields().stream().map(f -> new SerializedString(f.name())).toArray(SerializedString[]::new);
            FIELD_NAMES.put(record, names);
        }
        return names;
    }

    /** Greatest epoch second written without {@link Instant#toString}: 9999-12-31T23:59:59Z. */
    private static final long LAST_4_DIGIT_YEAR_SECOND = 253402300799L;

    /** Exactly {@code i.toString()} (ISO-8601, fraction in groups of three digits as needed), without the garbage. */
    static void writeInstant(JsonGenerator g, Instant i) throws IOException {
        char[] b = new char[30];
        int n = formatInstant(i, b);
        if (n < 0) {
            g.writeString(i.toString());
        } else {
            g.writeString(b, 0, n);
        }
    }

    /** Writes {@code i.toString()} into {@code b} and returns its length, or -1 outside 1970..9999 (left to it). */
    static int formatInstant(Instant i, char[] b) {
        long secs = i.getEpochSecond();
        if (secs < 0 || secs > LAST_4_DIGIT_YEAR_SECOND) {
            return -1;
        }
        long days = secs / 86400;
        int sod = (int) (secs % 86400);
        // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil inverse), proleptic Gregorian.
        long z = days + 719468;
        long era = z / 146097;
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        int n = 0;
        n = digits(b, n, year, 4);
        b[n++] = '-';
        n = digits(b, n, month, 2);
        b[n++] = '-';
        n = digits(b, n, day, 2);
        b[n++] = 'T';
        n = digits(b, n, sod / 3600, 2);
        b[n++] = ':';
        n = digits(b, n, sod / 60 % 60, 2);
        b[n++] = ':';
        n = digits(b, n, sod % 60, 2);
        int nano = i.getNano();
        if (nano != 0) {
            b[n++] = '.';
            if (nano % 1_000_000 == 0) {
                n = digits(b, n, nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                n = digits(b, n, nano / 1000, 6);
            } else {
                n = digits(b, n, nano, 9);
            }
        }
        b[n++] = 'Z';
        return n;
    }

    private static int digits(char[] b, int at, int value, int width) {
        for (int k = at + width - 1; k >= at; k--) {
            b[k] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(k.toString(), val));
        return out;
    }
}
