package io.casewatch.replay.imports;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** Test helper: one import of inline CSV text with an inline mapping, its output lines, rejects and summary. */
record ImportRun(List<String> lines, List<String> rejects, ImportSummary summary, String output) {

    static ImportRun of(String mappingJson, String csv) {
        return of(MappingFile.parse(mappingJson), CsvInput.ofText(csv));
    }

    static ImportRun of(ImportMapping mapping, CsvInput input) {
        StringWriter out = new StringWriter();
        StringWriter rej = new StringWriter();
        try {
            ImportSummary s = new CsvImporter(mapping).run(input, out, rej);
            return new ImportRun(out.toString().lines().toList(), rej.toString().lines().toList(), s, out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
