package io.casewatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The files under {@code deploy/} are valid for the tools that read them: Prometheus' own checker for the scrape
 * config and the alert rules, a JSON parse of the Grafana dashboard, and kustomize for the Kubernetes overlay. The
 * metric names they use are checked against a running instance by {@code OperationsSurfaceIT}.
 */
class DeployConfigTest {
    private static final Path DEPLOY = Path.of("").toAbsolutePath().getParent().resolve("deploy");

    @Test
    void prometheusConfigAndRulesPassPromtool() throws Exception {
        String promtool = onPath("promtool");
        assumeTrue(promtool != null, "promtool is not installed (Debian package prometheus; .ci/run installs it)");
        Result config = run(promtool, "check", "config", DEPLOY.resolve("prometheus/prometheus.yml").toString());
        assertThat(config.exit()).as(config.output()).isZero();
        Result rules = run(promtool, "check", "rules", DEPLOY.resolve("prometheus/casewatch-rules.yml").toString(),
                DEPLOY.resolve("prometheus/casewatch-notify-rules.yml").toString());
        assertThat(rules.exit()).as(rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS");
    }

    /**
     * {@code promtool test rules}: series fed to each alert make it fire and then resolve (casewatch-*rules.test.yml),
     * and every alert of the rule files has such a test.
     */
    @Test
    void everyAlertRuleFiresAndResolvesInPromtoolUnitTests() throws Exception {
        String promtool = onPath("promtool");
        assumeTrue(promtool != null, "promtool is not installed (Debian package prometheus; .ci/run installs it)");
        for (String name : List.of("casewatch-rules", "casewatch-notify-rules")) {
            Path test = DEPLOY.resolve("prometheus/" + name + ".test.yml");
            Result r = run(promtool, "test", "rules", test.toString());
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("SUCCESS");
            String rules = Files.readString(DEPLOY.resolve("prometheus/" + name + ".yml"));
            String tests = Files.readString(test);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("- alert: (\\w+)").matcher(rules);
            while (m.find()) {
                String alert = m.group(1);
                assertThat(tests).as(alert + " has a firing and a resolved case").containsPattern("alertname: " + alert + "\\s+exp_alerts:\\s+- exp_labels")
                        .containsPattern("alertname: " + alert + "\\s+exp_alerts: \\[\\]");
            }
        }
    }

    @Test
    void grafanaDashboardIsProvisionableJson() throws Exception {
        JsonNode d = new ObjectMapper().readTree(DEPLOY.resolve("grafana/dashboards/casewatch.json").toFile());
        assertThat(d.path("uid").asText()).isEqualTo("casewatch");
        List<String> exprs = new ArrayList<>();
        d.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        assertThat(exprs).hasSizeGreaterThan(10).allMatch(e -> !e.isBlank());
        // Template variables: the data source, the namespace and the instance, and every query scoped by them.
        List<String> vars = new ArrayList<>();
        d.path("templating").path("list").forEach(v -> vars.add(v.path("name").asText() + ":" + v.path("type").asText()));
        assertThat(vars).containsExactly("datasource:datasource", "namespace:query", "instance:query");
        assertThat(exprs).allSatisfy(e -> assertThat(e).contains("job=\"casewatch\"", "namespace=~\"$namespace\"", "instance=~\"$instance\""));
        d.path("panels").forEach(p -> assertThat(p.path("datasource").path("uid").asText()).as(p.path("title").asText()).isEqualTo("${datasource}"));
        assertThat(Files.readString(DEPLOY.resolve("grafana/provisioning/dashboards/casewatch.yml"))).contains("/var/lib/grafana/dashboards");
    }

    @Test
    void kubernetesOverlayBuildsWithKustomize() throws Exception {
        String kubectl = onPath("kubectl");
        assumeTrue(kubectl != null, "kubectl is not installed (optional: this check runs where it is)");
        Result r = run(kubectl, "kustomize", DEPLOY.resolve("kubernetes/overlays/production").toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("kind: StatefulSet", "volumeClaimTemplates", "path: /ready", "path: /health",
                "terminationGracePeriodSeconds: 60", "num.standby.replicas=1", "clusterIP: None", "replicas: 6");
        assertThat(r.output()).doesNotContain("kind: Secret"); // KubernetesManifestsTest checks the rest
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
