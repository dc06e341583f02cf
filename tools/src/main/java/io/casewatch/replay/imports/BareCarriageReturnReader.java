package io.casewatch.replay.imports;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Replaces a carriage return that is not followed by a line feed with a space. Real exports (the Twitter support
 * sample) carry bare CRs inside unquoted text; every CSV parser treats those as record breaks and splits the row,
 * so they are neutralised before parsing. CRLF line ends are left as they are.
 */
final class BareCarriageReturnReader extends FilterReader {

    private static final int NONE = -2;
    private int pending = NONE;

    BareCarriageReturnReader(Reader in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int c;
        if (pending != NONE) {
            c = pending;
            pending = NONE;
        } else {
            c = in.read();
        }
        if (c != '\r') {
            return c;
        }
        int next = in.read();
        pending = next == -1 ? NONE : next;
        return next == '\n' ? '\r' : ' ';
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        if (pending != NONE) {
            // The character read ahead after a CR at the end of the previous chunk.
            buf[off] = (char) pending;
            pending = NONE;
            n = 1;
        } else {
            n = in.read(buf, off, len);
            if (n <= 0) {
                return -1;
            }
        }
        if (n == 1 && buf[off] == '\r') {
            return read1(buf, off);
        }
        for (int i = off; i < off + n; i++) {
            if (buf[i] != '\r') {
                continue;
            }
            if (i + 1 < off + n) {
                if (buf[i + 1] != '\n') {
                    buf[i] = ' ';
                }
            } else {
                // A CR ends the chunk: look at one more character to decide, and hand it out next time.
                int next = in.read();
                pending = next == -1 ? NONE : next;
                if (next != '\n') {
                    buf[i] = ' ';
                }
            }
        }
        return n;
    }

    private int read1(char[] buf, int off) throws IOException {
        int next = in.read();
        pending = next == -1 ? NONE : next;
        if (next != '\n') {
            buf[off] = ' ';
        }
        return 1;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
