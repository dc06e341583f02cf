package io.casewatch.replay.imports;

import java.util.List;

/**
 * One CSV record.
 *
 * @param line   the physical line of the input file on which the record starts (1-based, counting skipped lines
 *               and the header), so that an error points at what an editor shows
 * @param number the record's ordinal among the data rows (1-based, header excluded), stable for derived ids
 * @param cells  the values, in header order
 */
public record CsvRow(long line, long number, List<String> cells) {

    public CsvRow {
        cells = List.copyOf(cells);
    }

    public String cell(int index) {
        return index < cells.size() ? cells.get(index) : "";
    }
}
