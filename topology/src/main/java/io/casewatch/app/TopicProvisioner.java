package io.casewatch.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;

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
        if (!create.isEmpty()) {
            admin.createTopics(create).all().get();
        }
        Map<String, TopicDescription> described = admin.describeTopics(copartitioned).allTopicNames().get();
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
