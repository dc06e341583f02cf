package io.casewatch.loops;

/**
 * The part of a contact text casewatch reads: at most {@code casewatch.max.text.chars} characters (SPEC section 8).
 * A longer text is not rejected: a holding reply says what it is within its first sentences, and a 20,000-character
 * complaint narrative is still a contact the case must count.
 */
public final class TextLimit {

    private TextLimit() {
    }

    /** Whether {@code text} is longer than {@code maxChars} UTF-16 characters and will be cut. */
    public static boolean exceeds(String text, int maxChars) {
        return text != null && text.length() > maxChars;
    }

    /**
     * The first {@code maxChars} characters of {@code text}, one fewer when the cut would split a surrogate pair (an
     * emoji or a rare CJK character outside the BMP), so that the head stays well-formed Unicode; the text itself when
     * it fits.
     */
    public static String head(String text, int maxChars) {
        if (!exceeds(text, maxChars)) {
            return text;
        }
        int end = maxChars;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
            end--;
        }
        return text.substring(0, end);
    }
}
