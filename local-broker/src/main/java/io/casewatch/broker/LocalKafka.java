package io.casewatch.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft combined mode (one server is broker and controller), from Maven
 * Central's {@code kafka_2.13}: the storage is formatted with {@code StorageTool} (standalone, latest production
 * metadata version) and {@code KafkaRaftServer} runs in this JVM. Both listeners bind 127.0.0.1 only.
 *
 * <p>Settings are those of a single-node development cluster: replication factor 1 for internal topics and no
 * time-based retention, because generated history carries old timestamps that retention would delete. The
 * data folder survives {@link #stop()} so that a test can {@link #restart()} the same broker.
 *
 * <p>{@link #start(Secured)} replaces the PLAINTEXT client listener by a secured one (SASL_SSL, SSL, ...), which is
 * then also the inter-broker listener; the controller listener stays PLAINTEXT on 127.0.0.1.
 */
public final class LocalKafka implements AutoCloseable {

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Properties props;
    private final String bootstrapServers;
    private final Map<String, String> clientSecurity;
    private KafkaRaftServer server;

    private LocalKafka(Path dataDir, boolean ownsDataDir, Properties props, String bootstrapServers, Map<String, String> clientSecurity) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.props = props;
        this.bootstrapServers = bootstrapServers;
        this.clientSecurity = Map.copyOf(clientSecurity);
    }

    /**
     * A secured client listener.
     *
     * @param protocol       the listener's security protocol and name, e.g. {@code SASL_SSL}
     * @param overrides      broker settings on top of the defaults: TLS key and trust stores, SASL mechanisms and
     *                       JAAS configs, authorizer, super users
     * @param formatArgs     extra {@code StorageTool format} arguments, e.g. {@code --add-scram} for the users that
     *                       must exist before the broker starts (the inter-broker principal)
     * @param clientSecurity the client settings (besides {@code bootstrap.servers}) of a super user: the start-up
     *                       wait connects with them
     */
    public record Secured(String protocol, Map<String, String> overrides, List<String> formatArgs, Map<String, String> clientSecurity) {
        public Secured {
            overrides = Map.copyOf(overrides);
            formatArgs = List.copyOf(formatArgs);
            clientSecurity = Map.copyOf(clientSecurity);
        }
    }

    public static LocalKafka start() {
        return start(Map.of());
    }

    /** Formats a fresh temporary data folder and starts a broker with these settings on top of the defaults. */
    public static LocalKafka start(Map<String, String> overrides) {
        return start(new Secured("PLAINTEXT", overrides, List.of(), Map.of()));
    }

    /** Formats a fresh temporary data folder and starts a broker whose client listener is {@code secured}. */
    public static LocalKafka start(Secured secured) {
        try {
            Path dir = Files.createTempDirectory("casewatch-kafka-");
            int brokerPort = freePort();
            int controllerPort = freePort();
            Properties props = new Properties();
            props.putAll(defaults(dir, brokerPort, controllerPort));
            if (!secured.protocol().equals("PLAINTEXT")) {
                String l = secured.protocol();
                props.put("listeners", l + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
                props.put("advertised.listeners", l + "://127.0.0.1:" + brokerPort);
                props.put("listener.security.protocol.map", l + ":" + l + ",CONTROLLER:PLAINTEXT");
                props.put("inter.broker.listener.name", l);
            }
            props.putAll(secured.overrides());
            Path configFile = dir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                props.store(out, "casewatch local broker");
            }
            format(configFile, secured.formatArgs());
            LocalKafka kafka = new LocalKafka(dir, true, props, "127.0.0.1:" + brokerPort, secured.clientSecurity());
            kafka.startServer();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> defaults(Path dir, int brokerPort, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("log.dirs", dir.resolve("logs").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.retention.ms", "-1");
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    private static void format(Path configFile, List<String> extraArgs) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString()));
        args.addAll(extraArgs);
        int rc = StorageTool.execute(args.toArray(String[]::new), new PrintStream(buf, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting the broker storage failed: " + buf.toString(StandardCharsets.UTF_8));
        }
    }

    private void startServer() {
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        awaitReady(Duration.ofSeconds(60));
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            Map<String, Object> client = new LinkedHashMap<>(clientSecurity);
            client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            client.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
            client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            try (Admin admin = Admin.create(client)) {
                if (!admin.describeCluster().nodes().get().isEmpty()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            } catch (Exception e) {
                last = new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("broker at " + bootstrapServers + " not ready within " + timeout, last);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The client settings besides {@code bootstrap.servers} that the start-up wait used (empty for PLAINTEXT). */
    public Map<String, String> clientSecurity() {
        return clientSecurity;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server, keeping its data and ports, so that {@link #restart()} brings the same broker back. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    public synchronized void restart() {
        stop();
        startServer();
    }

    @Override
    public synchronized void close() {
        stop();
        if (ownsDataDir) {
            deleteRecursively(dataDir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Leftovers in the temp folder are harmless once the broker is closed.
        }
    }
}
