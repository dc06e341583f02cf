package io.casewatch.replay.imports;

import java.util.List;

/** The column names of a CSV file, in order. Resolving a name the file lacks is a mapping error, not a row error. */
public record Header(List<String> names) {

    public Header {
        names = List.copyOf(names);
    }

    /** The index of {@code column}; {@code path} says where the mapping names it. */
    int index(String column, String path) {
        int first = names.indexOf(column);
        if (first < 0) {
            throw new MappingException(path + ": column '" + column + "' is not in the CSV header (columns: "
                    + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()) + ")");
        }
        if (names.lastIndexOf(column) != first) {
            throw new MappingException(path + ": column '" + column + "' appears more than once in the CSV header");
        }
        return first;
    }

    int size() {
        return names.size();
    }
}
