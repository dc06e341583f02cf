package io.casewatch.replay.imports;

/**
 * How the CSV file itself is read.
 *
 * @param skipLines                  physical lines before the header to ignore (an export tool's log, a title)
 * @param separator                  the field separator
 * @param quote                      the quote character
 * @param bareCarriageReturnsAsSpace read a CR not followed by LF as a space rather than as a line break
 */
public record CsvOptions(int skipLines, char separator, char quote, boolean bareCarriageReturnsAsSpace) {

    public static final CsvOptions DEFAULT = new CsvOptions(0, ',', '"', true);
}
