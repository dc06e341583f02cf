package io.casewatch.ops;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Avro records as plain JSON for people and dashboards: fields by their schema names, enum symbols as strings,
 * timestamps as ISO-8601 instants, optional fields as their value or null (no union wrappers, unlike Avro's own
 * JSON encoding, which is meant for machines that hold the schema).
 */
final class AvroJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AvroJson() {
    }

    static ObjectNode of(IndexedRecord r) {
        ObjectNode o = F.objectNode();
        for (Schema.Field f : r.getSchema().getFields()) {
            o.set(f.name(), value(r.get(f.pos())));
        }
        return o;
    }

    private static JsonNode value(Object v) {
        if (v == null) {
            return F.nullNode();
        }
        if (v instanceof IndexedRecord r) {
            return of(r);
        }
        if (v instanceof Instant t) {
            return F.textNode(t.toString());
        }
        if (v instanceof CharSequence || v instanceof Enum<?> || v instanceof GenericData.EnumSymbol) {
            return F.textNode(v.toString());
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (v instanceof Integer i) {
            return F.numberNode(i);
        }
        if (v instanceof Long l) {
            return F.numberNode(l);
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? F.nullNode() : F.numberNode(d);
        }
        if (v instanceof Float d) {
            return F.numberNode(d);
        }
        if (v instanceof ByteBuffer b) {
            ByteBuffer copy = b.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return F.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = F.arrayNode();
            c.forEach(x -> a.add(value(x)));
            return a;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            m.forEach((k, x) -> o.set(k.toString(), value(x)));
            return o;
        }
        return F.textNode(v.toString());
    }
}
