package io.casewatch.it;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A casewatch instance in its own JVM, started the way production starts it ({@code java -cp target/classes:target/lib/*
 * io.casewatch.Main run}), so that a test can kill it with SIGKILL and nothing of it survives in the test's JVM.
 * Its output goes to a log file in the test's folder, kept for diagnosis.
 */
final class AppProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final List<String> command;
    private final Path log;
    private final int httpPort;
    private Process process;

    private AppProcess(String name, List<String> command, Path log, int httpPort) {
        this.name = name;
        this.command = command;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** Starts {@code run} with these settings ({@code --set key=value}) on top of the bootstrap servers. */
    static AppProcess start(String name, Path dir, String bootstrapServers, int httpPort, Map<String, String> settings) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
                + Path.of("target", "lib").toAbsolutePath() + File.separator + "*";
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-cp", cp, "io.casewatch.Main", "run",
                "--bootstrap-servers", bootstrapServers, "--set", "casewatch.http.port=" + httpPort));
        settings.forEach((k, v) -> {
            cmd.add("--set");
            cmd.add(k + "=" + v);
        });
        AppProcess p = new AppProcess(name, List.copyOf(cmd), dir.resolve(name + ".log"), httpPort);
        p.launch();
        return p;
    }

    private void launch() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
    }

    /** The same command again (same state folder, same port), after a {@link #kill()}. */
    void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        launch();
    }

    /** SIGKILL: no shutdown hook, no flush, no commit; an open transaction is left for the broker to abort. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL");
        }
    }

    /** SIGSTOP: the JVM freezes (no heartbeat, no commit) but keeps its sockets and state, as in a long GC pause. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}: the frozen instance goes on from where it stopped, a zombie until fenced. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Every line of the instance's log so far. */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** True once {@code /ready} answers 200: the instance runs and restores nothing. */
    boolean ready() {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
