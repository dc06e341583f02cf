package io.casewatch.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.schema.AlertKind;
import io.casewatch.schema.Category;
import io.casewatch.schema.Level;
import io.casewatch.sla.Budget;
import io.casewatch.sla.Calendars;

/**
 * Reads a policy file (JSON) into a {@link PolicySet}. Every error names the offending field by its path, e.g.
 * {@code policies[2].resolution.budget: '15 bizness days' is not a budget}. Unknown fields are errors, so a typo
 * never silently falls back to a default. The format is documented in docs/policies.md.
 */
public final class PolicyFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP = Set.of("calendars", "merchantTiers", "merchantTimeZones", "defaultMerchantTimeZone", "policies",
            "replacePresets");
    private static final Set<String> POLICY = Set.of("id", "extends", "source", "effectiveFrom", "match", "calendar",
            "firstResponse", "nextReply", "resolution", "statutory", "countBotReplies", "afterHoursRollsToNextBusinessDay",
            "restartOnReopen", "exclusionReasons", "inboundResumes", "ackTimes", "stall", "reopenLoop", "levels", "minimumLevel");
    private static final Set<String> MATCH = Set.of("jurisdictions", "categories", "merchants", "merchantTiers");
    private static final Set<String> CLOCK = Set.of("budget", "extensions", "rollToBusinessDay", "atRisk");
    private static final Set<String> STALL = Set.of("window", "contacts");

    private PolicyFile() {
    }

    /** The presets plus the file's policies (or only the file's, with {@code "replacePresets": true}). */
    public static PolicySet load(Path file) {
        try {
            return parse(JSON.readTree(Files.readAllBytes(file)), file.getParent());
        } catch (IOException e) {
            throw new PolicyException(file + ": not readable JSON: " + e.getMessage());
        }
    }

    public static PolicySet parse(String json) {
        try {
            return parse(JSON.readTree(json), Path.of("."));
        } catch (IOException e) {
            throw new PolicyException("not readable JSON: " + e.getMessage());
        }
    }

    static PolicySet parse(JsonNode root, Path baseDir) {
        requireObject(root, "$");
        checkFields(root, TOP, "$");
        Calendars calendars = Calendars.presets();
        JsonNode cals = root.path("calendars");
        for (int i = 0; i < cals.size(); i++) {
            String f = text(cals.get(i), "calendars[" + i + "]");
            Path p = baseDir == null ? Path.of(f) : baseDir.resolve(f);
            try {
                calendars = calendars.with(p);
            } catch (IllegalArgumentException e) {
                throw new PolicyException("calendars[" + i + "]: " + e.getMessage());
            }
        }
        Map<String, String> tiers = new LinkedHashMap<>();
        root.path("merchantTiers").fields().forEachRemaining(e -> tiers.put(e.getKey(), text(e.getValue(), "merchantTiers." + e.getKey())));

        Map<String, ZoneId> zones = new LinkedHashMap<>();
        root.path("merchantTimeZones").fields().forEachRemaining(e -> zones.put(e.getKey(), zone(e.getValue(), "merchantTimeZones." + e.getKey())));
        ZoneId defaultZone = root.has("defaultMerchantTimeZone")
                ? zone(root.get("defaultMerchantTimeZone"), "defaultMerchantTimeZone") : ZoneOffset.UTC;

        boolean replace = root.path("replacePresets").asBoolean(false);
        Map<String, Policy> known = new LinkedHashMap<>();
        Presets.all().forEach(p -> known.put(p.id(), p));
        List<Policy> result = new ArrayList<>();
        if (!replace) {
            result.addAll(Presets.all());
        }
        JsonNode list = root.path("policies");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "policies[" + i + "]";
            Policy p = policy(list.get(i), at, known);
            try {
                calendars.get(p.calendarId());
            } catch (IllegalArgumentException e) {
                throw new PolicyException(at + ".calendar: " + e.getMessage());
            }
            String key = p.id() + "@" + p.effectiveFrom();
            if (!seen.add(key)) {
                throw new PolicyException(at + ".id: policy '" + p.id() + "' is defined twice for " + p.effectiveFrom());
            }
            result.removeIf(q -> q.id().equals(p.id()) && q.effectiveFrom().equals(p.effectiveFrom()));
            result.add(p);
            known.put(p.id(), p);
        }
        if (result.stream().noneMatch(p -> p.id().equals("DEFAULT"))) {
            result.add(Presets.fallback());
        }
        return new PolicySet(result, tiers, calendars, zones, defaultZone);
    }

    private static ZoneId zone(JsonNode n, String at) {
        String id = text(n, at);
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new PolicyException(at + ": '" + id + "' is not a time zone id (e.g. Asia/Shanghai, Europe/London, UTC)");
        }
    }

    private static Policy policy(JsonNode n, String at, Map<String, Policy> known) {
        requireObject(n, at);
        checkFields(n, POLICY, at);
        String id = text(n.get("id"), at + ".id");
        String base = n.has("extends") ? text(n.get("extends"), at + ".extends") : "DEFAULT";
        Policy parent = known.get(base);
        if (parent == null) {
            throw new PolicyException(at + ".extends: no policy '" + base + "' is defined before it; known: " + known.keySet());
        }
        Policy.Builder b = parent.toBuilder().id(id);
        if (!n.has("match") && !n.has("extends")) {
            b.match = Match.ANY;
        }
        if (n.has("source")) {
            b.source = text(n.get("source"), at + ".source");
        }
        if (n.has("effectiveFrom")) {
            b.effectiveFrom = parse(n.get("effectiveFrom"), at + ".effectiveFrom", s -> Instant.parse(s));
        }
        if (n.has("match")) {
            b.match = match(n.get("match"), at + ".match");
        }
        if (n.has("calendar")) {
            b.calendarId = text(n.get("calendar"), at + ".calendar");
        }
        if (n.has("firstResponse")) {
            b.firstResponse = clock(n.get("firstResponse"), at + ".firstResponse");
        }
        if (n.has("nextReply")) {
            b.nextReply = n.get("nextReply").isNull() ? null : parse(n.get("nextReply"), at + ".nextReply", Budget::parse);
        }
        if (n.has("resolution")) {
            b.resolution = clock(n.get("resolution"), at + ".resolution");
        }
        if (n.has("statutory")) {
            b.statutory = clock(n.get("statutory"), at + ".statutory");
        }
        if (n.has("countBotReplies")) {
            b.countBotReplies = bool(n.get("countBotReplies"), at + ".countBotReplies");
        }
        if (n.has("afterHoursRollsToNextBusinessDay")) {
            b.afterHoursRollsToNextBusinessDay = bool(n.get("afterHoursRollsToNextBusinessDay"), at + ".afterHoursRollsToNextBusinessDay");
        }
        if (n.has("restartOnReopen")) {
            b.restartOnReopen = bool(n.get("restartOnReopen"), at + ".restartOnReopen");
        }
        if (n.has("inboundResumes")) {
            b.inboundResumes = bool(n.get("inboundResumes"), at + ".inboundResumes");
        }
        if (n.has("exclusionReasons")) {
            b.exclusionReasons = Set.copyOf(strings(n.get("exclusionReasons"), at + ".exclusionReasons"));
        }
        if (n.has("ackTimes")) {
            Map<Level, Duration> acks = new EnumMap<>(b.ackTimes);
            Iterator<Map.Entry<String, JsonNode>> it = n.get("ackTimes").fields();
            while (it.hasNext()) {
                var e = it.next();
                String where = at + ".ackTimes." + e.getKey();
                acks.put(parse(e.getKey(), where, Level::valueOf), parse(e.getValue(), where, Duration::parse));
            }
            b.ackTimes = acks;
        }
        if (n.has("stall")) {
            JsonNode s = n.get("stall");
            requireObject(s, at + ".stall");
            checkFields(s, STALL, at + ".stall");
            Duration window = s.has("window") ? parse(s.get("window"), at + ".stall.window", Duration::parse) : b.stall.window();
            int contacts = s.has("contacts") ? integer(s.get("contacts"), at + ".stall.contacts") : b.stall.contacts();
            try {
                b.stall = new StallRule(window, contacts);
            } catch (IllegalArgumentException e) {
                throw new PolicyException(at + ".stall: " + e.getMessage());
            }
        }
        if (n.has("reopenLoop")) {
            b.reopenLoopThreshold = integer(n.get("reopenLoop"), at + ".reopenLoop");
        }
        if (n.has("levels")) {
            Map<AlertKind, Level> levels = new EnumMap<>(AlertKind.class);
            levels.putAll(b.levels);
            Iterator<Map.Entry<String, JsonNode>> it = n.get("levels").fields();
            while (it.hasNext()) {
                var e = it.next();
                String where = at + ".levels." + e.getKey();
                levels.put(parse(e.getKey(), where, AlertKind::valueOf), parse(e.getValue(), where, Level::valueOf));
            }
            b.levels = levels;
        }
        if (n.has("minimumLevel")) {
            b.minimumLevel = parse(n.get("minimumLevel"), at + ".minimumLevel", Level::valueOf);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PolicyException(at + ": " + e.getMessage());
        }
    }

    private static Match match(JsonNode n, String at) {
        requireObject(n, at);
        checkFields(n, MATCH, at);
        Set<Category> cats = new HashSet<>();
        for (String c : strings(n.path("categories"), at + ".categories")) {
            cats.add(parse(c, at + ".categories", Category::valueOf));
        }
        return new Match(Set.copyOf(strings(n.path("jurisdictions"), at + ".jurisdictions")), cats,
                Set.copyOf(strings(n.path("merchants"), at + ".merchants")),
                Set.copyOf(strings(n.path("merchantTiers"), at + ".merchantTiers")));
    }

    private static ClockSpec clock(JsonNode n, String at) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return ClockSpec.of(parse(n, at, Budget::parse));
        }
        requireObject(n, at);
        checkFields(n, CLOCK, at);
        if (!n.has("budget")) {
            throw new PolicyException(at + ".budget: missing");
        }
        Budget budget = parse(n.get("budget"), at + ".budget", Budget::parse);
        List<Budget> ext = new ArrayList<>();
        JsonNode e = n.path("extensions");
        for (int i = 0; i < e.size(); i++) {
            ext.add(parse(e.get(i), at + ".extensions[" + i + "]", Budget::parse));
        }
        List<Double> shares = new ArrayList<>();
        if (n.has("atRisk")) {
            for (int i = 0; i < n.get("atRisk").size(); i++) {
                shares.add(n.get("atRisk").get(i).asDouble());
            }
        } else {
            shares.addAll(ClockSpec.DEFAULT_AT_RISK);
        }
        try {
            return new ClockSpec(budget, ext, n.path("rollToBusinessDay").asBoolean(false), shares);
        } catch (IllegalArgumentException ex) {
            throw new PolicyException(at + ": " + ex.getMessage());
        }
    }

    private static void requireObject(JsonNode n, String at) {
        if (n == null || !n.isObject()) {
            throw new PolicyException(at + ": expected an object");
        }
    }

    private static void checkFields(JsonNode n, Set<String> allowed, String at) {
        n.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new PolicyException(at + "." + f + ": unknown field; allowed: " + new TreeSet<>(allowed));
            }
        });
    }

    private static String text(JsonNode n, String at) {
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new PolicyException(at + ": expected a non-empty string");
        }
        return n.asText();
    }

    private static boolean bool(JsonNode n, String at) {
        if (!n.isBoolean()) {
            throw new PolicyException(at + ": expected true or false");
        }
        return n.asBoolean();
    }

    private static int integer(JsonNode n, String at) {
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new PolicyException(at + ": expected an integer");
        }
        return n.asInt();
    }

    private static List<String> strings(JsonNode n, String at) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isMissingNode() || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new PolicyException(at + ": expected an array of strings");
        }
        for (int i = 0; i < n.size(); i++) {
            out.add(text(n.get(i), at + "[" + i + "]"));
        }
        return out;
    }

    private static <T> T parse(JsonNode n, String at, Function<String, T> f) {
        return parse(text(n, at), at, f);
    }

    private static <T> T parse(String s, String at, Function<String, T> f) {
        try {
            return f.apply(s);
        } catch (RuntimeException e) {
            throw new PolicyException(at + ": '" + s + "' is invalid: " + e.getMessage());
        }
    }

    /** A policy file error; the message names the field. */
    public static final class PolicyException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public PolicyException(String message) {
            super(message);
        }
    }
}
