package io.casewatch.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus Alertmanager (Debian package {@code prometheus-alertmanager}, which {@code .ci/run} installs) on
 * 127.0.0.1, clustering off, state in the test's folder. Skips the test with a clear message where it is absent.
 */
final class AlertmanagerProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;

    private AlertmanagerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static String binary() {
        for (String name : List.of("prometheus-alertmanager", "alertmanager")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }

    /** Starts with a route to a receiver that sends nothing, and waits until it is ready. */
    static AlertmanagerProcess start(Path dir) throws Exception {
        String bin = binary();
        assumeTrue(bin != null, "prometheus-alertmanager is not installed (Debian package prometheus-alertmanager; .ci/run installs it)");
        Files.createDirectories(dir);
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, "route:\n  receiver: nobody\n  group_by: [alertId]\nreceivers:\n  - name: nobody\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("am-data"));
        List<String> cmd = new ArrayList<>(List.of(bin, "--config.file=" + config, "--storage.path=" + dir.resolve("am-data"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=", "--log.level=warn"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        AlertmanagerProcess am = new AlertmanagerProcess(p, port);
        ItSupport.await(Duration.ofSeconds(20), () -> "Alertmanager ready on " + port + " (see " + dir.resolve("alertmanager.log") + ")",
                am::ready);
        return am;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new AssertionError("Alertmanager exited with " + process.exitValue());
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(url().resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The alerts Alertmanager holds and has not resolved, as its v2 API returns them. */
    List<JsonNode> activeAlerts() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url().resolve("/api/v2/alerts")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(r.body()).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
