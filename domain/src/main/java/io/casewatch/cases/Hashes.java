package io.casewatch.cases;

import java.nio.ByteBuffer;

/**
 * Bounded lists of 64-bit hashes packed into the case's byte fields (seen event ids, reply fingerprints, template
 * ids): eight bytes per hash, oldest first, so a case's state stays small however long it lives.
 */
final class Hashes {

    private Hashes() {
    }

    static long[] longs(ByteBuffer buf) {
        ByteBuffer b = buf.duplicate();
        b.rewind();
        long[] out = new long[b.remaining() / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getLong();
        }
        return out;
    }

    static boolean contains(ByteBuffer buf, long h) {
        for (long x : longs(buf)) {
            if (x == h) {
                return true;
            }
        }
        return false;
    }

    /** {@code buf} with {@code h} added at the end, the oldest dropped to keep at most {@code max}. */
    static ByteBuffer append(ByteBuffer buf, long h, int max) {
        long[] old = longs(buf);
        int keep = Math.min(old.length, max - 1);
        ByteBuffer out = ByteBuffer.allocate((keep + 1) * 8);
        for (int i = old.length - keep; i < old.length; i++) {
            out.putLong(old[i]);
        }
        out.putLong(h);
        out.flip();
        return out;
    }
}
