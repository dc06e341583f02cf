package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.casewatch.ops.HttpSettings;

class HttpSettingsConfigTest {

    @Test
    void defaultsBindLoopbackWithoutTokenOnTheCallersDefaultPort() {
        HttpSettings s = Pipeline.httpSettings(AppConfig.load(null, Map.of(), Map.of()), 8080);
        assertThat(s.bind()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.token()).isNull();
    }

    @Test
    void tokenFromEnvironmentOrFileNeverBothAndNeverShort() throws Exception {
        HttpSettings env = Pipeline.httpSettings(AppConfig.load(null, Map.of("CASEWATCH_HTTP_TOKEN", "0123456789abcdef"),
                Map.of("casewatch.http.port", "0")), 8080);
        assertThat(env.token()).isEqualTo("0123456789abcdef");
        assertThat(env.port()).isZero();
        assertThat(env.toString()).doesNotContain("0123456789abcdef");

        Path file = Files.createTempFile("token", ".txt");
        Files.writeString(file, "fedcba9876543210fedcba\n");
        assertThat(Pipeline.httpSettings(AppConfig.load(null, Map.of(), Map.of(AppConfig.HTTP_TOKEN_FILE, file.toString())), 0).token())
                .isEqualTo("fedcba9876543210fedcba");

        assertThatThrownBy(() -> Pipeline.httpSettings(AppConfig.load(null, Map.of(),
                Map.of(AppConfig.HTTP_TOKEN_FILE, file.toString(), AppConfig.HTTP_TOKEN, "0123456789abcdef")), 0))
                .hasMessageContaining("both");
        assertThatThrownBy(() -> Pipeline.httpSettings(AppConfig.load(null, Map.of(), Map.of(AppConfig.HTTP_TOKEN, "CHANGE-ME")), 0))
                .hasMessageContaining("at least 16");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of(), Map.of("casewatch.http.tokn", "x"))).hasMessageContaining("casewatch.http.tokn");
    }

    @Test
    void launcherVariablesAreNotConfigurationKeys() {
        AppConfig config = AppConfig.load(null, Map.of("CASEWATCH_JAVA_OPTS", "-Xmx4g", "CASEWATCH_REBUILD", "1",
                "CASEWATCH_HTTP_PORT", "9"), Map.of());
        assertThat(Pipeline.httpSettings(config, 8080).port()).isEqualTo(9);
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("CASEWATCH_JAVA_OPTZ", "-Xmx4g"), Map.of()))
                .hasMessageContaining("casewatch.java.optz");
    }
}
