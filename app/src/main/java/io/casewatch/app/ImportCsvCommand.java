package io.casewatch.app;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.casewatch.replay.imports.CsvImporter;
import io.casewatch.replay.imports.CsvInput;
import io.casewatch.replay.imports.ImportMapping;
import io.casewatch.replay.imports.ImportSummary;
import io.casewatch.replay.imports.MappingException;
import io.casewatch.replay.imports.MappingFile;

/**
 * {@code casewatch import-csv}: a case-management CSV export (gzipped or not) to a replay JSON Lines file, with a
 * mapping file (docs/import.md). Rows that do not map are counted and, with {@code --rejects}, listed; a mapping
 * that does not fit the file stops the command before anything is written.
 */
@Command(name = "import-csv", mixinStandardHelpOptions = true,
        description = "Convert a CSV export into replay events (JSON Lines) with a mapping file.")
public final class ImportCsvCommand implements Callable<Integer> {

    @Option(names = "--mapping", required = true, description = "The mapping file (JSON, see docs/import.md).")
    Path mapping;

    @Option(names = "--in", required = true, description = "The CSV export; .gz is read directly.")
    Path in;

    @Option(names = "--out", required = true, description = "The replay events file to write (JSON Lines).")
    Path out;

    @Option(names = "--rejects", description = "Where to list rejected rows (line number, column, reason).")
    Path rejects;

    @Override
    public Integer call() throws IOException {
        ImportMapping m;
        try {
            m = MappingFile.load(mapping);
        } catch (MappingException e) {
            System.err.println(mapping + ": " + e.getMessage());
            return 2;
        }
        if (!Files.isReadable(in)) {
            System.err.println(in + ": not readable");
            return 2;
        }
        // Written to a temporary file first so that a mapping error on the header leaves no half-written output.
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".import-", ".jsonl");
        try {
            ImportSummary s;
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                 Writer r = rejects == null ? null : new BufferedWriter(Files.newBufferedWriter(rejects, StandardCharsets.UTF_8))) {
                s = new CsvImporter(m).run(CsvInput.of(in), w, r);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            System.out.print(s.render());
            return 0;
        } catch (MappingException e) {
            System.err.println(mapping + ": " + e.getMessage());
            return 2;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
