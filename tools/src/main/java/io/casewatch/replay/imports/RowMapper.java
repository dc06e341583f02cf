package io.casewatch.replay.imports;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.casewatch.replay.imports.ImportMapping.Mode;
import io.casewatch.replay.imports.ImportMapping.OutOfOrder;

/**
 * A mapping bound to one CSV header: turns a row into its events, or rejects it with the column and the reason.
 * Binding resolves every column name up front, so a mapping that names a missing column fails before the first
 * row. Fields are evaluated in schema order, so the first fault reported for a row is the same on every run.
 */
final class RowMapper {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One event shape bound to the header: a fixed stream (or null: from the row) and its field values. */
    private record Template(String id, EventStream stream, BoundValue at, BoundValue.BoundConditions when, boolean optional,
                            Map<String, BoundValue> fields, Map<String, TimeParser> times) {
    }

    private final ImportMapping mapping;
    private final Header header;
    private final BoundValue stream;
    private final List<Template> templates = new ArrayList<>();
    private final boolean needsThreads;
    private ThreadRoots threads = new ThreadRoots();

    RowMapper(ImportMapping mapping, Header header) {
        this.mapping = mapping;
        this.header = header;
        boolean threadsUsed = false;
        if (mapping.mode() == Mode.PER_EVENT) {
            this.stream = new BoundValue(mapping.stream(), header);
            Map<String, BoundValue> fields = bindAll(mapping.fields());
            templates.add(new Template("row", null, null, null, false, fields, timeParsers(mapping.fields())));
            if (mapping.stream().constant() != null) {
                EventStream s = EventStream.byJsonName(mapping.stream().constant()).orElseThrow(() -> new MappingException(
                        "stream: '" + mapping.stream().constant() + "' is not one of " + String.join(", ", EventStream.jsonNames())));
                requireAll(s, mapping.fields(), "fields", false);
            }
            threadsUsed = mapping.fields().values().stream().anyMatch(v -> v.threadRoot() != null);
        } else {
            this.stream = null;
            for (EventSpec e : mapping.events()) {
                Map<String, ValueSpec> merged = new LinkedHashMap<>();
                mapping.fields().forEach((k, v) -> {
                    if (e.stream().hasField(k)) {
                        merged.put(k, v);
                    }
                });
                merged.putAll(e.fields());
                merged.put("occurredAt", e.at());
                requireAll(e.stream(), merged, e.path(), true);
                templates.add(new Template(e.id(), e.stream(), new BoundValue(e.at(), header),
                        e.when().isEmpty() ? null : BoundValue.bind(e.when(), header), e.optional(),
                        bindAll(merged), timeParsers(merged)));
                threadsUsed |= merged.values().stream().anyMatch(v -> v.threadRoot() != null);
            }
        }
        this.needsThreads = threadsUsed;
    }

    boolean needsThreadRoots() {
        return needsThreads;
    }

    /** The thread roots, gathered by the importer in a first pass over the file. */
    void useThreadRoots(ThreadRoots roots) {
        this.threads = roots;
    }

    /** Which columns give the reply links, for the first pass; null when no field uses a thread root. */
    ValueSpec.ThreadRoot threadRootSpec() {
        for (Template t : templates) {
            for (BoundValue v : t.fields().values()) {
                if (v.spec.threadRoot() != null) {
                    return v.spec.threadRoot();
                }
            }
        }
        return null;
    }

