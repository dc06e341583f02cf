package io.casewatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The example Alertmanager routing is valid for Alertmanager's own checker, and routes casewatch's alerts as
 * documented: L3 to the compliance pager (and its channel), L2 to the complaints office, L1 to team leads.
 */
class AlertmanagerConfigTest {
    private static final String EXAMPLE = KubernetesManifestsTest.DEPLOY.resolve("alertmanager/alertmanager.yml").toString();

    @Test
    void exampleAndComposeConfigsPassAmtool() throws Exception {
        for (String file : new String[] {EXAMPLE, KubernetesManifestsTest.DEPLOY.resolve("alertmanager/compose-alertmanager.yml").toString()}) {
            String out = amtool("check-config", file);
            assertThat(out).contains("SUCCESS");
        }
    }

    @Test
    void l3GoesToTheCompliancePager() throws Exception {
        assertThat(route("alertname=CasewatchCaseAlert", "level=L3", "kind=STATUTORY_BREACH", "caseId=C-1")).isEqualTo("compliance-pager,compliance-slack");
        assertThat(route("alertname=CasewatchCaseAlert", "level=L2", "kind=STALL_LOOP")).isEqualTo("complaints-office-slack");
        assertThat(route("alertname=CasewatchCaseAlert", "level=L1", "kind=FIRST_RESPONSE_AT_RISK")).isEqualTo("team-leads-email");
        assertThat(route("alertname=CasewatchDown", "severity=page")).isEqualTo("platform-pager");
    }

    private static String route(String... labels) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("config", "routes", "test", "--config.file=" + EXAMPLE));
        args.addAll(java.util.List.of(labels));
        return amtool(args.toArray(String[]::new)).lines().filter(l -> !l.startsWith("Warning")).reduce((a, b) -> b).orElse("").strip();
    }

    private static String amtool(String... args) throws Exception {
        String amtool = KubernetesManifestsTest.onPath("amtool");
        assumeTrue(amtool != null, "amtool is not installed (Debian package prometheus-alertmanager; .ci/run installs it)");
        String[] cmd = new String[args.length + 1];
        cmd[0] = amtool;
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }
}
