package io.casewatch.replay.imports;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.avro.Schema;

import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.EscalationAck;

/**
 * The three input streams of a replay file ({@code "stream"} in SPEC section 7), each with the Avro schema whose
 * field names, enum symbols and required fields an imported event must follow. Reading them from the generated
 * classes keeps the importer in step with the schemas without a second list to maintain.
 */
public enum EventStream {
    COMPLAINT("complaint", ComplaintEvent.getClassSchema()),
    CONTACT("contact", ContactEvent.getClassSchema()),
    ACK("ack", EscalationAck.getClassSchema());

    private final String jsonName;
    private final Schema schema;

    EventStream(String jsonName, Schema schema) {
        this.jsonName = jsonName;
        this.schema = schema;
    }

    public String jsonName() {
        return jsonName;
    }

    public Schema schema() {
        return schema;
    }

    public boolean hasField(String name) {
        return schema.getField(name) != null;
    }

    public List<Schema.Field> fields() {
        return schema.getFields();
    }

    public static Optional<EventStream> byJsonName(String name) {
        return Arrays.stream(values()).filter(s -> s.jsonName.equals(name)).findFirst();
    }

    public static List<String> jsonNames() {
        return Arrays.stream(values()).map(EventStream::jsonName).toList();
    }

    /** A field the event cannot be without: neither nullable nor defaulted. */
    static boolean required(Schema.Field field) {
        return field.schema().getType() != Schema.Type.UNION && !field.hasDefaultValue();
    }

    /** The field's schema with a nullable union unwrapped. */
    static Schema valueSchema(Schema.Field field) {
        Schema s = field.schema();
        if (s.getType() == Schema.Type.UNION) {
            return s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
        }
        return s;
    }

    static boolean isTimestamp(Schema.Field field) {
        Schema s = valueSchema(field);
        return s.getType() == Schema.Type.LONG && s.getLogicalType() != null
                && s.getLogicalType().getName().startsWith("timestamp");
    }
}
