package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import io.casewatch.topology.Topics;

/**
 * The security settings that need no broker: the ACL commands `casewatch topics` prints, Kafka's config providers
 * getting through configuration to every client, and the words for authorization errors. SecureBrokerIT runs them
 * against a real SASL_SSL broker.
 */
class SecurityConfigTest {

    @Test
    void aclCommandsArePrintedOnePerResourceFromTheBindings() {
        String p = "kafka-acls.sh --bootstrap-server $BOOTSTRAP --command-config admin.properties --add --allow-principal User:cw";
        assertThat(TopicProvisioner.acls(Topics.defaults(), "User:cw", "casewatch")).containsExactly(
                p + " --operation Read --operation Describe --topic complaints.events.v1",
                p + " --operation Read --operation Describe --topic contacts.events.v1",
                p + " --operation Read --operation Describe --topic escalations.acks.v1",
                p + " --operation Read --operation Write --operation Describe --topic casewatch.ticks.v1",
                p + " --operation Write --operation Describe --topic escalations.l1.v1",
                p + " --operation Write --operation Describe --topic escalations.l2.v1",
                p + " --operation Write --operation Describe --topic escalations.l3.v1",
                p + " --operation Write --operation Describe --topic cases.status.v1",
                p + " --operation Write --operation Describe --topic merchants.stats.v1",
                p + " --operation Write --operation Describe --topic compliance.cases.v1",
                p + " --operation Write --operation Describe --topic casewatch.dlq.v1",
                p + " --operation Read --operation Write --operation Describe --topic casewatch.merchant-facts.v1",
                p + " --operation All --resource-pattern-type prefixed --topic casewatch-",
                p + " --operation Read --operation Describe --group casewatch",
                p + " --operation Write --operation Describe --resource-pattern-type prefixed --transactional-id casewatch-");
    }

    @Test
    void configProvidersReachEveryClientSoSecretsStayInFiles() {
        Map<String, String> flags = Map.of("bootstrap.servers", "broker:9093", "security.protocol", "SASL_SSL",
                "config.providers", "dir",
                "config.providers.dir.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
                "config.providers.dir.param.allowed.paths", "/etc/casewatch/secret",
                "sasl.jaas.config", "${dir:/etc/casewatch/secret:sasl-jaas-config}",
                "num.stream.threads", "2");
        Properties client = Pipeline.clientProperties(Pipeline.streamsProperties(AppConfig.load(null, Map.of(), flags)));
        assertThat(client).containsOnlyKeys("bootstrap.servers", "security.protocol", "config.providers", "config.providers.dir.class",
                "config.providers.dir.param.allowed.paths", "sasl.jaas.config");
        assertThat(client.getProperty("sasl.jaas.config")).as("a reference, resolved by each client").startsWith("${dir:");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of(), Map.of("config.provider.dir.class", "x")))
                .as("a misspelt provider key is still refused").hasMessageContaining("config.provider.dir.class");
    }

    @Test
    void theProductionOverlayReadsItsKafkaLoginFromTheMountedSecretNotTheConfig() {
        Path production = Path.of("").toAbsolutePath().getParent().resolve("deploy/kubernetes/overlays/production/casewatch.properties");
        Properties client = Pipeline.clientProperties(Pipeline.streamsProperties(AppConfig.load(production, Map.of(), Map.of())));
        assertThat(client.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(client.getProperty("config.providers.dir.class")).endsWith("DirectoryConfigProvider");
        assertThat(client.getProperty("sasl.jaas.config")).isEqualTo("${dir:/etc/casewatch/secret:sasl-jaas-config}");
    }

    @Test
    void authorizationErrorsNameTheResourceAndWhereTheAclsAre() {
        // As Kafka Streams reports them: wrapped in a StreamsException.
        assertThat(AccessCheck.explain(new StreamsException(new TopicAuthorizationException(Set.of("casewatch-case-store-changelog"))),
                "casewatch")).contains("not authorized for topic(s) [casewatch-case-store-changelog]", "casewatch topics --principal");
        assertThat(AccessCheck.explain(new StreamsException(new GroupAuthorizationException("no", "casewatch")), "casewatch"))
                .contains("consumer group casewatch", "Read, Describe on group casewatch");
        assertThat(AccessCheck.explain(new SaslAuthenticationException("Authentication failed during authentication due to invalid credentials"),
                "casewatch")).contains("Kafka refused the login", "invalid credentials", "sasl.jaas.config");
        assertThat(AccessCheck.explain(new IllegalStateException("boom"), "casewatch")).startsWith("casewatch stopped: Kafka Streams failed with")
                .contains("boom");
        assertThat(List.of(TopicProvisioner.operationName(org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE))).containsExactly("IdempotentWrite");
    }
}
