package io.casewatch.replay.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;

import org.junit.jupiter.api.Test;

class BareCarriageReturnReaderTest {

    private static String readAll(Reader r) throws IOException {
        StringBuilder b = new StringBuilder();
        char[] buf = new char[3];
        int n;
        while ((n = r.read(buf, 0, buf.length)) > 0) {
            b.append(buf, 0, n);
        }
        return b.toString();
    }

    @Test
    void aBareCrBecomesASpaceWhileCrlfAndLfStay() throws IOException {
        assertThat(readAll(new BareCarriageReturnReader(new StringReader("a\rb\r\nc\nd\r"))))
                .isEqualTo("a b\r\nc\nd ");
    }

    @Test
    void aCrAtTheEndOfOneReadAndLfAtTheStartOfTheNextIsStillCrlf() throws IOException {
        assertThat(readAll(new BareCarriageReturnReader(new StringReader("ab\r\ncd\r\r\n"))))
                .isEqualTo("ab\r\ncd \r\n");
    }
}
