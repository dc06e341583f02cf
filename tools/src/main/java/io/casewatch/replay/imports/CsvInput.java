package io.casewatch.replay.imports;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Where the CSV text comes from. It can be opened more than once, because a thread-root mapping reads the file
 * twice (first the reply links, then the rows).
 */
@FunctionalInterface
public interface CsvInput {

    Reader open() throws IOException;

    /** A file, gzipped or not: gzip is recognised by its magic bytes, so a {@code .gz} name is not required. */
    static CsvInput of(Path file) {
        return () -> {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            in.mark(2);
            int b1 = in.read();
            int b2 = in.read();
            in.reset();
            if (b1 == 0x1f && b2 == 0x8b) {
                in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        };
    }

    static CsvInput ofText(String text) {
        return () -> new StringReader(text);
    }
}
