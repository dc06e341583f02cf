package io.casewatch.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import io.casewatch.topology.Topics;

/**
 * Creates casewatch's topics where missing and checks the ones that exist (idempotent). Inputs and the ticks topic
 * share one partition count, because a task reads the same partition of each; the status topic is compacted.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /**
     * @param historyRetention retention for topics that carry event history: "-1" keeps everything (generated data
     *                         with old timestamps would otherwise be deleted within minutes)
     * @return a line per topic saying what was done
     */
    public static List<String> ensure(Admin admin, Topics topics, int partitions, short replication, String historyRetention)
            throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> create = new ArrayList<>();
        List<String> report = new ArrayList<>();
        List<String> copartitioned = topics.inputNames();
        for (String name : copartitioned) {
            Map<String, String> cfg = new HashMap<>();
            cfg.put(TopicConfig.RETENTION_MS_CONFIG, name.equals(topics.ticks().name()) ? "3600000" : historyRetention);
            plan(name, partitions, replication, cfg, existing, create, report);
        }
        for (String name : topics.outputNames()) {
            Map<String, String> cfg = new HashMap<>();
            if (topics.compactedNames().contains(name)) {
                cfg.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            } else {
                cfg.put(TopicConfig.RETENTION_MS_CONFIG, historyRetention);
            }
            plan(name, partitions, replication, cfg, existing, create, report);
        }
        for (String name : topics.internalNames()) {
            plan(name, partitions, replication, new HashMap<>(internalConfigs()), existing, create, report);
        }
        if (!create.isEmpty()) {
            admin.createTopics(create).all().get();
        }
        Map<String, TopicDescription> described = describeOnceKnown(admin, copartitioned);
        int expected = described.get(topics.complaints().name()).partitions().size();
        for (String name : copartitioned) {
            int n = described.get(name).partitions().size();
            if (n != expected) {
                throw new IllegalStateException("topic " + name + " has " + n + " partitions but " + topics.complaints().name()
                        + " has " + expected + ": inputs and ticks must be co-partitioned");
            }
        }
        return report;
    }

    /**
     * Describes topics that may have just been created: a broker answers "unknown topic" until the creation has
     * reached its metadata cache (seen in CI on a freshly started broker), so that answer is retried for a while.
     */
    private static Map<String, TopicDescription> describeOnceKnown(Admin admin, List<String> names)
            throws ExecutionException, InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > giveUp) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** What a topic should look like. */
    public record TopicSpec(String name, int partitions, short replication, Map<String, String> configs) {
    }

    /** Every topic of {@code topics} with its partitions, replication and the configs casewatch relies on. */
    public static List<TopicSpec> specs(Topics topics, int partitions, short replication, String historyRetention) {
        List<TopicSpec> out = new ArrayList<>();
        for (String name : topics.inputNames()) {
            // Heartbeats are only useful for a moment; an hour covers any restart.
            out.add(new TopicSpec(name, partitions, replication, Map.of(TopicConfig.RETENTION_MS_CONFIG,
                    name.equals(topics.ticks().name()) ? "3600000" : historyRetention)));
        }
        for (String name : topics.outputNames()) {
            out.add(new TopicSpec(name, partitions, replication, topics.compactedNames().contains(name)
                    ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                    : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE, TopicConfig.RETENTION_MS_CONFIG, historyRetention)));
        }
        for (String name : topics.internalNames()) {
            out.add(new TopicSpec(name, partitions, replication, internalConfigs()));
        }
        return out;
    }

    /**
     * casewatch's own merchant-facts topic: read soon after it is written, so a week of retention is plenty, counted
     * from when the broker appended each record (facts carry event times, which may be months old in a backlog).
     */
    static Map<String, String> internalConfigs() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis()),
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
    }

    /**
     * Compares the cluster with {@link #specs}: missing topics, wrong partition counts or replication, and configs
     * that differ. Changes nothing.
     *
     * @return one line per problem; empty when every topic is right
     */
    public static List<String> check(Admin admin, List<TopicSpec> specs) throws ExecutionException, InterruptedException {
        List<String> problems = new ArrayList<>();
        Set<String> existing = admin.listTopics().names().get();
        List<String> present = specs.stream().map(TopicSpec::name).filter(existing::contains).toList();
        Map<String, TopicDescription> described = admin.describeTopics(present).allTopicNames().get();
        Map<ConfigResource, Config> configs = admin.describeConfigs(present.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get();
        for (TopicSpec spec : specs) {
            if (!existing.contains(spec.name())) {
                problems.add(spec.name() + ": missing");
                continue;
            }
            TopicDescription d = described.get(spec.name());
            if (d.partitions().size() != spec.partitions()) {
                problems.add(spec.name() + ": " + d.partitions().size() + " partitions, expected " + spec.partitions()
                        + " (partitions cannot be changed safely: keys would move; recreate or pass --partitions)");
            }
            int rf = d.partitions().get(0).replicas().size();
            if (rf != spec.replication()) {
                problems.add(spec.name() + ": replication " + rf + ", expected " + spec.replication());
            }
            Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            spec.configs().forEach((k, v) -> {
                ConfigEntry e = c.get(k);
                String actual = e == null ? null : e.value();
                if (!v.equals(actual)) {
                    problems.add(spec.name() + ": " + k + "=" + actual + ", expected " + v);
                }
            });
        }
        return problems;
    }

    /**
     * Creates missing topics and sets the configs of existing ones to their specs (idempotent). Partition counts and
     * replication of existing topics are left alone: {@link #check} reports them.
     *
     * @return a line per change made
     */
    public static List<String> apply(Admin admin, List<TopicSpec> specs) throws ExecutionException, InterruptedException {
        List<String> report = new ArrayList<>();
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> create = new ArrayList<>();
        for (TopicSpec spec : specs) {
            if (!existing.contains(spec.name())) {
                create.add(new NewTopic(spec.name(), spec.partitions(), spec.replication()).configs(spec.configs()));
                report.add("created " + spec.name() + " partitions=" + spec.partitions() + " replication=" + spec.replication() + " "
                        + new TreeMap<>(spec.configs()));
            }
        }
        if (!create.isEmpty()) {
            admin.createTopics(create).all().get();
        }
        List<String> present = specs.stream().map(TopicSpec::name).filter(existing::contains).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(present.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get();
        Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
        for (TopicSpec spec : specs) {
            if (!existing.contains(spec.name())) {
                continue;
            }
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
            spec.configs().forEach((k, v) -> {
                ConfigEntry e = configs.get(r).get(k);
                if (e == null || !v.equals(e.value())) {
                    alter.computeIfAbsent(r, x -> new ArrayList<>()).add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET));
                    report.add("set     " + spec.name() + " " + k + "=" + v + " (was " + (e == null ? null : e.value()) + ")");
                }
            });
        }
        if (!alter.isEmpty()) {
            admin.incrementalAlterConfigs(alter).all().get();
        }
        return report;
    }

    /**
     * The ACLs the application's principal needs, least privilege: read the inputs, write the outputs and the
     * heartbeats, own its internal topics (changelogs; prefix = application.id), its consumer group and its
     * transactional ids (exactly-once v2). Nothing on the cluster resource: producers with Write on a topic may be
     * idempotent (KIP-679) and casewatch creates no topics outside its prefix (SecureBrokerIT runs on exactly these).
     * The one source of {@link #acls} (printed by {@code casewatch topics}), of {@code topics --apply-acls} and of the
     * start-up check of {@link Pipeline}.
     */
    public static List<AclBinding> aclBindings(Topics topics, String principal, String applicationId) {
        List<AclBinding> out = new ArrayList<>();
        for (String t : List.of(topics.complaints().name(), topics.contacts().name(), topics.acks().name())) {
            allow(out, principal, new ResourcePattern(ResourceType.TOPIC, t, PatternType.LITERAL), AclOperation.READ, AclOperation.DESCRIBE);
        }
        allow(out, principal, new ResourcePattern(ResourceType.TOPIC, topics.ticks().name(), PatternType.LITERAL),
                AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
        for (String t : topics.outputNames()) {
            allow(out, principal, new ResourcePattern(ResourceType.TOPIC, t, PatternType.LITERAL), AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        for (String t : topics.internalNames()) {
            allow(out, principal, new ResourcePattern(ResourceType.TOPIC, t, PatternType.LITERAL),
                    AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        allow(out, principal, new ResourcePattern(ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED), AclOperation.ALL);
        allow(out, principal, new ResourcePattern(ResourceType.GROUP, applicationId, PatternType.LITERAL), AclOperation.READ, AclOperation.DESCRIBE);
        // Exactly-once v2 producers are "<application.id>-<process id>-<thread index>": the dash keeps another
        // application whose id merely starts with this one ("casewatch-replay") out.
        allow(out, principal, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, applicationId + "-", PatternType.PREFIXED),
                AclOperation.WRITE, AclOperation.DESCRIBE);
        return out;
    }

    /**
     * The ACLs of {@code casewatch notify}'s principal, least privilege: read the escalation topics with its own
     * consumer group, write dead letters. Nothing else: it neither reads the inputs nor writes alerts.
     */
    public static List<AclBinding> notifyAclBindings(Topics topics, String principal, String group) {
        List<AclBinding> out = new ArrayList<>();
        for (String t : List.of(topics.l1().name(), topics.l2().name(), topics.l3().name())) {
            allow(out, principal, new ResourcePattern(ResourceType.TOPIC, t, PatternType.LITERAL), AclOperation.READ, AclOperation.DESCRIBE);
        }
        allow(out, principal, new ResourcePattern(ResourceType.TOPIC, topics.deadLetters().name(), PatternType.LITERAL),
                AclOperation.WRITE, AclOperation.DESCRIBE);
        allow(out, principal, new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL), AclOperation.READ, AclOperation.DESCRIBE);
        return out;
    }

    private static void allow(List<AclBinding> out, String principal, ResourcePattern pattern, AclOperation... ops) {
        for (AclOperation op : ops) {
            out.add(new AclBinding(pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
        }
    }

    /** {@link #aclBindings} as {@code kafka-acls.sh} commands, one per resource. */
    public static List<String> acls(Topics topics, String principal, String applicationId) {
        return acls(aclBindings(topics, principal, applicationId), principal);
    }

    /** Bindings of one principal as {@code kafka-acls.sh} commands, one per resource. */
    public static List<String> acls(List<AclBinding> bindings, String principal) {
        String p = "kafka-acls.sh --bootstrap-server $BOOTSTRAP --command-config admin.properties --add --allow-principal " + principal;
        Map<ResourcePattern, List<AclOperation>> byResource = new LinkedHashMap<>();
        for (AclBinding b : bindings) {
            byResource.computeIfAbsent(b.pattern(), k -> new ArrayList<>()).add(b.entry().operation());
        }
        List<String> out = new ArrayList<>();
        byResource.forEach((r, ops) -> {
            StringBuilder line = new StringBuilder(p);
            ops.forEach(op -> line.append(" --operation ").append(operationName(op)));
            if (r.patternType() == PatternType.PREFIXED) {
                line.append(" --resource-pattern-type prefixed");
            }
            line.append(switch (r.resourceType()) {
                case TOPIC -> " --topic " + r.name();
                case GROUP -> " --group " + r.name();
                case TRANSACTIONAL_ID -> " --transactional-id " + r.name();
                case CLUSTER -> " --cluster";
                default -> throw new IllegalStateException("no kafka-acls.sh flag for " + r.resourceType());
            });
            out.add(line.toString());
        });
        return out;
    }

    /** kafka-acls.sh spells operations in camel case: IDEMPOTENT_WRITE is IdempotentWrite. */
    static String operationName(AclOperation op) {
        StringBuilder b = new StringBuilder();
        for (String part : op.name().split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    private static void plan(String name, int partitions, short replication, Map<String, String> cfg, Set<String> existing,
            List<NewTopic> create, List<String> report) {
        if (existing.contains(name)) {
            report.add("exists  " + name);
        } else {
            create.add(new NewTopic(name, partitions, replication).configs(cfg));
            report.add("created " + name + " partitions=" + partitions + " replication=" + replication + " " + cfg);
        }
    }
}
