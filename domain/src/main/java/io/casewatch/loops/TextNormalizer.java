package io.casewatch.loops;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The one normalisation every text comparison uses: NFKC (folds full-width forms), lower case, curly quotes to
 * straight ones, whitespace runs to one space.
 */
public final class TextNormalizer {
    private TextNormalizer() {
    }

    public static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\u2018', '\u2019', '\u201B', '\u2032' -> c = '\'';
                case '\u201C', '\u201D', '\u201F', '\u2033' -> c = '"';
                default -> {
                }
            }
            if (Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space && b.length() > 0) {
                b.append(' ');
            }
            space = false;
            b.append(c);
        }
        return b.toString();
    }
}
