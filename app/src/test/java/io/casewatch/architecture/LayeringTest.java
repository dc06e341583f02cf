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
 * The layers of docs/architecture.md, read from the imports of the main sources of every module: the domain packages
 * use neither Kafka nor anything above them, and no two packages depend on each other. Maven's module graph keeps a
 * module from naming one above it; this keeps packages within and across modules free of cycles, and the domain
 * free of Kafka even through a dependency that would bring it back.
 */
class LayeringTest {

    /** Every module's main sources; the test runs in app/, beside the others. */
    private static final List<Path> MAINS = Stream.of("domain", "topology", "tools", "app")
            .map(m -> Path.of("..", m, "src/main/java/io/casewatch")).toList();
    private static final Set<String> DOMAIN = Set.of("sla", "policy", "loops", "escalation", "cases", "compliance");
    private static final Pattern CASEWATCH_REF = Pattern.compile("\\bio\\.casewatch\\.([a-z]+)\\.");

    /** Package (first level under io.casewatch) to the packages its sources name. */
    private static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (Path file : sources()) {
            String pkg = relative(file).getName(0).toString();
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
        List<Path> out = new ArrayList<>();
        for (Path main : MAINS) {
            try (Stream<Path> files = Files.walk(main)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static Path relative(Path file) {
        for (Path main : MAINS) {
            if (file.startsWith(main)) {
                return main.relativize(file);
            }
        }
        throw new IllegalArgumentException(file.toString());
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
            Path rel = relative(file);
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

    @Test
    void eachPackageLivesInOneModule() {
        Map<String, Set<Path>> modules = new TreeMap<>();
        for (Path file : sources()) {
            Path rel = relative(file);
            if (rel.getNameCount() > 1) {
                Path module = MAINS.stream().filter(file::startsWith).findFirst().orElseThrow();
                modules.computeIfAbsent(rel.getName(0).toString(), k -> new TreeSet<>()).add(module);
            }
        }
        modules.forEach((pkg, in) -> assertThat(in).as("modules holding %s", pkg).hasSize(1));
        for (String pkg : DOMAIN) {
            assertThat(modules.get(pkg)).as("module of %s", pkg).containsExactly(MAINS.get(0));
        }
    }
}
