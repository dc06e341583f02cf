package io.casewatch.peer;

/** An output record of the peer: a string key and a one-line JSON value. */
public interface KeyedJson {

    String key();

    String toJson();

    /** A JSON string literal; ids are plain ASCII in practice, but a quote or control character must not break a line. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
