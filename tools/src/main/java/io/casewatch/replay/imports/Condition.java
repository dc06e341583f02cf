package io.casewatch.replay.imports;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A test on one column of a row: {@code equals} a value, is {@code in} a list, {@code matches} a regular expression
 * (the whole trimmed value), or is {@code notEmpty}/{@code empty}. Exactly one test per condition keeps the
 * mapping file readable; a rule that needs two columns uses two rules.
 *
 * @param path where the condition sits in the mapping file, for error messages
 */
public record Condition(String path, String column, String equalsValue, List<String> in, Pattern matches, Boolean notEmpty) {

    public Condition {
        in = in == null ? null : List.copyOf(in);
    }

    boolean test(String value) {
        String v = value == null ? "" : value;
        if (equalsValue != null) {
            return v.equals(equalsValue);
        }
        if (in != null) {
            return in.contains(v);
        }
        if (matches != null) {
            return matches.matcher(v).matches();
        }
        return notEmpty != v.isEmpty();
    }
}