    /** The row's events in time order (ties in declared order). */
    List<MappedEvent> map(CsvRow row) throws RowRejected {
        if (row.cells().size() != header.size()) {
            throw new RowRejected(RowRejected.Kind.WRONG_FIELD_COUNT, null,
                    "the row has " + row.cells().size() + " fields, the header " + header.size());
        }
        if (mapping.mode() == Mode.PER_EVENT) {
            Template t = templates.get(0);
            String s = stream.evaluate(row, threads, null);
            if (s == null) {
                throw new RowRejected(RowRejected.Kind.MISSING_VALUE, stream.column(), "no stream for the row");
            }
            EventStream es = EventStream.byJsonName(s).orElseThrow(() -> new RowRejected(RowRejected.Kind.UNKNOWN_VALUE,
                    stream.column(), "stream '" + s + "' is not one of " + String.join(", ", EventStream.jsonNames())));
            return List.of(build(es, t, row));
        }
        List<MappedEvent> out = new ArrayList<>();
        List<Template> emitted = new ArrayList<>();
        for (Template t : templates) {
            if (t.when() != null && !t.when().test(row)) {
                continue;
            }
            if (t.optional() && t.at().evaluate(row, threads, null) == null) {
                continue;
            }
            out.add(build(t.stream(), t, row));
            emitted.add(t);
        }
        if (mapping.outOfOrder() == OutOfOrder.REJECT) {
            for (int j = 1; j < out.size(); j++) {
                for (int i = 0; i < j; i++) {
                    if (out.get(j).occurredAt().isBefore(out.get(i).occurredAt())) {
                        throw new RowRejected(RowRejected.Kind.OUT_OF_ORDER, emitted.get(j).at().column(),
                                "'" + emitted.get(j).id() + "' at " + out.get(j).json().get("occurredAt").asText() + " is before '"
                                        + emitted.get(i).id() + "' at " + out.get(i).json().get("occurredAt").asText());
                    }
                }
            }
        }
        List<MappedEvent> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing(MappedEvent::occurredAt));
        return sorted;
    }

    private MappedEvent build(EventStream es, Template t, CsvRow row) throws RowRejected {
        ObjectNode json = NODES.objectNode();
        json.put("stream", es.jsonName());
        Map<String, String> values = new LinkedHashMap<>();
        BoundValue caseIdSpec = t.fields().get("caseId");
        String caseId = caseIdSpec == null ? null : caseIdSpec.evaluate(row, threads, null);
        if (caseId == null) {
            // Checked first: a derived or default eventId is built from it.
            throw new RowRejected(RowRejected.Kind.MISSING_VALUE, caseIdSpec == null ? null : caseIdSpec.column(),
                    es.schema().getName() + ".caseId is required" + (caseIdSpec == null ? " and not mapped" : " and the value is empty"));
        }
        Instant at = null;
        for (Schema.Field f : es.fields()) {
            String name = f.name();
            BoundValue v = t.fields().get(name);
            String text;
            if (name.equals("caseId")) {
                text = caseId;
            } else if (v == null) {
                text = name.equals("eventId") && mapping.mode() == Mode.PER_CASE && caseId != null ? caseId + ":" + t.id() : null;
            } else {
                text = v.evaluate(row, threads, v.spec.derive() == null || caseId == null ? null : caseId + "-" + row.number());
            }
            if (text == null) {
                if (EventStream.required(f)) {
                    String col = v == null ? null : v.column();
                    throw new RowRejected(RowRejected.Kind.MISSING_VALUE, col,
                            es.schema().getName() + "." + name + " is required" + (v == null ? " and not mapped" : " and the value is empty"));
                }
                continue;
            }
            values.put(name, text);
            Schema s = EventStream.valueSchema(f);
            if (EventStream.isTimestamp(f)) {
                TimeParser p = t.times().get(name);
                ZonedDateTime z;
                try {
                    z = plus(p.parse(text), v.spec);
                } catch (DateTimeException e) {
                    throw new RowRejected(RowRejected.Kind.UNPARSEABLE_TIME, v.column(),
                            "'" + text + "' does not read as " + p.pattern());
                }
                json.put(name, z.toOffsetDateTime().format(TimeParser.OUTPUT));
                if (name.equals("occurredAt")) {
                    at = z.toInstant();
                }
            } else if (s.getType() == Schema.Type.ENUM) {
                if (!s.getEnumSymbols().contains(text)) {
                    throw new RowRejected(RowRejected.Kind.UNKNOWN_VALUE, v.column(),
                            "'" + text + "' is not a " + s.getName() + " (" + String.join(", ", s.getEnumSymbols()) + ") and has no mapping");
                }
                json.put(name, text);
            } else if (s.getType() == Schema.Type.LONG || s.getType() == Schema.Type.INT) {
                try {
                    json.put(name, Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw new RowRejected(RowRejected.Kind.NOT_A_NUMBER, v.column(), "'" + text + "' is not a whole number");
                }
            } else {
                json.put(name, text);
            }
        }
        return new MappedEvent(es, values.get("caseId"), at, json);
    }

    private static ZonedDateTime plus(ZonedDateTime z, ValueSpec spec) {
        ZonedDateTime r = z;
        if (spec.plusPeriod() != null) {
            r = r.plus(spec.plusPeriod());
        }
        if (spec.plusDuration() != null) {
            r = r.plus(spec.plusDuration());
        }
        return r;
    }

    private Map<String, BoundValue> bindAll(Map<String, ValueSpec> specs) {
        Map<String, BoundValue> out = new LinkedHashMap<>();
        specs.forEach((k, v) -> out.put(k, new BoundValue(v, header)));
        return out;
    }

    private Map<String, TimeParser> timeParsers(Map<String, ValueSpec> specs) {
        Map<String, TimeParser> out = new LinkedHashMap<>();
        specs.forEach((k, v) -> {
            boolean time = Arrays.stream(EventStream.values())
                    .anyMatch(s -> s.hasField(k) && EventStream.isTimestamp(s.schema().getField(k)));
            if (time) {
                out.put(k, new TimeParser(v.format(), v.timeZone() != null ? v.timeZone() : mapping.timeZone(), mapping.locale()));
            } else if (v.format() != null || v.plusPeriod() != null || v.plusDuration() != null || v.timeZone() != null) {
                throw new MappingException(v.path() + ": format, timeZone and plus apply to time fields only");
            }
            if (v.derive() != null && !k.equals("eventId")) {
                throw new MappingException(v.path() + ".derive: only eventId can be derived");
            }
        });
        return out;
    }

    /** Every required field of the stream must have a mapping (eventId may default in per-case mode). */
    private static void requireAll(EventStream s, Map<String, ValueSpec> fields, String path, boolean eventIdDefaults) {
        for (Schema.Field f : s.fields()) {
            if (EventStream.required(f) && !fields.containsKey(f.name()) && !(eventIdDefaults && f.name().equals("eventId"))) {
                throw new MappingException(path + ": the " + s.jsonName() + " stream needs " + f.name()
                        + " (required by " + s.schema().getName() + ") and the mapping does not give it");
            }
        }
    }
}
