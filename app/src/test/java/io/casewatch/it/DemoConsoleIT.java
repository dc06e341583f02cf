package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo} as a person sees it (issue 21 item 6): the live page's URL is the first line, the console tells the
 * story (alerts, acknowledgements by the simulated teams, merchant rates) and the broker's and clients' log lines go
 * to the log file. The demo runs in its own JVM with the local broker, as {@code ./casewatch demo} starts it.
 */
class DemoConsoleIT {

    @Test
    void theConsoleTellsTheStoryAndTheLogsGoToTheFile(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + Path.of("target", "lib").toAbsolutePath()
                + File.separator + "*";
        Path broker = Path.of("..", "local-broker", "target").toAbsolutePath().normalize();
        String brokerCp = broker.resolve("classes") + File.pathSeparator + broker.resolve("lib") + File.separator + "*";
        Path out = dir.resolve("console.txt");
        Path err = dir.resolve("stderr.txt");
        Path log = dir.resolve("demo.log");
        // 2 simulated hours a second: the first alerts fall due after about a simulated day.
        Process p = new ProcessBuilder(java, "-Xmx512m", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.casewatch",
                "-Dcasewatch.broker.classpath=" + brokerCp, "-cp", cp, "io.casewatch.Main", "demo", "--duration", "40", "--speed", "7200",
                "--log", log.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("demo stops by itself after --duration").isTrue();
        } finally {
            p.destroyForcibly();
        }
        List<String> console = Files.readAllLines(out, StandardCharsets.UTF_8);

        assertThat(p.exitValue()).isZero();
        assertThat(console.get(0)).startsWith("live page: http://127.0.0.1:").contains("/#token=");
        assertThat(console).anyMatch(l -> l.contains("| ALERT "));
        assertThat(console).as("the simulated teams acknowledge").anyMatch(l -> l.contains("| acked "));
        assertThat(console).noneMatch(l -> l.contains(" WARN ") || l.contains(" INFO ") || l.contains("org.apache.kafka"));
        assertThat(Files.readString(err)).as("nothing but the story on the console").isBlank();
        assertThat(Files.readString(log)).contains("org.apache.kafka");
    }
}
