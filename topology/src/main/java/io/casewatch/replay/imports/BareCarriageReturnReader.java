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
        while (n < len) {
            int c = read();
            if (c < 0) {
                break;
            }
            buf[off + n++] = (char) c;
            if (pending == NONE && !in.ready()) {
                break;
            }
        }
        return n == 0 ? -1 : n;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
