package io.casewatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;

/**
 * Every Kubernetes kustomization under {@code deploy/kubernetes} (the base and each overlay), rendered with
 * {@code kubectl kustomize} as {@code kubectl apply -k} would, has the properties a platform engineer relies on
 * (issue 19): no Secret, a PDB that selects the pods, spread across nodes and zones, rack-aware standbys, probe
 * timeouts, memory that fits the limit, no service links, and the configuration casewatch accepts.
 */
class KubernetesManifestsTest {
    static final Path DEPLOY = Path.of("").toAbsolutePath().getParent().resolve("deploy");
    private static final ObjectMapper YAML = new YAMLMapper();

    static Stream<String> kustomizations() throws Exception {
        List<String> dirs = new ArrayList<>(List.of("base"));
        try (Stream<Path> overlays = Files.list(DEPLOY.resolve("kubernetes/overlays"))) {
            overlays.filter(Files::isDirectory).map(p -> "overlays/" + p.getFileName()).sorted().forEach(dirs::add);
        }
        return dirs.stream();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void renderedManifestsAreFitForProduction(String dir) throws Exception {
        List<JsonNode> docs = render(dir);
        assertThat(docs).extracting(d -> d.path("kind").asText()).doesNotContain("Secret");

        JsonNode sts = one(docs, "StatefulSet", "casewatch");
        JsonNode pod = sts.path("spec").path("template");
        Map<String, String> podLabels = strings(pod.path("metadata").path("labels"));
        JsonNode spec = pod.path("spec");
        assertThat(spec.path("enableServiceLinks").asBoolean(true)).as("enableServiceLinks").isFalse();

        JsonNode pdb = one(docs, "PodDisruptionBudget", "casewatch");
        Map<String, String> pdbSelector = strings(pdb.path("spec").path("selector").path("matchLabels"));
        assertThat(pdbSelector).as("the PDB selects the pods").isNotEmpty();
        assertThat(podLabels).containsAllEntriesOf(pdbSelector);

        List<String> spreadKeys = new ArrayList<>();
        spec.path("topologySpreadConstraints").forEach(c -> {
            assertThat(podLabels).containsAllEntriesOf(strings(c.path("labelSelector").path("matchLabels")));
            spreadKeys.add(c.path("topologyKey").asText());
        });
        assertThat(spreadKeys).contains("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        JsonNode anti = spec.path("affinity").path("podAntiAffinity").path("preferredDuringSchedulingIgnoredDuringExecution").path(0)
                .path("podAffinityTerm");
        assertThat(anti.path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");

        // Rack-aware standbys: the tag is declared, fed from a file the init container writes from the node's zone.
        Properties props = properties(docs);
        assertThat(props.getProperty("rack.aware.assignment.tags")).isEqualTo("zone");
        assertThat(props.getProperty("client.tag.zone")).startsWith("${file:/var/run/casewatch/zone.properties:");
        assertThat(props.getProperty("config.providers")).contains("file");
        JsonNode init = spec.path("initContainers").path(0);
        assertThat(init.path("command").toString()).contains("topology\\\\.kubernetes\\\\.io/zone", "/var/run/casewatch/zone.properties");
        assertThat(one(docs, "ClusterRole", "casewatch-node-reader").path("rules").toString()).contains("nodes", "get").doesNotContain("list");

        // The configuration is one casewatch accepts (kubelet variables and all).
        Map<String, String> flat = new java.util.LinkedHashMap<>();
        props.forEach((k, v) -> flat.put(k.toString(), v.toString()));
        Properties streams = Pipeline.streamsProperties(AppConfig.load(null, Map.of(), flat));
        assertThat(streams.getProperty("rocksdb.config.setter")).isEqualTo("io.casewatch.app.BoundedRocksDb");

        JsonNode app = spec.path("containers").path(0);
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode p = app.path(probe);
            assertThat(p.path("timeoutSeconds").asInt(1)).as(probe + " timeout (the default 1 s fails on a GC pause)").isBetween(2, 10);
            assertThat(p.path("timeoutSeconds").asInt()).as(probe + " timeout within its period").isLessThanOrEqualTo(p.path("periodSeconds").asInt());
        }
        JsonNode startup = app.path("startupProbe");
        long startupSeconds = (long) startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt();
        assertThat(startupSeconds).as("the startup probe outlasts casewatch.startup.timeout, so the pod exits with its reason")
                .isGreaterThan(durationSeconds(props.getProperty(AppConfig.STARTUP_TIMEOUT), Pipeline.DEFAULT_STARTUP_TIMEOUT));

        assertMemoryFits(app, props);

        // notify: deployed with the pipeline, one replica, same hygiene; the Services do not select it.
        JsonNode notify = one(docs, "Deployment", "casewatch-notify");
        assertThat(notify.path("spec").path("replicas").asInt()).isEqualTo(1);
        JsonNode notifySpec = notify.path("spec").path("template").path("spec");
        assertThat(notifySpec.path("enableServiceLinks").asBoolean(true)).isFalse();
        JsonNode notifyContainer = notifySpec.path("containers").path(0);
        assertThat(notifyContainer.path("args").toString()).contains("notify");
        assertThat(notifyContainer.path("env").toString()).contains("CASEWATCH_NOTIFY_ALERTMANAGER_URLS");
        assertThat(notifyContainer.path("livenessProbe").path("timeoutSeconds").asInt(1)).isGreaterThanOrEqualTo(2);
        Map<String, String> notifyLabels = strings(notify.path("spec").path("template").path("metadata").path("labels"));
        for (JsonNode svc : docs.stream().filter(d -> d.path("kind").asText().equals("Service")).toList()) {
            Map<String, String> selector = strings(svc.path("spec").path("selector"));
            assertThat(podLabels).as("Service " + svc.path("metadata").path("name").asText()).containsAllEntriesOf(selector);
            assertThat(notifyLabels.entrySet().containsAll(selector.entrySet())).as("notify is not behind " + svc.path("metadata").path("name")).isFalse();
        }
    }

    @org.junit.jupiter.api.Test
    void productionCarriesThePrometheusOperatorObjectsWithTheRulesOfTheRulesFile() throws Exception {
        List<JsonNode> docs = render("overlays/production");
        JsonNode monitor = one(docs, "PodMonitor", "casewatch");
        assertThat(monitor.path("spec").path("jobLabel").asText()).isEqualTo("casewatch.io/job");
        Map<String, String> podLabels = strings(one(docs, "StatefulSet", "casewatch").path("spec").path("template").path("metadata").path("labels"));
        assertThat(podLabels).containsAllEntriesOf(strings(monitor.path("spec").path("selector").path("matchLabels")))
                .containsEntry("casewatch.io/job", "casewatch"); // so job="casewatch", as the rules expect
        assertThat(monitor.path("spec").path("podMetricsEndpoints").path(0).path("port").asText()).isEqualTo("http");
        JsonNode notifyMonitor = one(docs, "PodMonitor", "casewatch-notify");
        Map<String, String> notifyLabels = strings(one(docs, "Deployment", "casewatch-notify").path("spec").path("template").path("metadata").path("labels"));
        assertThat(notifyLabels).containsAllEntriesOf(strings(notifyMonitor.path("spec").path("selector").path("matchLabels")))
                .containsEntry("casewatch.io/job", "casewatch-notify");
        assertThat(podLabels).doesNotContainEntry("app.kubernetes.io/component", "notify");
        JsonNode rule = one(docs, "PrometheusRule", "casewatch");
        com.fasterxml.jackson.databind.node.ArrayNode groups = YAML.createArrayNode();
        for (String f : List.of("prometheus/casewatch-rules.yml", "prometheus/casewatch-notify-rules.yml")) {
            YAML.readTree(DEPLOY.resolve(f).toFile()).path("groups").forEach(groups::add);
        }
        assertThat(rule.path("spec").path("groups"))
                .as("prometheusrule.yaml is regenerated from casewatch-*rules.yml (components/prometheus-operator/regenerate.py)")
                .isEqualTo(groups);
    }

    /**
     * The arithmetic of docs/operations.md, Memory: heap + RocksDB's bound + the JVM's other pools + allowances for
     * what no flag bounds must stay under 95% of the container's limit.
     */
    private static void assertMemoryFits(JsonNode container, Properties props) {
        String opts = "";
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals("JAVA_TOOL_OPTIONS")) {
                opts = e.path("value").asText();
            }
        }
        long heap = flagMiB(opts, "-Xmx");
        assertThat(flagMiB(opts, "-Xms")).as("heap committed up front").isEqualTo(heap);
        long metaspace = flagMiB(opts, "-XX:MaxMetaspaceSize=");
        long codeCache = flagMiB(opts, "-XX:ReservedCodeCacheSize=");
        long direct = flagMiB(opts, "-XX:MaxDirectMemorySize=");
        long stacks = 128 * flagMiB(opts, "-Xss"); // up to 128 threads (Kafka clients, stream threads, HTTP, GC)
        long rocksdb = Long.parseLong(props.getProperty(AppConfig.ROCKSDB_MEMORY_MIB));
        long jvmInternal = 160; // GC structures, symbol tables, compiler arenas
        long rocksdbUncharged = rocksdb / 10; // iterators, pinned blocks, allocator slack not charged to the cache
        long mallocSlack = 128; // with MALLOC_ARENA_MAX=2
        long total = heap + metaspace + codeCache + direct + stacks + rocksdb + jvmInternal + rocksdbUncharged + mallocSlack;
        long limit = mib(container.path("resources").path("limits").path("memory").asText());
        assertThat(total).as("heap %d + RocksDB %d + non-heap and native %d MiB vs the limit %d MiB", heap, rocksdb,
                total - heap - rocksdb, limit).isLessThanOrEqualTo(limit * 95 / 100);
        assertThat(container.path("env").toString()).contains("MALLOC_ARENA_MAX");
    }

