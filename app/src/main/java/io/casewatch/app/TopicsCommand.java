package io.casewatch.app;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.streams.StreamsConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.casewatch.topology.Topics;

/**
 * {@code casewatch topics}: creates every casewatch topic with the right partitions, replication, compaction and
 * retention, or with {@code --check} only reports what differs (exit code 1 when anything does). Idempotent. Also
 * prints, or writes, the ACLs the application's principal needs.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create or check casewatch's topics (partitions, replication, compaction, retention) and print (or apply) the ACLs it needs.")
public final class TopicsCommand implements Callable<Integer> {

    @Option(names = "--check", description = "Change nothing; report every difference and exit 1 if there is one.")
    boolean check;

    @Mixin
    TopicLayoutOptions layout = new TopicLayoutOptions();

    @Option(names = "--principal", defaultValue = "User:casewatch", description = "The application's principal, for the ACLs.")
    String principal;

    @Option(names = "--notify-principal", description = "Also print (and with --apply-acls create) the ACLs of casewatch notify's principal, e.g. User:casewatch-notify.")
    String notifyPrincipal;

    @Option(names = "--acls-out", description = "Write the ACL commands to this file instead of printing them.")
    Path aclsOut;

    @Option(names = "--apply-acls", description = "Also create the ACLs for --principal (needs a principal allowed to alter ACLs).")
    boolean applyAcls;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Mixin
    BootstrapOption bootstrap = new BootstrapOption();

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = config.flags();
        bootstrap.putInto(flags);
        AppConfig cfg = config.load(System.getenv(), flags);
        Properties streams = Pipeline.streamsProperties(cfg);
        Topics topics = Pipeline.settings(cfg).topics();
        List<TopicProvisioner.TopicSpec> specs = TopicProvisioner.specs(topics, layout.partitions, layout.replication, layout.historyRetention);
        String applicationId = streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        List<String> problems;
        try (Admin admin = Admin.create(adminProperties(streams))) {
            // An unreachable cluster or a refused login is one line naming what to check, not a client's stack trace.
            ClusterReachability.await(admin, streams.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
                    streams.getProperty("security.protocol", "PLAINTEXT"), cfg.duration(AppConfig.STARTUP_TIMEOUT, Pipeline.DEFAULT_STARTUP_TIMEOUT),
                    applicationId);
            if (!check) {
                TopicProvisioner.apply(admin, specs).forEach(out::println);
            }
            problems = TopicProvisioner.check(admin, specs);
            if (applyAcls && !check) {
                // Creating an ACL that exists changes nothing: idempotent like the rest of the command.
                List<AclBinding> bindings = TopicProvisioner.aclBindings(topics, principal, applicationId);
                admin.createAcls(bindings).all().get();
                out.println("applied " + bindings.size() + " ACLs for " + principal);
                if (notifyPrincipal != null) {
                    List<AclBinding> n = TopicProvisioner.notifyAclBindings(topics, notifyPrincipal, NotifyCommand.settings(cfg, false).group());
                    admin.createAcls(n).all().get();
                    out.println("applied " + n.size() + " ACLs for " + notifyPrincipal);
                }
            }
        }
        if (problems.isEmpty()) {
            out.println("all " + specs.size() + " topics are as expected");
        } else {
            problems.forEach(p -> out.println("PROBLEM " + p));
        }
        List<String> acls = new ArrayList<>(TopicProvisioner.acls(topics, principal, applicationId));
        if (notifyPrincipal != null) {
            acls.add("# casewatch notify:");
            acls.addAll(TopicProvisioner.acls(TopicProvisioner.notifyAclBindings(topics, notifyPrincipal,
                    NotifyCommand.settings(cfg, false).group()), notifyPrincipal));
        }
        if (aclsOut != null) {
            Files.write(aclsOut, acls, StandardCharsets.UTF_8);
            out.println("ACLs for " + principal + " written to " + aclsOut);
        } else {
            out.println("# ACLs for " + principal + " (docs/operations.md):");
            acls.forEach(out::println);
        }
        return problems.isEmpty() ? 0 : 1;
    }

    /**
     * The admin client gets the bootstrap, the security settings and the config providers (secrets by reference) of
     * the configuration, nothing else.
     */
    private static Properties adminProperties(Properties streams) {
        Properties p = new Properties();
        streams.forEach((k, v) -> {
            String key = k.toString();
            String bare = key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX) ? key.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()) : key;
            if (Pipeline.isClientSetting(bare) && (AdminClientConfig.configNames().contains(bare) || bare.startsWith("config.providers."))) {
                p.put(bare, v);
            }
        });
        return p;
    }
}
