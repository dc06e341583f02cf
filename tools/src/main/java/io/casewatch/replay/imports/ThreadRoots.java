package io.casewatch.replay.imports;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The root of every reply thread in a file of messages: the first message of a conversation, reached by following
 * "in reply to" links. A parent that is not in the file is taken as the root, so replies to the same missing
 * message still share one case.
 */
final class ThreadRoots {

    private static final Pattern DECIMAL_ZERO = Pattern.compile("(-?\\d+)\\.0+");

    private final Map<String, String> parents = new HashMap<>();
    private final Map<String, String> roots = new HashMap<>();

    void add(String id, String parent) {
        String i = normalize(id);
        if (!i.isEmpty()) {
            parents.put(i, normalize(parent));
        }
    }

    /** The thread root of message {@code id} (normalised the same way as the links). */
    String rootOf(String id) {
        String start = normalize(id);
        String cached = roots.get(start);
        if (cached != null) {
            return cached;
        }
        String current = start;
        Set<String> seen = new HashSet<>();
        while (seen.add(current)) {
            String p = parents.get(current);
            if (p == null || p.isEmpty()) {
                break;
            }
            current = p;
        }
        roots.put(start, current);
        return current;
    }

    /** Ids that went through a spreadsheet or pandas come back as {@code 3.0}; they are the integer 3. */
    static String normalize(String id) {
        String s = id == null ? "" : id.strip();
        var m = DECIMAL_ZERO.matcher(s);
        return m.matches() ? m.group(1) : s;
    }
}