    private static long flagMiB(String opts, String flag) {
        Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(flag) + "(\\d+[kmgKMG]?)").matcher(opts);
        assertThat(m.find()).as(flag + " in JAVA_TOOL_OPTIONS: " + opts).isTrue();
        return mib(m.group(1));
    }

    static long mib(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Gi|Mi|g|m|G|M|k|K)?").matcher(quantity.strip());
        assertThat(m.matches()).as(quantity).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Gi", "g", "G" -> n * 1024;
            case "Mi", "m", "M" -> n;
            case "k", "K" -> Math.max(1, n / 1024);
            default -> Math.max(1, n / (1024 * 1024));
        };
    }

    private static long durationSeconds(String iso, java.time.Duration dflt) {
        return iso == null ? dflt.toSeconds() : java.time.Duration.parse(iso).toSeconds();
    }

    static Properties properties(List<JsonNode> docs) throws Exception {
        Properties p = new Properties();
        p.load(new java.io.StringReader(one(docs, "ConfigMap", null).path("data").path("casewatch.properties").asText()));
        return p;
    }

    static JsonNode one(List<JsonNode> docs, String kind, String namePrefix) {
        List<JsonNode> found = docs.stream().filter(d -> d.path("kind").asText().equals(kind))
                .filter(d -> namePrefix == null || d.path("metadata").path("name").asText().equals(namePrefix)
                        || d.path("metadata").path("name").asText().startsWith(namePrefix + "-config"))
                .toList();
        assertThat(found).as(kind + " " + namePrefix).hasSize(1);
        return found.get(0);
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new java.util.TreeMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** {@code kubectl kustomize deploy/kubernetes/<dir>}, each document parsed. */
    static List<JsonNode> render(String dir) throws Exception {
        String kubectl = onPath("kubectl");
        assumeTrue(kubectl != null, "kubectl is not installed (the machine image has it; this check runs where it is)");
        Process p = new ProcessBuilder(kubectl, "kustomize", DEPLOY.resolve("kubernetes").resolve(dir).toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(out)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isEmpty()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    static String onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(d, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
