package io.casewatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.topology.CasewatchTopology;
import io.casewatch.topology.TopologyRuntime;
import io.casewatch.topology.Names;

/**
 * Node names, store names and the sub-topologies are what a running application's state is bound to: a store's
 * changelog topic and its local folder are named after the store, committed offsets after the sub-topology's
 * number. A rename or a reordering orphans state that already exists in production, so the shape of {@code run}'s
 * topology is pinned here. When a change is meant (and its migration written down in docs), regenerate with
 * {@code mvn -pl app -am test -Dtest=TopologySnapshotTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcasewatch.snapshot.update=true} and review the diff.
 */
class TopologySnapshotTest {

    private static final Path SNAPSHOT = Path.of("src/test/resources/casewatch/topology-run.txt");
    private static final Pattern STORES = Pattern.compile("stores: \\[([^\\]]*)\\]");

    private static Topology runTopology() {
        return CasewatchTopology.build(Pipeline.runSettings(AppConfig.load(null, Map.of(), new HashMap<>())), TopologyRuntime.live(Clock.systemUTC()));
    }

    @Test
    void runsTopologyHasTheShapeItsStateIsBoundTo() throws IOException {
        String described = normalised(runTopology().describe().toString());
        if (Boolean.getBoolean("casewatch.snapshot.update")) {
            Files.writeString(SNAPSHOT, described, StandardCharsets.UTF_8);
        }
        assertThat(described).as("run's topology against %s", SNAPSHOT).isEqualTo(Files.readString(SNAPSHOT, StandardCharsets.UTF_8));
    }

    /**
     * A processor's stores as sorted names: the topology keeps them in a set whose order can change from one JVM to
     * the next ({@code Set.of}), and their order binds no state.
     */
    private static String normalised(String described) {
        Matcher m = STORES.matcher(described);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String sorted = String.join(", ", new TreeSet<>(names(m.group(1))));
            m.appendReplacement(out, Matcher.quoteReplacement("stores: [" + sorted + "]"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Set<String> names(String list) {
        Set<String> names = new TreeSet<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                names.add(s.trim());
            }
        }
        return names;
    }

    @Test
    void theStoresTheQueriesReadAreInTheTopology() {
        Set<String> stores = new TreeSet<>();
        Matcher m = STORES.matcher(runTopology().describe().toString());
        while (m.find()) {
            stores.addAll(names(m.group(1)));
        }
        assertThat(stores).contains(Names.CASE_STORE, Names.MERCHANT_LATEST);
    }
}
