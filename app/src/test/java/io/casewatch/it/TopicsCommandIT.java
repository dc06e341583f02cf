package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import picocli.CommandLine;

import io.casewatch.Main;
import io.casewatch.app.TopicProvisioner;
import io.casewatch.topology.Topics;

/**
 * {@code casewatch topics} on a real broker with no topics: creates all of them right, a second run changes nothing,
 * {@code --check} passes, a drifted config is reported by {@code --check} and repaired by a plain run, a different
 * partition count is reported, and the ACL commands are written.
 */
class TopicsCommandIT {
    private static final Topics TOPICS = Topics.defaults();
    @RegisterExtension
    static final RealBroker BROKER = RealBroker.bare();



    @Test
    void createsChecksRepairsAndPrintsAcls() throws Exception {
        Path acls = Files.createTempFile("casewatch-acls-", ".sh");
        assertThat(topics("--partitions", "2", "--replication", "1", "--acls-out", acls.toString())).isZero();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BROKER.bootstrapServers()))) {
            List<TopicProvisioner.TopicSpec> specs = TopicProvisioner.specs(TOPICS, 2, (short) 1, "-1");
            assertThat(admin.listTopics().names().get()).containsAll(specs.stream().map(TopicProvisioner.TopicSpec::name).toList());
            assertThat(TopicProvisioner.check(admin, specs)).isEmpty();
            assertThat(TopicProvisioner.apply(admin, specs)).as("a second run changes nothing").isEmpty();
            ConfigResource status = new ConfigResource(ConfigResource.Type.TOPIC, TOPICS.status().name());
            assertThat(admin.describeConfigs(List.of(status)).all().get().get(status).get("cleanup.policy").value()).isEqualTo("compact");

            // Someone turned compaction off on the status topic.
            admin.incrementalAlterConfigs(Map.of(status, List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"),
                    AlterConfigOp.OpType.SET)))).all().get();
            // The broker applies a config change a moment after the controller accepted it.
            ItSupport.await(Duration.ofSeconds(30), () -> "the broker to show compaction off", () -> issues(admin, specs).size() == 1);
            assertThat(TopicProvisioner.check(admin, specs)).singleElement().asString().contains(TOPICS.status().name(), "cleanup.policy");
        }
        assertThat(topics("--check", "--partitions", "2", "--replication", "1")).isEqualTo(1);
        assertThat(topics("--partitions", "2", "--replication", "1")).as("a plain run repairs the config").isZero();
        ItSupport.await(Duration.ofSeconds(30), () -> "the repaired config to show", () -> topics("--check", "--partitions", "2", "--replication", "1") == 0);
        assertThat(topics("--check", "--partitions", "3", "--replication", "1")).as("partition counts are checked").isEqualTo(1);

        assertThat(Files.readAllLines(acls)).anyMatch(l -> l.contains("--transactional-id casewatch") && l.contains("prefixed"))
                .anyMatch(l -> l.contains("--group casewatch"))
                .anyMatch(l -> l.contains("--topic " + TOPICS.complaints().name()) && l.contains("Read"))
                .anyMatch(l -> l.contains("--topic " + TOPICS.status().name()) && l.contains("Write"));
    }

    private static List<?> issues(Admin admin, List<TopicProvisioner.TopicSpec> specs) {
        try {
            return TopicProvisioner.check(admin, specs);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int topics(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "topics";
        all[1] = "--bootstrap-servers";
        all[2] = BROKER.bootstrapServers();
        System.arraycopy(args, 0, all, 3, args.length);
        return new CommandLine(new Main()).execute(all);
    }
}
