package io.casewatch.app;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local KRaft broker (module local-broker) in its own JVM, so that the server jars never join the
 * application's classpath. The child stops when its standard input closes, so it cannot outlive us.
 */
public final class LocalBrokerProcess implements AutoCloseable {

    public static final String CLASSPATH_PROPERTY = "casewatch.broker.classpath";

    private final Process process;
    private final String bootstrapServers;

    private LocalBrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /** The broker with its log lines (stderr) on this process' stderr. */
    public static LocalBrokerProcess start() throws IOException {
        return start(null);
    }

    /** The broker with its log lines appended to {@code errorLog}, or on this process' stderr when null. */
    public static LocalBrokerProcess start(Path errorLog) throws IOException {
        String cp = System.getProperty(CLASSPATH_PROPERTY);
        if (cp == null) {
            Path guess = Path.of("local-broker", "target");
            if (!Files.isDirectory(guess.resolve("lib"))) {
                throw new IllegalStateException("cannot find the local broker: run ./casewatch (it builds and sets -D"
                        + CLASSPATH_PROPERTY + ") or `mvn package` first");
            }
            cp = guess.resolve("classes") + File.pathSeparator + guess.resolve("lib") + File.separator + "*";
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx1g", "-cp", cp, "io.casewatch.broker.LocalKafkaMain"));
        pb.redirectError(errorLog == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.appendTo(errorLog.toFile()));
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("BOOTSTRAP=")) {
                return new LocalBrokerProcess(p, line.substring("BOOTSTRAP=".length()).trim());
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the local broker exited before it was ready (exit " + p.exitValue() + ")");
    }

    /** The broker's process, e.g. for the CPU time it used. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
