package io.casewatch.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker key store holding a self-signed certificate for 127.0.0.1 (no CA) and a trust store holding that
 * certificate, made with the JDK's own {@code keytool} as an operator would. The store password reaches keytool
 * through its environment ({@code -storepass:env}), never its command line.
 */
record SelfSignedTls(Path keyStore, Path trustStore, String password) {
    private static final String PASSWORD_ENV = "CASEWATCH_TEST_STOREPASS";

    static SelfSignedTls generate(Path dir, String password) throws IOException, InterruptedException {
        Path keyStore = dir.resolve("broker.p12");
        Path cert = dir.resolve("broker.pem");
        Path trustStore = dir.resolve("truststore.p12");
        // SAN ip:127.0.0.1: clients keep hostname verification (ssl.endpoint.identification.algorithm=https) on.
        keytool(password, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass:env", PASSWORD_ENV, "-keypass:env", PASSWORD_ENV);
        keytool(password, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass:env", PASSWORD_ENV, "-file", cert.toString());
        keytool(password, "-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-keystore", trustStore.toString(),
                "-storetype", "PKCS12", "-storepass:env", PASSWORD_ENV);
        return new SelfSignedTls(keyStore, trustStore, password);
    }

    private static void keytool(String password, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(PASSWORD_ENV, password);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
