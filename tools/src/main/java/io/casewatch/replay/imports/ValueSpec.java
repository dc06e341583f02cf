package io.casewatch.replay.imports;

import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * How one event field gets its value from a row, as written in the mapping file. The value comes from exactly one
 * source ({@code column}, {@code constant}, {@code threadRoot} or {@code derive}) and then passes, in this order:
 * {@code when} (one condition or a list that must all hold; false: no value), {@code default} (for an empty cell), {@code rules} (first match wins),
 * {@code map} / {@code unmapped}, {@code prefix}. Time fields are then parsed with {@code format} in
 * {@code timeZone} and moved by {@code plus}.
 *
 * @param path where the spec sits in the mapping file, for error messages
 */
public record ValueSpec(
        String path,
        String column,
        String constant,
        ThreadRoot threadRoot,
        String derive,
        List<Condition> when,
        String defaultValue,
        List<Rule> rules,
        Map<String, String> map,
        String unmapped,
        String prefix,
        String format,
        ZoneId timeZone,
        Period plusPeriod,
        Duration plusDuration) {

    public ValueSpec {
        rules = rules == null ? List.of() : List.copyOf(rules);
        when = when == null ? List.of() : List.copyOf(when);
        map = map == null ? null : Map.copyOf(map);
    }

    /** A value that is the same on every row. */
    public static ValueSpec constant(String path, String value) {
        return new ValueSpec(path, null, value, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** One step of a rule list: when the condition holds, the field takes {@code value}. */
    public record Rule(List<Condition> when, String value) {

        public Rule {
            when = List.copyOf(when);
        }
    }

    /**
     * The root of a reply thread: follow {@code parent} links (column of the replied-to id) from the row's
     * {@code id} up to a row without a parent. Ids written as decimals ({@code 3.0}) are read as integers.
     */
    public record ThreadRoot(String id, String parent) {
    }

    boolean isConstant() {
        return constant != null && rules.isEmpty() && when.isEmpty();
    }
}
