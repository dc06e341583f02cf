package io.casewatch.replay.imports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.replay.imports.ImportMapping.Mode;
import io.casewatch.replay.imports.ImportMapping.OpenCases;
import io.casewatch.replay.imports.ImportMapping.OutOfOrder;

/**
 * Reads a mapping file (JSON) into an {@link ImportMapping}. Strict: an unknown or misplaced key, a wrong type, a
 * bad pattern or zone all fail with the JSON path of the offending place, because a typo silently ignored would
 * import the wrong data without a word. Whether the named columns exist is checked later against the CSV header.
 */
public final class MappingFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Set<String> COMMON = Set.of("description", "mode", "csv", "timeZone", "locale", "sortByTime");
    private static final Set<String> PER_EVENT = Set.of("stream", "fields", "openCases");
    private static final Set<String> PER_CASE = Set.of("case", "events", "outOfOrder");
    private static final Set<String> CSV = Set.of("skipLines", "separator", "quote", "bareCarriageReturn");
    private static final Set<String> VALUE = Set.of("column", "constant", "threadRoot", "derive", "when", "default", "rules",
            "map", "unmapped", "prefix", "format", "timeZone", "plus");
    private static final Set<String> CONDITION = Set.of("column", "equals", "in", "matches", "notEmpty");
    private static final Set<String> RULE = Set.of("when", "value");
    private static final Set<String> THREAD = Set.of("id", "parent");
    private static final Set<String> EVENT = Set.of("id", "stream", "type", "at", "when", "optional", "fields");
    private static final Set<String> OPEN_CASES = Set.of("fields", "merchantIdFallback");

    private MappingFile() {
    }

    public static ImportMapping load(Path file) {
        try {
            return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new MappingException(file + ": cannot read the mapping: " + e.getMessage());
        }
    }

    public static ImportMapping parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MappingException("mapping is not readable JSON: " + e.getOriginalMessage());
        }
        requireObject(root, "$");
        Mode mode = mode(root.get("mode"));
        Set<String> allowed = new HashSet<>(COMMON);
        allowed.addAll(mode == Mode.PER_EVENT ? PER_EVENT : PER_CASE);
        checkKeys(root, allowed, "$", mode == Mode.PER_EVENT ? " in a per-event mapping" : " in a per-case mapping");

        CsvOptions csv = csv(root.get("csv"));
        ZoneId zone = root.has("timeZone") ? zone(root.get("timeZone"), "timeZone") : ZoneId.of("UTC");
        Locale locale = root.has("locale") ? Locale.forLanguageTag(text(root.get("locale"), "locale")) : Locale.US;
        boolean sort = bool(root.get("sortByTime"), "sortByTime", true);

        if (mode == Mode.PER_EVENT) {
            ValueSpec stream = value(root.get("stream"), "stream");
            Map<String, ValueSpec> fields = fields(root.get("fields"), "fields", true);
            OpenCases open = root.has("openCases") ? openCases(root.get("openCases")) : null;
            if (stream == null) {
                throw new MappingException("stream: required in a per-event mapping (a column or a constant)");
            }
            return new ImportMapping(mode, csv, zone, locale, sort, stream, fields, List.of(), OutOfOrder.REJECT, open);
        }
        Map<String, ValueSpec> shared = root.has("case") ? fields(root.get("case"), "case", false) : Map.of();
        JsonNode evs = root.get("events");
        if (evs == null || !evs.isArray() || evs.isEmpty()) {
            throw new MappingException("events: required in a per-case mapping, a non-empty list");
        }
        List<EventSpec> events = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < evs.size(); i++) {
            EventSpec e = event(evs.get(i), "events[" + i + "]");
            if (!ids.add(e.id())) {
                throw new MappingException("events[" + i + "].id: '" + e.id() + "' is used twice; event ids must be unique");
            }
            events.add(e);
        }
        OutOfOrder ooo = OutOfOrder.REJECT;
        if (root.has("outOfOrder")) {
            String v = text(root.get("outOfOrder"), "outOfOrder");
            ooo = switch (v) {
                case "reject" -> OutOfOrder.REJECT;
                case "sort" -> OutOfOrder.SORT;
                default -> throw new MappingException("outOfOrder: '" + v + "' is not one of reject, sort");
            };
        }
        return new ImportMapping(mode, csv, zone, locale, sort, null, shared, events, ooo, null);
    }

    private static Mode mode(JsonNode n) {
        if (n == null) {
            throw new MappingException("mode: required, one of per-event, per-case");
        }
        String v = text(n, "mode");
        for (Mode m : Mode.values()) {
            if (m.jsonName().equals(v)) {
                return m;
            }
        }
        throw new MappingException("mode: '" + v + "' is not one of per-event, per-case");
    }

    private static CsvOptions csv(JsonNode n) {
        if (n == null) {
            return CsvOptions.DEFAULT;
        }
        requireObject(n, "csv");
        checkKeys(n, CSV, "csv", "");
        int skip = 0;
        if (n.has("skipLines")) {
            JsonNode s = n.get("skipLines");
            if (!s.isInt() || s.asInt() < 0) {
                throw new MappingException("csv.skipLines: must be a whole number >= 0, not " + s);
            }
            skip = s.asInt();
        }
        char sep = n.has("separator") ? oneChar(n.get("separator"), "csv.separator") : ',';
        char quote = n.has("quote") ? oneChar(n.get("quote"), "csv.quote") : '"';
        boolean crSpace = true;
        if (n.has("bareCarriageReturn")) {
            String v = text(n.get("bareCarriageReturn"), "csv.bareCarriageReturn");
            crSpace = switch (v) {
                case "space" -> true;
                case "lineBreak" -> false;
                default -> throw new MappingException("csv.bareCarriageReturn: '" + v + "' is not one of space, lineBreak");
            };
        }
        return new CsvOptions(skip, sep, quote, crSpace);
    }

    private static Map<String, ValueSpec> fields(JsonNode n, String path, boolean required) {
        if (n == null) {
            if (required) {
                throw new MappingException(path + ": required");
            }
            return Map.of();
        }
        requireObject(n, path);
        Map<String, ValueSpec> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.equals("stream")) {
                throw new MappingException(path + ".stream: the stream is not a field; give it as the mapping's (or event's) stream");
            }
            if (Arrays.stream(EventStream.values()).noneMatch(s -> s.hasField(name))) {
                throw new MappingException(path + "." + name + ": not a field of ComplaintEvent, ContactEvent or EscalationAck");
            }
            out.put(name, value(e.getValue(), path + "." + name));
        }
        return out;
    }

    private static EventSpec event(JsonNode n, String path) {
        requireObject(n, path);
        checkKeys(n, EVENT, path, "");
        String id = n.has("id") ? text(n.get("id"), path + ".id") : null;
        if (!n.has("stream")) {
            throw new MappingException(path + ".stream: required (" + String.join(", ", EventStream.jsonNames()) + ")");
        }
        String s = text(n.get("stream"), path + ".stream");
        EventStream stream = EventStream.byJsonName(s).orElseThrow(() -> new MappingException(
                path + ".stream: '" + s + "' is not one of " + String.join(", ", EventStream.jsonNames())));
        Map<String, ValueSpec> fields = new LinkedHashMap<>(fields(n.get("fields"), path + ".fields", false));
        for (String f : fields.keySet()) {
            if (!stream.hasField(f)) {
                throw new MappingException(path + ".fields." + f + ": not a field of the " + s + " stream's schema "
                        + stream.schema().getName());
            }
        }
        if (n.has("type")) {
            if (!stream.hasField("type")) {
                throw new MappingException(path + ".type: the " + s + " stream has no type");
            }
            if (fields.containsKey("type")) {
                throw new MappingException(path + ".type: given twice (also in fields.type)");
            }
            fields.put("type", ValueSpec.constant(path + ".type", text(n.get("type"), path + ".type")));
        }
        if (!n.has("at")) {
            throw new MappingException(path + ".at: required, the event time");
        }
        if (fields.containsKey("occurredAt")) {
            throw new MappingException(path + ".fields.occurredAt: give the event time as at");
        }
        ValueSpec at = value(n.get("at"), path + ".at");
        if (id == null) {
            ValueSpec type = fields.get("type");
            id = type != null && type.constant() != null ? type.constant().toLowerCase(Locale.ROOT) : s;
        }
        List<Condition> when = n.has("when") ? conditions(n.get("when"), path + ".when") : List.of();
        boolean optional = bool(n.get("optional"), path + ".optional", false);
        return new EventSpec(path, id, stream, at, when, optional, fields);
    }

    private static OpenCases openCases(JsonNode n) {
        requireObject(n, "openCases");
        checkKeys(n, OPEN_CASES, "openCases", "");
        Map<String, ValueSpec> fields = fields(n.get("fields"), "openCases.fields", false);
        for (Map.Entry<String, ValueSpec> e : fields.entrySet()) {
            if (!EventStream.COMPLAINT.hasField(e.getKey())) {
                throw new MappingException("openCases.fields." + e.getKey() + ": not a field of ComplaintEvent");
            }
            if (!e.getValue().isConstant()) {
                throw new MappingException("openCases.fields." + e.getKey() + ": only constants here (a synthesised OPENED has no row of its own)");
            }
        }
        String fallback = n.has("merchantIdFallback") ? text(n.get("merchantIdFallback"), "openCases.merchantIdFallback") : null;
        return new OpenCases(fields, fallback);
    }

    static ValueSpec value(JsonNode n, String path) {
        if (n == null) {
            return null;
        }
        if (n.isTextual() || n.isNumber() || n.isBoolean()) {
            // A bare scalar is shorthand for a constant: "jurisdiction": "US".
            return ValueSpec.constant(path, n.asText());
        }
        requireObject(n, path);
        checkKeys(n, VALUE, path, "");
        int sources = (n.has("column") ? 1 : 0) + (n.has("constant") ? 1 : 0) + (n.has("threadRoot") ? 1 : 0) + (n.has("derive") ? 1 : 0);
        if (sources != 1) {
            throw new MappingException(path + ": give exactly one of column, constant, threadRoot, derive");
        }
        String column = n.has("column") ? text(n.get("column"), path + ".column") : null;
        String constant = n.has("constant") ? scalar(n.get("constant"), path + ".constant") : null;
        ValueSpec.ThreadRoot thread = null;
        if (n.has("threadRoot")) {
            JsonNode t = n.get("threadRoot");
            requireObject(t, path + ".threadRoot");
            checkKeys(t, THREAD, path + ".threadRoot", "");
            if (!t.has("id") || !t.has("parent")) {
                throw new MappingException(path + ".threadRoot: needs id and parent (column names)");
            }
            thread = new ValueSpec.ThreadRoot(text(t.get("id"), path + ".threadRoot.id"), text(t.get("parent"), path + ".threadRoot.parent"));
        }
        String derive = null;
        if (n.has("derive")) {
            derive = text(n.get("derive"), path + ".derive");
            if (!derive.equals("caseIdAndRow")) {
                throw new MappingException(path + ".derive: '" + derive + "' is not known; the one derivation is caseIdAndRow");
            }
        }
        List<Condition> when = n.has("when") ? conditions(n.get("when"), path + ".when") : List.of();
        String dflt = n.has("default") ? scalar(n.get("default"), path + ".default") : null;
        List<ValueSpec.Rule> rules = new ArrayList<>();
        if (n.has("rules")) {
            JsonNode rs = n.get("rules");
            if (!rs.isArray()) {
                throw new MappingException(path + ".rules: must be a list");
            }
            for (int i = 0; i < rs.size(); i++) {
                String rp = path + ".rules[" + i + "]";
                JsonNode r = rs.get(i);
                requireObject(r, rp);
                checkKeys(r, RULE, rp, "");
                if (!r.has("when") || !r.has("value")) {
                    throw new MappingException(rp + ": needs when and value");
                }
                rules.add(new ValueSpec.Rule(conditions(r.get("when"), rp + ".when"), scalar(r.get("value"), rp + ".value")));
            }
        }
        Map<String, String> map = null;
        if (n.has("map")) {
            JsonNode m = n.get("map");
            requireObject(m, path + ".map");
            map = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = m.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), scalar(e.getValue(), path + ".map." + e.getKey()));
            }
        }
        String unmapped = n.has("unmapped") ? scalar(n.get("unmapped"), path + ".unmapped") : null;
        if (unmapped != null && map == null && rules.isEmpty()) {
            throw new MappingException(path + ".unmapped: only meaningful with map or rules");
        }
        String prefix = n.has("prefix") ? text(n.get("prefix"), path + ".prefix") : null;
        String format = null;
        if (n.has("format")) {
            format = text(n.get("format"), path + ".format");
            if (!format.equals("ISO")) {
                try {
                    DateTimeFormatter.ofPattern(format);
                } catch (IllegalArgumentException e) {
                    throw new MappingException(path + ".format: '" + format + "' is not a date/time pattern: " + e.getMessage());
                }
            }
        }
        ZoneId zone = n.has("timeZone") ? zone(n.get("timeZone"), path + ".timeZone") : null;
        Period period = null;
        Duration duration = null;
        if (n.has("plus")) {
            String p = text(n.get("plus"), path + ".plus");
            try {
                if (p.contains("T")) {
                    duration = Duration.parse(p);
                } else {
                    period = Period.parse(p);
                }
            } catch (DateTimeParseException e) {
                throw new MappingException(path + ".plus: '" + p + "' is not an ISO-8601 period or duration (P15D, PT2H)");
            }
        }
        return new ValueSpec(path, column, constant, thread, derive, when, dflt, rules, map, unmapped, prefix, format, zone,
                period, duration);
    }

    /** One condition, or a list of conditions that must all hold. */
    static List<Condition> conditions(JsonNode n, String path) {
        if (n != null && n.isArray()) {
            if (n.isEmpty()) {
                throw new MappingException(path + ": an empty list of conditions");
            }
            List<Condition> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                out.add(condition(n.get(i), path + "[" + i + "]"));
            }
            return out;
        }
        return List.of(condition(n, path));
    }

    static Condition condition(JsonNode n, String path) {
        requireObject(n, path);
        checkKeys(n, CONDITION, path, "");
        if (!n.has("column")) {
            throw new MappingException(path + ".column: required");
        }
        int tests = (n.has("equals") ? 1 : 0) + (n.has("in") ? 1 : 0) + (n.has("matches") ? 1 : 0) + (n.has("notEmpty") ? 1 : 0);
        if (tests != 1) {
            throw new MappingException(path + ": give exactly one of equals, in, matches, notEmpty");
        }
        String column = text(n.get("column"), path + ".column");
        String eq = n.has("equals") ? scalar(n.get("equals"), path + ".equals") : null;
        List<String> in = null;
        if (n.has("in")) {
            JsonNode a = n.get("in");
            if (!a.isArray()) {
                throw new MappingException(path + ".in: must be a list of values");
            }
            in = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                in.add(scalar(a.get(i), path + ".in[" + i + "]"));
            }
        }
        Pattern re = null;
        if (n.has("matches")) {
            String r = text(n.get("matches"), path + ".matches");
            try {
                re = Pattern.compile(r);
            } catch (PatternSyntaxException e) {
                throw new MappingException(path + ".matches: not a regular expression: " + e.getDescription());
            }
        }
        Boolean notEmpty = n.has("notEmpty") ? bool(n.get("notEmpty"), path + ".notEmpty", true) : null;
        return new Condition(path, column, eq, in, re, notEmpty);
    }

    private static ZoneId zone(JsonNode n, String path) {
        String z = text(n, path);
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            throw new MappingException(path + ": '" + z + "' is not a time zone (e.g. America/New_York, UTC, +08:00)");
        }
    }

    private static void checkKeys(JsonNode n, Set<String> allowed, String path, String where) {
        Iterator<String> it = n.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new MappingException(path + "." + k + ": unknown key" + where + " (known: " + String.join(", ", sorted(allowed)) + ")");
            }
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private static void requireObject(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw new MappingException(path + ": must be a JSON object");
        }
    }

    private static String text(JsonNode n, String path) {
        if (n == null || !n.isTextual()) {
            throw new MappingException(path + ": must be a string");
        }
        return n.asText();
    }

    private static String scalar(JsonNode n, String path) {
        if (n == null || !(n.isTextual() || n.isNumber() || n.isBoolean())) {
            throw new MappingException(path + ": must be a string, number or boolean");
        }
        return n.asText();
    }

    private static char oneChar(JsonNode n, String path) {
        String s = text(n, path);
        if (s.length() != 1) {
            throw new MappingException(path + ": must be one character");
        }
        return s.charAt(0);
    }

    private static boolean bool(JsonNode n, String path, boolean dflt) {
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new MappingException(path + ": must be true or false");
        }
        return n.asBoolean();
    }
}
