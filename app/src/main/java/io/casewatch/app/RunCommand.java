package io.casewatch.app;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code casewatch run}: the pipeline against a Kafka cluster, exactly-once v2 by default. Exits 1 with one ERROR line
 * saying why when the instance cannot run (an unreachable cluster, a missing ACL, a refused login, a stream thread that
 * died), and 2 with one line for a configuration error ({@link io.casewatch.Main#commandLine}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run casewatch against a Kafka cluster.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--policies", description = "Policy file (JSON); the shipped presets apply without it.")
    Path policies;

    @Option(names = "--create-topics", description = "Create missing topics first (with --partitions, --replication).")
    boolean createTopics;

    @Option(names = "--partitions", defaultValue = "6")
    int partitions;

    @Option(names = "--replication", defaultValue = "3")
    short replication;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Mixin
    BootstrapOption bootstrap = new BootstrapOption();

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = config.flags();
        bootstrap.putInto(flags);
        if (policies != null) {
            flags.put(AppConfig.POLICIES_FILE, policies.toString());
        }
        AppConfig cfg = config.load(System.getenv(), flags);
        if (createTopics) {
            Properties props = Pipeline.streamsProperties(cfg);
            try (Admin admin = Admin.create(Pipeline.clientProperties(props))) {
                ClusterReachability.await(admin, props.getProperty("bootstrap.servers"), props.getProperty("security.protocol", "PLAINTEXT"),
                        cfg.duration(AppConfig.STARTUP_TIMEOUT, Pipeline.DEFAULT_STARTUP_TIMEOUT), props.getProperty("application.id"));
                TopicProvisioner.ensure(admin, Pipeline.settings(cfg).topics(), partitions, replication, "-1").forEach(log()::info);
            }
        }
        Pipeline pipeline;
        try {
            // 8080 unless casewatch.http.port says otherwise (the library default is a free port, for tests and the demo).
            pipeline = Pipeline.start(cfg, Clock.systemUTC(), 8080);
        } catch (PipelineFailure e) {
            log().error(e.getMessage());
            return 1;
        }
        CompletableFuture<PipelineFailure> stopped = new CompletableFuture<>();
        Thread hook = new Thread(() -> {
            pipeline.close();
            stopped.complete(null);
        }, "casewatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // Until asked to stop, or until the instance cannot go on: then exit non-zero with the reason, rather than
        // idle with a dead stream thread (an orchestrator restarts the process; an operator reads one line).
        PipelineFailure failed = stopped.applyToEither(pipeline.failure(), f -> f).join();
        if (failed == null) {
            return 0;
        }
        log().error(failed.getMessage());
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return 1; // the hook is closing the pipeline already
        }
        pipeline.close();
        return 1;
    }

    /**
     * Not a static field: picocli creates every command when the command line is built, and a logger made then
     * would fix slf4j-simple's configuration before {@code demo} can send the log lines to a file.
     */
    private static Logger log() {
        return LoggerFactory.getLogger(RunCommand.class);
    }
}
