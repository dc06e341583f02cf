package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.casewatch.topology.Topics;

/**
 * The Strimzi resources under {@code deploy/kubernetes/strimzi} are what {@code casewatch strimzi} generates from the
 * definitions {@code casewatch topics} applies: the same topics with the same partitions, replication and configs,
 * and users with exactly the ACLs of {@link TopicProvisioner#aclBindings} and {@link TopicProvisioner#notifyAclBindings}.
 */
class StrimziResourcesTest {
    private static final Path DIR = Path.of("").toAbsolutePath().getParent().resolve("deploy/kubernetes/strimzi");
    private static final ObjectMapper YAML = new YAMLMapper();

    private static AppConfig cfg() {
        return AppConfig.load(null, Map.of(), Map.of("bootstrap.servers", "unused:9092"));
    }

    private static StrimziCommand.Generated generated() {
        return StrimziCommand.generate(cfg(), "kafka", 6, (short) 3, "-1", "User:casewatch", "User:casewatch-notify");
    }

    @Test
    void theCheckedInFilesAreTheGeneratorsOutput() throws Exception {
        StrimziCommand.Generated g = generated();
        assertThat(Files.readString(DIR.resolve("kafka-topics.yaml"))).as("regenerate: casewatch strimzi --out deploy/kubernetes/strimzi")
                .isEqualTo(g.topics());
        assertThat(Files.readString(DIR.resolve("kafka-users.yaml"))).as("regenerate: casewatch strimzi --out deploy/kubernetes/strimzi")
                .isEqualTo(g.users());
    }

    @Test
    void kafkaTopicsAreTheTopicsCommandsSpecs() throws Exception {
        List<JsonNode> docs = docs(generated().topics());
        Topics topics = Pipeline.settings(cfg()).topics();
        List<TopicProvisioner.TopicSpec> specs = TopicProvisioner.specs(topics, 6, (short) 3, "-1");
        assertThat(docs).hasSameSizeAs(specs);
        for (int i = 0; i < specs.size(); i++) {
            TopicProvisioner.TopicSpec s = specs.get(i);
            JsonNode d = docs.get(i);
            assertThat(d.path("kind").asText()).isEqualTo("KafkaTopic");
            assertThat(d.path("metadata").path("name").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            assertThat(d.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("kafka");
            assertThat(d.path("spec").path("topicName").asText()).isEqualTo(s.name());
            assertThat(d.path("spec").path("partitions").asInt()).isEqualTo(s.partitions());
            assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(s.replication());
            Map<String, String> config = new java.util.TreeMap<>();
            d.path("spec").path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            assertThat(config).isEqualTo(new java.util.TreeMap<>(s.configs()));
        }
    }

    @Test
    void kafkaUsersCarryExactlyTheLeastPrivilegeAcls() throws Exception {
        List<JsonNode> users = docs(generated().users());
        Topics topics = Pipeline.settings(cfg()).topics();
        assertThat(users).extracting(u -> u.path("metadata").path("name").asText()).containsExactly("casewatch", "casewatch-notify");
        assertThat(acls(users.get(0))).isEqualTo(acls(TopicProvisioner.aclBindings(topics, "User:casewatch", "casewatch")));
        assertThat(acls(users.get(1))).isEqualTo(acls(TopicProvisioner.notifyAclBindings(topics, "User:casewatch-notify", "casewatch-notify")));
        // notify reads alerts and writes dead letters, nothing else.
        assertThat(acls(users.get(1))).containsExactlyInAnyOrder("topic:literal:escalations.l1.v1:Read", "topic:literal:escalations.l1.v1:Describe",
                "topic:literal:escalations.l2.v1:Read", "topic:literal:escalations.l2.v1:Describe", "topic:literal:escalations.l3.v1:Read",
                "topic:literal:escalations.l3.v1:Describe", "topic:literal:casewatch.dlq.v1:Write", "topic:literal:casewatch.dlq.v1:Describe",
                "group:literal:casewatch-notify:Read", "group:literal:casewatch-notify:Describe");
        assertThat(users.get(0).path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
    }

    private static Set<String> acls(JsonNode user) {
        Set<String> out = new HashSet<>();
        for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
            JsonNode r = acl.path("resource");
            assertThat(acl.path("host").asText()).isEqualTo("*");
            acl.path("operations").forEach(op -> out.add(r.path("type").asText() + ":" + r.path("patternType").asText() + ":"
                    + r.path("name").asText() + ":" + op.asText()));
        }
        return out;
    }

    private static Set<String> acls(List<AclBinding> bindings) {
        Set<String> out = new HashSet<>();
        for (AclBinding b : bindings) {
            String type = switch (b.pattern().resourceType()) {
                case TOPIC -> "topic";
                case GROUP -> "group";
                case TRANSACTIONAL_ID -> "transactionalId";
                default -> b.pattern().resourceType().name();
            };
            String pattern = b.pattern().patternType() == org.apache.kafka.common.resource.PatternType.PREFIXED ? "prefix" : "literal";
            out.add(type + ":" + pattern + ":" + b.pattern().name() + ":" + TopicProvisioner.operationName(b.entry().operation()));
        }
        return out;
    }

    private static List<JsonNode> docs(String yaml) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isEmpty()) {
                    out.add(d);
                }
            }
        }
        return out;
    }
}
