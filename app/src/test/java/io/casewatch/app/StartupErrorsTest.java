package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

import io.casewatch.Main;
import io.casewatch.testing.LogCapture;

/** Start-up in real environments (issue 19): a kubelet's variables, a person's mistakes, a cluster that is not there. */
class StartupErrorsTest {

    /** What a kubelet injects into every pod for the Service {@code casewatch} (and a docker link would). */
    static Map<String, String> kubeletVariables() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CASEWATCH_SERVICE_HOST", "10.96.12.7");
        env.put("CASEWATCH_SERVICE_PORT", "8080");
        env.put("CASEWATCH_SERVICE_PORT_HTTP", "8080");
        env.put("CASEWATCH_PORT", "tcp://10.96.12.7:8080");
        env.put("CASEWATCH_PORT_8080_TCP", "tcp://10.96.12.7:8080");
        env.put("CASEWATCH_PORT_8080_TCP_PROTO", "tcp");
        env.put("CASEWATCH_PORT_8080_TCP_PORT", "8080");
        env.put("CASEWATCH_PORT_8080_TCP_ADDR", "10.96.12.7");
        env.put("CASEWATCH_NOTIFY_SERVICE_HOST", "10.96.12.8");
        env.put("CASEWATCH_NOTIFY_PORT", "tcp://10.96.12.8:9095");
        env.put("CASEWATCH_NOTIFY_PORT_9095_TCP", "tcp://10.96.12.8:9095");
        return env;
    }

    @Test
    void kubernetesServiceVariablesAreNotConfigurationButRealKeysStillAre() {
        Map<String, String> env = kubeletVariables();
        env.put("CASEWATCH_HTTP_PORT", "8081");
        env.put("CASEWATCH_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        AppConfig cfg = AppConfig.load(null, env, Map.of());
        assertThat(cfg.integer(AppConfig.HTTP_PORT, 0)).isEqualTo(8081);
        assertThat(cfg.kafka()).containsExactly(Map.entry("bootstrap.servers", "kafka:9092"));

        // A genuine typo is still refused: only the kubelet's shapes are ignored.
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("CASEWATCH_HTTP_PROT", "8080"), Map.of()))
                .hasMessageContaining("unknown casewatch key 'casewatch.http.prot'");
        assertThat(AppConfig.isServiceLink("CASEWATCH_HTTP_PORT", "8080")).isFalse();
    }

    @Test
    void aConfigurationMistakeIsOneLineAndExitTwo() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int rc = cli.execute("run", "--bootstrap-servers", "127.0.0.1:9", "--set", "casewatch.similarity.threshold=high");
        assertThat(rc).isEqualTo(Main.USAGE_ERROR);
        assertThat(err.toString().strip()).isEqualTo(
                "casewatch run: configuration error: casewatch.similarity.threshold: 'high' is not a number").doesNotContain("\tat ");

        err.getBuffer().setLength(0);
        rc = cli.execute("run", "--no-such-flag");
        assertThat(rc).isEqualTo(Main.USAGE_ERROR);
        assertThat(err.toString().strip().lines()).hasSize(1).first().asString().contains("--no-such-flag", "casewatch run --help");

        err.getBuffer().setLength(0);
        rc = cli.execute("run", "--bootstrap-servers", "127.0.0.1:9", "--set", "casewatch.nope=1");
        assertThat(rc).isEqualTo(Main.USAGE_ERROR);
        assertThat(err.toString().strip().lines()).hasSize(1).first().asString().contains("unknown casewatch key 'casewatch.nope'");
    }

    @Test
    void notifyWithoutAnAlertmanagerIsOneLineAndExitTwo() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("notify", "--bootstrap-servers", "127.0.0.1:9")).isEqualTo(Main.USAGE_ERROR);
        assertThat(err.toString().strip()).isEqualTo("casewatch notify: configuration error: no Alertmanager: pass --alertmanager "
                + "http://host:9093 or set casewatch.notify.alertmanager.urls");
        err.getBuffer().setLength(0);
        assertThat(cli.execute("notify", "--bootstrap-servers", "127.0.0.1:9", "--alertmanager", "alertmanager:9093")).isEqualTo(Main.USAGE_ERROR);
        assertThat(err.toString().strip().lines()).hasSize(1).first().asString().contains("is not an http(s) URL with a host");
    }

    @Test
    void anUnreachableClusterIsOneActionableLineAndNeverReady() throws Exception {
        int kafkaPort = freePort(); // nothing listens there
        int httpPort = freePort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        try (LogCapture log = LogCapture.start()) {
            CompletableFuture<Integer> rc = CompletableFuture.supplyAsync(() -> Main.commandLine().execute("run", "--bootstrap-servers",
                    "127.0.0.1:" + kafkaPort, "--set", "casewatch.startup.timeout=PT4S", "--set", "casewatch.http.port=" + httpPort));
            int seen503 = 0;
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!rc.isDone() && System.nanoTime() < giveUp) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
                            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as("/ready while no broker answers").isEqualTo(503);
                    seen503++;
                } catch (java.io.IOException notBoundYet) {
                    // the port is bound a moment after the command starts
                }
                try {
                    rc.get(100, TimeUnit.MILLISECONDS); // waits on the command's end, at most a tenth of a second
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // ask /ready again
                }
            }
            assertThat(rc.get(20, TimeUnit.SECONDS)).isEqualTo(Main.RUN_FAILURE);
            assertThat(seen503).isPositive();
            String line = log.text().lines().filter(l -> l.contains(" ERROR ")).reduce((a, b) -> b).orElse("");
            assertThat(line).contains("cannot reach the Kafka cluster", "127.0.0.1:" + kafkaPort, "security.protocol=PLAINTEXT",
                    "casewatch.startup.timeout").containsPattern("answered in [3-9] s");
            assertThat(log.text()).doesNotContain("\tat io.casewatch");
        }
    }

    @Test
    void theTopicsCommandAgainstAnUnreachableClusterIsOneLineAndExitOne() throws Exception {
        int kafkaPort = freePort(); // nothing listens there
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int rc = cli.execute("topics", "--bootstrap-servers", "127.0.0.1:" + kafkaPort, "--set", "casewatch.startup.timeout=PT3S", "--check");
        assertThat(rc).isEqualTo(Main.RUN_FAILURE);
        assertThat(err.toString().strip().lines()).hasSize(1).first().asString()
                .startsWith("casewatch topics: cannot reach the Kafka cluster").contains("127.0.0.1:" + kafkaPort, "casewatch.startup.timeout");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
