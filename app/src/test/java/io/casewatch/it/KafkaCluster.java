package io.casewatch.it;

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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.Uuid;

import io.casewatch.app.TopicProvisioner;

/**
 * A real three-node KRaft cluster for the fault tests (issue 18): each node is broker and controller (a static
 * three-voter controller quorum) and runs in its <em>own JVM</em> as production runs Kafka ({@code kafka.Kafka
 * server.properties}, from Maven Central's {@code kafka_2.13}), so that a test can SIGKILL one and nothing of it
 * survives. All listeners bind 127.0.0.1. Replication factor 3 and {@code min.insync.replicas=2} for every topic,
 * casewatch's and Kafka's own (offsets, transaction state): losing one node loses nothing and stops nothing.
 *
 * <p>A node's session with the controller quorum is short ({@code broker.session.timeout.ms} 4 s) so that a
 * killed leader is fenced and its partitions move within seconds rather than the default 9.
 */
final class KafkaCluster implements AutoCloseable {

    static final int NODES = 3;

    private final Path dir;
    private final int[] brokerPorts = new int[NODES];
    private final int[] controllerPorts = new int[NODES];
    private final Process[] processes = new Process[NODES];
    private final String bootstrapServers;

    private KafkaCluster(Path dir) throws IOException {
        this.dir = dir;
        for (int i = 0; i < NODES; i++) {
            brokerPorts[i] = freePort();
            controllerPorts[i] = freePort();
        }
        bootstrapServers = java.util.stream.IntStream.of(brokerPorts).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        // The nodes are child processes: if the test JVM is stopped (a build timeout, Ctrl-C), they must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : processes) {
                if (p != null) {
                    p.destroyForcibly();
                }
            }
        }, "kafka-cluster-reaper"));
    }

    /**
     * Formats three nodes' storage, starts them and waits until all three brokers are registered. The ports are
     * chosen free but released before the nodes bind them, and a client's outgoing connection can take one in
     * between (they share the ephemeral range): a node that exits while starting is reported with its log's tail and
     * the cluster is started again on fresh ports, twice at most.
     */
    static KafkaCluster start() throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce();
            } catch (NodeExited e) {
                if (attempt == 3) {
                    throw e;
                }
                System.err.println("fault IT: cluster start " + attempt + " failed, starting again on fresh ports: " + e.getMessage());
            }
        }
    }

    /** A node that exited by itself while the cluster was starting or waiting for it. */
    static final class NodeExited extends IllegalStateException {
        NodeExited(String message) {
            super(message);
        }
    }

    private static KafkaCluster startOnce() throws Exception {
        KafkaCluster c = new KafkaCluster(Files.createTempDirectory("casewatch-cluster-"));
        try {
            String clusterId = Uuid.randomUuid().toString();
            for (int n = 1; n <= NODES; n++) {
                Path cfg = c.writeConfig(n);
                format(cfg, clusterId);
            }
            for (int n = 1; n <= NODES; n++) {
                c.launch(n);
            }
            c.awaitBrokers(NODES, Duration.ofSeconds(120));
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    /**
     * Casewatch's topics on the cluster: replication 3 (min ISR 2 is the cluster default). A broker that has just
     * registered may still be fenced for a moment, and a topic of replication 3 cannot be placed until all three are
     * unfenced: the creation is retried until it succeeds.
     */
    static KafkaCluster withTopics(int partitions) throws Exception {
        KafkaCluster c = start();
        try (Admin admin = c.admin()) {
            Exception[] last = {null};
            ItSupport.await(Duration.ofSeconds(90), () -> "casewatch's topics created: " + last[0], () -> {
                try {
                    TopicProvisioner.ensure(admin, ItSupport.TOPICS, partitions, (short) 3, "-1");
                    return true;
                } catch (Exception e) {
                    last[0] = e;
                    return false;
                }
            });
            ItSupport.awaitLeaders(admin, partitions);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    private Path writeConfig(int node) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(node));
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < NODES; i++) {
            voters.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(controllerPorts[i]);
        }
        p.put("controller.quorum.voters", voters.toString());
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[node - 1] + ",CONTROLLER://127.0.0.1:" + controllerPorts[node - 1]);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[node - 1]);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.resolve("node-" + node).toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "3");
        p.put("min.insync.replicas", "2");
        p.put("offsets.topic.replication.factor", "3");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "3");
        p.put("transaction.state.log.min.isr", "2");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "3");
        p.put("share.coordinator.state.topic.min.isr", "2");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.retention.ms", "-1");
        p.put("auto.create.topics.enable", "false");
        p.put("unclean.leader.election.enable", "false");
        // A SIGKILLed node is fenced by the quorum after this, and its partitions' leadership moves.
        p.put("broker.session.timeout.ms", "4000");
        p.put("broker.heartbeat.interval.ms", "1000");
        // A follower that stops fetching (killed) leaves the ISR after this: min ISR 2 of 3 keeps producing meanwhile.
        p.put("replica.lag.time.max.ms", "10000");
        // Transactions of killed producers are looked for every second (default 10 s), so their abort is prompt.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        Properties props = new Properties();
        props.putAll(p);
        Path cfg = dir.resolve("node-" + node + ".properties");
        try (OutputStream out = Files.newOutputStream(cfg)) {
            props.store(out, "casewatch fault-test cluster node " + node);
        }
        return cfg;
    }

    private static void format(Path cfg, String clusterId) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", cfg.toString()},
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting " + cfg + " failed: " + buf.toString(StandardCharsets.UTF_8));
        }
    }

    private void launch(int node) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The test's own classpath holds kafka_2.13 and its dependencies (the local-broker module).
        List<String> cmd = List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "kafka.Kafka",
                dir.resolve("node-" + node + ".properties").toString());
        processes[node - 1] = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node-" + node + ".log").toFile())).start();
    }

    /** SIGKILL of node {@code node} (1-3): no shutdown, no flush; its data folder stays for {@link #restart}. */
    void kill(int node) throws InterruptedException {
        Process p = processes[node - 1];
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + node + " survived SIGKILL");
        }
    }

    /** Starts a killed node again on its data and ports, and waits until all three brokers are registered. */
    void restart(int node) throws Exception {
        if (processes[node - 1].isAlive()) {
            throw new IllegalStateException("node " + node + " is running");
        }
        launch(node);
        awaitBrokers(NODES, Duration.ofSeconds(120));
    }

    boolean alive(int node) {
        return processes[node - 1].isAlive();
    }

    /**
     * The node that leads the most of these topics' partitions (a tie goes to the lowest id): the one whose loss
     * moves the most leadership.
     */
    int busiestLeader(Collection<String> topics) throws Exception {
        Map<Integer, Integer> led = new HashMap<>();
        try (Admin admin = admin()) {
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    if (p.leader() != null) {
                        led.merge(p.leader().id(), 1, Integer::sum);
                    }
                }
            }
        }
        return led.entrySet().stream().sorted((a, b) -> a.getValue().equals(b.getValue()) ? Integer.compare(a.getKey(), b.getKey())
                : Integer.compare(b.getValue(), a.getValue())).findFirst().orElseThrow().getKey();
    }

    /**
     * Makes {@code node} the leader of every partition of these topics: each replica list is reordered with
     * {@code node} first (the same replicas, so nothing moves), then a preferred-leader election is run. Returns
     * once {@code node} leads them all.
     */
    void makeLeader(int node, Collection<String> topics) throws Exception {
        try (Admin admin = admin()) {
            Map<org.apache.kafka.common.TopicPartition, java.util.Optional<org.apache.kafka.clients.admin.NewPartitionReassignment>> moves =
                    new HashMap<>();
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    List<Integer> replicas = new ArrayList<>();
                    replicas.add(node);
                    p.replicas().stream().map(r -> r.id()).filter(id -> id != node).forEach(replicas::add);
                    moves.put(new org.apache.kafka.common.TopicPartition(d.name(), p.partition()),
                            java.util.Optional.of(new org.apache.kafka.clients.admin.NewPartitionReassignment(replicas)));
                }
            }
            admin.alterPartitionReassignments(moves).all().get();
            ItSupport.await(Duration.ofSeconds(60), () -> "reassignments done", () -> {
                try {
                    return admin.listPartitionReassignments().reassignments().get().isEmpty();
                } catch (Exception e) {
                    return false;
                }
            });
            ItSupport.await(Duration.ofSeconds(60), () -> "node " + node + " leads " + topics, () -> {
                try {
                    admin.electLeaders(org.apache.kafka.common.ElectionType.PREFERRED, moves.keySet()).partitions().get();
                } catch (Exception e) {
                    // ELECTION_NOT_NEEDED for partitions it already leads: look at the leaders instead.
                }
                try {
                    Map<Integer, Integer> led = leaders(topics);
                    return led.size() == 1 && led.containsKey(node);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    /**
     * Moves every partition of {@code topic} onto {@code node} alone (replication 1, min ISR 1), so that stopping
     * that node makes the one topic unavailable while the rest of the cluster keeps serving.
     */
    void confine(int node, String topic) throws Exception {
        try (Admin admin = admin()) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(r, List.of(new AlterConfigOp(new ConfigEntry("min.insync.replicas", "1"),
                    AlterConfigOp.OpType.SET)))).all().get();
            Map<org.apache.kafka.common.TopicPartition, java.util.Optional<org.apache.kafka.clients.admin.NewPartitionReassignment>> moves =
                    new HashMap<>();
            for (TopicPartitionInfo p : admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
                moves.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                        java.util.Optional.of(new org.apache.kafka.clients.admin.NewPartitionReassignment(List.of(node))));
            }
            admin.alterPartitionReassignments(moves).all().get();
            ItSupport.await(Duration.ofSeconds(60), () -> topic + " on node " + node + " alone", () -> {
                try {
                    return admin.listPartitionReassignments().reassignments().get().isEmpty()
                            && admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                                    .allMatch(p -> p.replicas().size() == 1 && p.replicas().get(0).id() == node
                                            && p.leader() != null && p.leader().id() == node);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    /** Per node, how many of these topics' partitions it leads. */
    Map<Integer, Integer> leaders(Collection<String> topics) throws Exception {
        Map<Integer, Integer> led = new java.util.TreeMap<>();
        try (Admin admin = admin()) {
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    led.merge(p.leader() == null ? -1 : p.leader().id(), 1, Integer::sum);
                }
            }
        }
        return led;
    }

    /** True when every partition of these topics has all three replicas in sync. */
    boolean fullyReplicated(Collection<String> topics) {
        try (Admin admin = admin()) {
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    if (p.isr().size() < NODES || p.leader() == null) {
                        return false;
                    }
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    List<String> topicNames() throws Exception {
        try (Admin admin = admin()) {
            return new ArrayList<>(admin.listTopics().names().get());
        }
    }

    private void awaitBrokers(int n, Duration max) {
        ItSupport.await(max, () -> n + " brokers registered (logs in " + dir + ")", () -> {
            for (int i = 0; i < NODES; i++) {
                if (processes[i] != null && !processes[i].isAlive() && processes[i].exitValue() != 137 && processes[i].exitValue() != 9) {
                    throw new NodeExited("node " + (i + 1) + " exited " + processes[i].exitValue() + "; its log ends:\n" + logTail(i + 1));
                }
            }
            try (Admin admin = admin()) {
                return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= n;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Override
    public void close() {
        for (Process p : processes) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                try {
                    p.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (!Boolean.getBoolean("casewatch.keep.cluster")) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The last lines of a node's log, as the cluster folder is deleted when it closes. */
    private String logTail(int node) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("node-" + node + ".log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
