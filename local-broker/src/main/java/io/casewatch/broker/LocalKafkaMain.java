package io.casewatch.broker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@link LocalKafka} in its own JVM for the demo and benchmarks. Prints one line
 * {@code BOOTSTRAP=host:port} when ready, then runs until its standard input closes (the parent died or
 * asked it to stop) or it gets SIGTERM; either way the broker and its data folder are removed.
 */
public final class LocalKafkaMain {

    private LocalKafkaMain() {
    }

    public static void main(String[] args) {
        LocalKafka kafka = LocalKafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(kafka), "local-kafka-shutdown"));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("BOOTSTRAP=" + kafka.bootstrapServers());
        try {
            while (System.in.read() >= 0) {
                // Wait for EOF: the parent closes our stdin to stop us.
            }
        } catch (IOException ignored) {
            // stdin broken: treat as a stop request.
        }
        System.exit(0);
    }

    private static void closeQuietly(LocalKafka kafka) {
        try {
            kafka.close();
        } catch (Exception e) {
            System.err.println("local kafka: close failed: " + e);
        }
    }
}
