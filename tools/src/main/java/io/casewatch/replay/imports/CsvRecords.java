package io.casewatch.replay.imports;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * Reads the records of a CSV file with jackson-dataformat-csv (RFC 4180 quoting, embedded newlines), after the
 * skipped lines, with the header first. Every record knows the physical line it starts on.
 */
final class CsvRecords implements Closeable {

    private static final CsvMapper CSV = new CsvMapper();

    private final Reader reader;
    private final CsvParser parser;
    private final int skipped;
    private final Header header;
    private long number;
    /** The line on which the record last read by {@link #nextCells} starts. */
    private long line;

    CsvRecords(CsvInput input, CsvOptions options) throws IOException {
        Reader r = new BufferedReader(input.open(), 1 << 16);
        if (options.bareCarriageReturnsAsSpace()) {
            r = new BareCarriageReturnReader(r);
        }
        this.reader = r;
        skipLines(r, options.skipLines());
        this.skipped = options.skipLines();
        this.parser = CSV.getFactory().createParser(r);
        parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(options.separator()).withQuoteChar(options.quote()));
        List<String> names = nextCells();
        if (names == null) {
            throw new MappingException("the CSV input has no header line" + (skipped > 0 ? " after skipping " + skipped + " lines" : ""));
        }
        if (!names.isEmpty() && names.get(0).startsWith("\uFEFF")) {
            names.set(0, names.get(0).substring(1));
        }
        this.header = new Header(names);
    }

    Header header() {
        return header;
    }

    /** The next data record, or null at the end. Blank lines are not records. */
    CsvRow next() throws IOException {
        while (true) {
            List<String> cells = nextCells();
            if (cells == null) {
                return null;
            }
            if (cells.size() == 1 && cells.get(0).isEmpty() && header.size() > 1) {
                continue;
            }
            return new CsvRow(line + skipped, ++number, cells);
        }
    }

    private List<String> nextCells() throws IOException {
        JsonToken t = parser.nextToken();
        if (t == null) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            throw new IOException("unexpected CSV token " + t);
        }
        List<String> cells = new ArrayList<>();
        line = -1;
        while ((t = parser.nextToken()) == JsonToken.VALUE_STRING) {
            if (line < 0) {
                line = parser.currentTokenLocation().getLineNr();
            }
            cells.add(parser.getText());
        }
        return cells;
    }

    private static void skipLines(Reader r, int lines) throws IOException {
        int left = lines;
        while (left > 0) {
            int c = r.read();
            if (c < 0) {
                return;
            }
            if (c == '\n') {
                left--;
            }
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
        reader.close();
    }
}
