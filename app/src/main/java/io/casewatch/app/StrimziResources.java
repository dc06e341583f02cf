package io.casewatch.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * casewatch's topics and principals as Strimzi declares them: a {@code KafkaTopic} per {@link TopicProvisioner#specs}
 * entry and a {@code KafkaUser} per principal with the ACLs of {@link TopicProvisioner#aclBindings} (the pipeline) and
 * {@link TopicProvisioner#notifyAclBindings} (notify). The same definitions as {@code casewatch topics}, so the
 * two ways of provisioning cannot drift (StrimziResourcesTest compares them and the checked-in files).
 */
public final class StrimziResources {
    static final String API_VERSION = "kafka.strimzi.io/v1beta2";
    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private StrimziResources() {
    }

    /** One {@code KafkaTopic} per topic; the resource name is the topic name made a DNS label (dots to dashes). */
    public static List<Map<String, Object>> topics(List<TopicProvisioner.TopicSpec> specs, String cluster) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TopicProvisioner.TopicSpec s : specs) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("topicName", s.name());
            spec.put("partitions", s.partitions());
            spec.put("replicas", (int) s.replication());
            spec.put("config", new TreeMap<>(s.configs()));
            out.add(resource("KafkaTopic", resourceName(s.name()), cluster, spec));
        }
        return out;
    }

    /** A {@code KafkaUser} with SCRAM-SHA-512 login and exactly these ACLs, grouped by resource. */
    public static Map<String, Object> user(String principal, List<AclBinding> bindings, String cluster) {
        if (!principal.startsWith("User:")) {
            throw new AppConfig.ConfigException("a Strimzi user's principal is User:<name>, not " + principal);
        }
        Map<ResourcePattern, List<String>> byResource = new LinkedHashMap<>();
        for (AclBinding b : bindings) {
            byResource.computeIfAbsent(b.pattern(), k -> new ArrayList<>()).add(TopicProvisioner.operationName(b.entry().operation()));
        }
        List<Map<String, Object>> acls = new ArrayList<>();
        byResource.forEach((r, ops) -> {
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("type", switch (r.resourceType()) {
                case TOPIC -> "topic";
                case GROUP -> "group";
                case TRANSACTIONAL_ID -> "transactionalId";
                case CLUSTER -> "cluster";
                default -> throw new IllegalStateException("no Strimzi ACL resource for " + r.resourceType());
            });
            resource.put("name", r.name());
            resource.put("patternType", r.patternType() == PatternType.PREFIXED ? "prefix" : "literal");
            Map<String, Object> acl = new LinkedHashMap<>();
            acl.put("resource", resource);
            acl.put("operations", ops);
            acl.put("host", "*");
            acls.add(acl);
        });
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("authentication", Map.of("type", "scram-sha-512"));
        Map<String, Object> authz = new LinkedHashMap<>();
        authz.put("type", "simple");
        authz.put("acls", acls);
        spec.put("authorization", authz);
        return resource("KafkaUser", principal.substring("User:".length()), cluster, spec);
    }

    static String resourceName(String topic) {
        return topic.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }

    private static Map<String, Object> resource(String kind, String name, String cluster, Map<String, Object> spec) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("apiVersion", API_VERSION);
        r.put("kind", kind);
        Map<String, Object> metadata = new LinkedHashMap<>(); // ordered: Map.of's order changes from one JVM to the next
        metadata.put("name", name);
        metadata.put("labels", Map.of("strimzi.io/cluster", cluster));
        r.put("metadata", metadata);
        r.put("spec", spec);
        return r;
    }

    /** Multi-document YAML, with a header saying where it comes from. */
    public static String yaml(String header, List<Map<String, Object>> resources) {
        StringBuilder b = new StringBuilder();
        header.lines().forEach(l -> b.append("# ").append(l).append('\n'));
        for (Map<String, Object> r : resources) {
            try {
                b.append("---\n").append(YAML.writeValueAsString(r));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.toString();
    }
}
