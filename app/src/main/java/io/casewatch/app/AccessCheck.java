package io.casewatch.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

import io.casewatch.topology.Topics;

/**
 * What casewatch's principal may do, checked before Kafka Streams starts, and the words for an authorization or
 * authentication error met later. Without this a missing ACL shows as a stream thread dying with a Kafka stack trace
 * (or, for the heartbeats, as nothing at all: deadlines of quiet cases would simply never fire).
 *
 * <p>The check covers what the Admin API can tell before anything is written: every literal topic ACL of
 * {@link TopicProvisioner#aclBindings} (describe with authorized operations) and the consumer group. The prefixed
 * ACLs (changelogs, transactional ids) can only be exercised: their errors are explained by {@link #explain}.
 */
final class AccessCheck {
    static final String REMEDY = "grant this application's principal the ACLs printed by `casewatch topics --principal User:<name>` "
            + "(docs/operations.md, Security)";

    private AccessCheck() {
    }

    /**
     * @throws PipelineFailure naming every missing permission and missing topic, or the failed login
     */
    static void verify(Admin admin, Topics topics, String applicationId) {
        List<String> problems = new ArrayList<>();
        // Only the resources and operations matter: the broker answers for whoever this client logged in as.
        List<AclBinding> required = TopicProvisioner.aclBindings(topics, "User:casewatch", applicationId);
        Map<String, Set<AclOperation>> topicOps = new LinkedHashMap<>();
        Set<AclOperation> groupOps = new LinkedHashSet<>();
        for (AclBinding b : required) {
            if (b.pattern().patternType() != PatternType.LITERAL) {
                continue;
            }
            if (b.pattern().resourceType() == ResourceType.TOPIC) {
                topicOps.computeIfAbsent(b.pattern().name(), k -> new LinkedHashSet<>()).add(b.entry().operation());
            } else if (b.pattern().resourceType() == ResourceType.GROUP) {
                groupOps.add(b.entry().operation());
            }
        }
        try {
            Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topicOps.keySet(),
                    new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
            for (Map.Entry<String, Set<AclOperation>> e : topicOps.entrySet()) {
                try {
                    TopicDescription d = described.get(e.getKey()).get();
                    missing(e.getValue(), d.authorizedOperations()).ifPresent(ops -> problems.add(names(ops) + " on topic " + e.getKey()));
                } catch (ExecutionException ex) {
                    // A principal without Describe is told "not authorized" whether or not the topic exists.
                    if (ex.getCause() instanceof TopicAuthorizationException) {
                        problems.add(names(e.getValue()) + " on topic " + e.getKey());
                    } else if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
                        problems.add("topic " + e.getKey() + " does not exist (create the topics first: `casewatch topics`)");
                    } else {
                        throw ex;
                    }
                }
            }
            try {
                ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(applicationId),
                        new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).describedGroups().get(applicationId).get();
                missing(groupOps, g.authorizedOperations()).ifPresent(ops -> problems.add(names(ops) + " on group " + applicationId));
            } catch (ExecutionException ex) {
                // Anything else (a first start's group not found, a group of the streams protocol that this call does
                // not describe) leaves the group's ACL to be exercised by Kafka Streams and explained if refused.
                if (ex.getCause() instanceof GroupAuthorizationException) {
                    problems.add(names(groupOps) + " on group " + applicationId);
                }
            }
        } catch (ExecutionException e) {
            throw failure(e.getCause(), applicationId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineFailure("interrupted while checking casewatch's access to Kafka", e);
        }
        if (!problems.isEmpty()) {
            throw new PipelineFailure("casewatch cannot run: its principal is not authorized for " + String.join("; ", problems)
                    + ". Fix: " + REMEDY + ".", null);
        }
    }

    /** The required operations that are not authorized, if the broker said which are (it does when asked). */
    private static Optional<Set<AclOperation>> missing(Set<AclOperation> required, Set<AclOperation> authorized) {
        if (authorized == null) {
            return Optional.empty();
        }
        Set<AclOperation> m = new LinkedHashSet<>(required);
        m.removeAll(authorized);
        return m.isEmpty() ? Optional.empty() : Optional.of(m);
    }

    /** Operations as kafka-acls.sh and the printed ACLs spell them: "Read, Describe". */
    private static String names(Set<AclOperation> ops) {
        return String.join(", ", ops.stream().map(TopicProvisioner::operationName).toList());
    }

    /** A failure with the clearest message this error allows. */
    static PipelineFailure failure(Throwable error, String applicationId) {
        return new PipelineFailure(explain(error, applicationId), error);
    }

    /**
     * Names the missing permission of the first authorization or authentication error in the cause chain; for any
     * other error says that Kafka Streams stopped and why (exception class and message: Kafka's messages name
     * tasks, topics and offsets, not configuration values or record contents).
     */
    static String explain(Throwable error, String applicationId) {
        return explainAccess(error, applicationId).orElseGet(() -> {
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return "casewatch stopped: Kafka Streams failed with " + error.getClass().getSimpleName() + ": " + error.getMessage()
                    + (root == error ? "" : " (cause " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")");
        });
    }

    /** The words for the first authorization or authentication error in the cause chain, if there is one. */
    static Optional<String> explainAccess(Throwable error, String applicationId) {
        return Optional.ofNullable(accessMessage(error, applicationId));
    }

    private static String accessMessage(Throwable error, String applicationId) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TopicAuthorizationException e) {
                return "casewatch cannot run: its principal is not authorized for topic(s) " + new TreeSet<>(e.unauthorizedTopics())
                        + " (" + e.getMessage() + "). Fix: " + REMEDY + ".";
            }
            if (t instanceof GroupAuthorizationException e) {
                return "casewatch cannot run: its principal is not authorized to use the consumer group "
                        + (e.groupId() == null ? applicationId : e.groupId()) + " (Read, Describe on group " + applicationId
                        + " are needed). Fix: " + REMEDY + ".";
            }
            if (t instanceof TransactionalIdAuthorizationException) {
                return "casewatch cannot run: its principal is not authorized to use transactional ids with the prefix " + applicationId
                        + "- (exactly-once v2 needs Write, Describe on transactional-id prefix " + applicationId + "-). Fix: " + REMEDY + ".";
            }
            if (t instanceof ClusterAuthorizationException) {
                return "casewatch cannot run: its principal is not authorized for a cluster operation (" + t.getMessage() + "). Fix: "
                        + REMEDY + ".";
            }
            if (t instanceof AuthorizationException) {
                return "casewatch cannot run: not authorized (" + t.getClass().getSimpleName() + ": " + t.getMessage() + "). Fix: " + REMEDY + ".";
            }
            if (t instanceof AuthenticationException) {
                return "casewatch cannot run: Kafka refused the login (" + t.getClass().getSimpleName() + ": " + t.getMessage()
                        + "). Check security.protocol, sasl.mechanism, sasl.jaas.config and ssl.truststore.* (docs/operations.md, Security).";
            }
        }
        return null;
    }
}
