package io.casewatch.loops;

/**
 * 64-bit SimHash over character shingles, so that it works for Chinese text without spaces. Digits are folded to
 * one symbol and whitespace and punctuation dropped first, so that a pasted reply with another order number, amount
 * or date stays a near-duplicate. Similarity is the share of equal bits: 1 for identical texts, about 0.5 for
 * unrelated ones; 0.8 corresponds to a cosine similarity of the shingle sets of about 0.8.
 */
public final class SimHash {
    static final int SHINGLE = 3;

    private SimHash() {
    }

    public static long of(String normalized) {
        String s = canonical(normalized);
        if (s.isEmpty()) {
            return 0L;
        }
        int[] weights = new int[64];
        int n = s.length() < SHINGLE ? 1 : s.length() - SHINGLE + 1;
        for (int i = 0; i < n; i++) {
            long h = hash(s, i, Math.min(s.length(), i + SHINGLE));
            for (int bit = 0; bit < 64; bit++) {
                weights[bit] += ((h >>> bit) & 1L) == 1L ? 1 : -1;
            }
        }
        long out = 0L;
        for (int bit = 0; bit < 64; bit++) {
            if (weights[bit] > 0) {
                out |= 1L << bit;
            }
        }
        return out;
    }

    /** The share of equal bits: 1 for equal fingerprints, about 0.5 for unrelated texts. */
    public static double similarity(long a, long b) {
        return 1.0 - Long.bitCount(a ^ b) / 64.0;
    }

    static String canonical(String normalized) {
        StringBuilder b = new StringBuilder(normalized.length());
        boolean inDigits = false;
        for (int i = 0; i < normalized.length(); i++) {
            char c = normalized.charAt(i);
            if (Character.isDigit(c)) {
                if (!inDigits) {
                    b.append('0');
                }
                inDigits = true;
                continue;
            }
            inDigits = false;
            if (Character.isLetter(c) || Character.isIdeographic(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** FNV-1a over the shingle, then a 64-bit finaliser so that every bit is well mixed. */
    private static long hash(String s, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** A stable 64-bit hash of a string (template ids, event ids). */
    public static long hash64(String s) {
        return hash(s, 0, s.length());
    }
}
