package io.casewatch.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, read from the imports of the main sources: the domain packages use neither
 * Kafka nor anything above them, and no two packages depend on each other. This guards the split into modules that
 * issue 20 asks for, before the packages move.
 */
class LayeringTest {

    private static final Path MAIN = Path.of("src/main/java/io/casewatch");
    private static final Set<String> DOMAIN = Set.of("sla", "policy", "loops", "escalation", "cases", "compliance");
    private static final Pattern CASEWATCH_REF = Pattern.compile("\\bio\\.casewatch\\.([a-z]+)\\.");

    /** Package (first level under io.casewatch) to the packages its sources name. */
    private static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (Path file : sources()) {
            String pkg = MAIN.relativize(file).getName(0).toString();
            if (pkg.endsWith(".java")) {
                continue; // Main.java: the command line, above everything
            }
            Matcher m = CASEWATCH_REF.matcher(read(file));
            Set<String> mine = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
            while (m.find()) {
                if (!m.group(1).equals(pkg) && !m.group(1).equals("schema")) {
                    mine.add(m.group(1));
                }
            }
        }
        return deps;
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theDomainPackagesUseNoKafka() {
        List<String> offending = new ArrayList<>();
        for (Path file : sources()) {
            Path rel = MAIN.relativize(file);
            if (rel.getNameCount() > 1 && DOMAIN.contains(rel.getName(0).toString()) && read(file).contains("org.apache.kafka")) {
                offending.add(rel.toString());
            }
        }
        assertThat(offending).as("domain sources that name Kafka").isEmpty();
    }

    @Test
    void theDomainPackagesDependOnlyOnEachOther() {
        Map<String, Set<String>> deps = dependencies();
        for (String pkg : DOMAIN) {
            assertThat(deps.getOrDefault(pkg, Set.of())).as("what %s uses", pkg).isSubsetOf(DOMAIN);
        }
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        Map<String, Set<String>> deps = dependencies();
        List<String> cycles = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : deps.entrySet()) {
            for (String other : e.getValue()) {
                if (e.getKey().compareTo(other) < 0 && deps.getOrDefault(other, Set.of()).contains(e.getKey())) {
                    cycles.add(e.getKey() + " <-> " + other);
                }
            }
        }
        assertThat(cycles).isEmpty();
    }
}
