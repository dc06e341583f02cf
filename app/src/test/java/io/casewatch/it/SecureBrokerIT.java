package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import picocli.CommandLine;

import io.casewatch.Main;
import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.app.TopicProvisioner;
import io.casewatch.broker.LocalKafka;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.testing.Events;
import io.casewatch.testing.LogCapture;
import io.casewatch.topology.DeadLetters;
import io.casewatch.topology.Topics;

/**
 * casewatch against a broker that requires SASL_SSL (SCRAM-SHA-512 over TLS with a certificate made here by keytool)
 * and authorizes with ACLs (StandardAuthorizer, no ACL = no access). The operator's path throughout: the `topics`
 * command creates the topics and applies the documented least-privilege ACLs; the application reads its Kafka login
 * from a secret file (Kafka's DirectoryConfigProvider) and its trust store password from the environment.
 *
 * <p>The tests run in order: the last one scans everything the JVM printed during the others, with Kafka's config
 * dumps switched on, for the passwords.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureBrokerIT {
    private static final Topics TOPICS = Topics.defaults();
    private static final String MECHANISM = "SCRAM-SHA-512";
    /** Strings a customer might write that must never leave casewatch except in the dead-letter topic. */
    private static final List<String> PII = List.of("Imogen Featherstonehaugh", "imogen.f@example.org", "+44 7700 900461");

    private static final Map<String, String> PASSWORDS = new LinkedHashMap<>();
    private static LogCapture logs;
    private static Path dir;
    private static SelfSignedTls tls;
    private static LocalKafka kafka;

    @BeforeAll
    static void startSaslSslBrokerAndApplyTheDocumentedAcls() throws Exception {
        logs = LogCapture.start("org.apache.kafka.clients", "org.apache.kafka.common", "org.apache.kafka.streams", "io.casewatch");
        dir = Files.createTempDirectory("casewatch-secure-");
        // admin: the super user; casewatch: the documented ACLs; intruder: none; partial: all but transactional ids.
        for (String user : List.of("admin", "casewatch", "intruder", "partial")) {
            PASSWORDS.put(user, secret());
        }
        tls = SelfSignedTls.generate(dir, secret());
        List<String> scramUsers = new ArrayList<>();
        PASSWORDS.forEach((user, pw) -> scramUsers.addAll(List.of("--add-scram", MECHANISM + "=[name=" + user + ",password=" + pw + "]")));
        kafka = LocalKafka.start(new LocalKafka.Secured("SASL_SSL", brokerSettings(), scramUsers, adminSecurity()));

        // As the operator would (docs/operations.md, Security): the topics command, run as the admin, creates the
        // topics and applies exactly the ACLs it prints.
        Path adminConfig = clientConfig("admin", "casewatch", true);
        assertThat(new CommandLine(new Main()).execute("topics", "--config", adminConfig.toString(), "--partitions", "2", "--replication", "1",
                "--principal", "User:casewatch", "--apply-acls")).isZero();
        try (Admin admin = admin()) {
            List<AclBinding> partial = TopicProvisioner.aclBindings(TOPICS, "User:partial", "casewatch-partial").stream()
                    .filter(b -> b.pattern().resourceType() != ResourceType.TRANSACTIONAL_ID).toList();
            admin.createAcls(partial).all().get();
            // ACLs reach the broker's authorizer through the metadata log, a moment after the controller took them.
            Set<AclBinding> expected = new java.util.HashSet<>(TopicProvisioner.aclBindings(TOPICS, "User:casewatch", "casewatch"));
            expected.addAll(partial);
            await(Duration.ofSeconds(20), "the ACLs in force on the broker", () -> {
                try {
                    return Set.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get()).equals(expected);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    @Order(1)
    void withTheDocumentedAclsAndSecretsFromAFileAndTheEnvironmentTheAppRaisesItsAlert() throws Exception {
        // The trust store password comes from the environment here (CASEWATCH_KAFKA_*), the login from the secret file.
        Path config = clientConfig("casewatch", "casewatch", false);
        assertThat(Files.readString(config)).as("the config file holds references, not secrets")
                .doesNotContain(PASSWORDS.get("casewatch")).doesNotContain(tls.password());
        // Opened 25 hours ago with no reply: the DEFAULT policy's 24-hour first-response deadline has passed.
        Instant opened = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(25));
        ComplaintEvent open = ComplaintEvent.newBuilder(Events.opened("sec-1", opened, null)).setReason(PII.get(0)).build();
        ContactEvent inbound = Events.contact("sec-1", io.casewatch.schema.Direction.INBOUND, io.casewatch.schema.Actor.CUSTOMER,
                opened.plusSeconds(60)).setText("This is " + PII.get(0) + ", write to " + PII.get(1) + " or call " + PII.get(2)).build();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(asAdmin(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(ItSupport.record(TOPICS.complaints().name(), "sec-1", RecordSerdes.COMPLAINT_EVENT.toBytes(open), opened)).get();
            producer.send(ItSupport.record(TOPICS.contacts().name(), "sec-1", RecordSerdes.CONTACT_EVENT.toBytes(inbound), inbound.getOccurredAt())).get();
        }

        Map<String, String> env = Map.of("CASEWATCH_KAFKA_SSL_TRUSTSTORE_PASSWORD", tls.password());
        List<Alert> alerts = new ArrayList<>();
        try (Pipeline pipeline = Pipeline.start(AppConfig.load(config, env, Map.of()), Clock.systemUTC());
             KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(asAdmin(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "it-secure-reader",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                     new StringDeserializer(), RecordSerdes.ALERT.deserializer())) {
            consumer.subscribe(List.of(TOPICS.l1().name()));
            await(Duration.ofSeconds(45), "FIRST_RESPONSE_BREACH of sec-1 on " + TOPICS.l1().name(), () -> {
                if (pipeline.failure().isDone()) {
                    throw new AssertionError("the pipeline failed: " + pipeline.failure().join().getMessage());
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> alerts.add(r.value()));
                return alerts.stream().anyMatch(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH && a.getCaseId().equals("sec-1"));
            });
        }
        // Every topic the app wrote (outputs, merchant facts, changelogs), read by the admin: the planted PII is not
        // there. Two documented exceptions hold original input bytes by design and are access-restricted like the
        // inputs (docs/operations.md, Security): the dead-letter topic, and the changelog of the store that keeps the
        // records of cases not yet OPENED until they are released or dead-lettered.
        try (Admin admin = admin()) {
            List<String> written = admin.listTopics().names().get().stream()
                    .filter(t -> !TOPICS.inputNames().contains(t) && !t.equals(TOPICS.deadLetters().name())
                            && !t.equals("casewatch-case-pending-changelog") && !t.startsWith("__"))
                    .sorted().toList();
            assertThat(written).contains(TOPICS.l1().name(), TOPICS.status().name(), TOPICS.facts().name())
                    .anyMatch(t -> t.startsWith("casewatch-") && t.endsWith("-changelog"));
            String everything = readAll(written);
            assertThat(everything).as("what the app wrote").contains("sec-1");
            PII.forEach(p -> assertThat(everything).doesNotContain(p));
        }
    }

    @Test
    @Order(2)
    void aPrincipalWithoutAclsIsRefusedAtStartWithEveryMissingPermissionNamed() throws Exception {
        Run run = run(clientConfig("intruder", "casewatch", true));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("casewatch cannot run: its principal is not authorized for",
                "Read, Describe on topic " + TOPICS.complaints().name() + ";", "Write, Describe on topic " + TOPICS.l1().name() + ";",
                "Read, Write, Describe on topic " + TOPICS.ticks().name() + ";", "Read, Describe on group casewatch.",
                "casewatch topics --principal");
    }

    @Test
    @Order(3)
    void withoutTheTransactionalIdAclTheRunCommandStopsAndNamesIt() throws Exception {
        Run run = run(clientConfig("partial", "casewatch-partial", true));
        assertThat(run.exitCode()).as("run exits instead of idling with a dead stream thread").isEqualTo(1);
        assertThat(run.output()).contains("casewatch cannot run: its principal is not authorized to use transactional ids with the prefix "
                + "casewatch-partial-", "Write, Describe on transactional-id prefix casewatch-partial-");
    }

    @Test
    @Order(4)
    void aWrongPasswordIsRefusedByTheBroker() {
        Properties p = asAdmin(Map.of("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"casewatch\" password=\"" + secret() + "\";"));
        try (Admin wrong = Admin.create(p)) {
            assertThatThrownBy(() -> wrong.describeCluster().nodes().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
        }
    }

    @Test
    @Order(5)
    void aCertificateTheClientDoesNotTrustEndsTheHandshakeBeforeAnyLogin() throws Exception {
        // Another self-signed certificate for 127.0.0.1: a client that trusts it, and not the broker's, must not talk
        // to the broker (and the broker's SCRAM login never sees its password).
        SelfSignedTls other = SelfSignedTls.generate(Files.createTempDirectory(dir, "other-tls-"), secret());
        Properties p = asAdmin(Map.of("ssl.truststore.location", other.trustStore().toString(), "ssl.truststore.password", other.password()));
        try (Admin untrusted = Admin.create(p)) {
            assertThatThrownBy(() -> untrusted.describeCluster().nodes().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.SslAuthenticationException.class);
        }
    }

    @Test
    @Order(9)
    void aClientCertificateTheBrokerDoesNotTrustIsRefusedByTheBrokerDespiteAValidLogin() throws Exception {
        // The client trusts the broker and has the admin's own login, but presents a certificate of its own making.
        SelfSignedTls stranger = SelfSignedTls.generate(Files.createTempDirectory(dir, "client-tls-"), secret());
        Properties p = asAdmin(Map.of("ssl.keystore.location", stranger.keyStore().toString(), "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", stranger.password(), "ssl.key.password", stranger.password()));
        try (Admin untrusted = Admin.create(p)) {
            assertThatThrownBy(() -> untrusted.describeCluster().nodes().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.SslAuthenticationException.class);
        }
        // The same login without that certificate is let in: the refusal was the certificate's.
        try (Admin admin = admin()) {
            assertThat(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    @Order(6)
    void anIntruderWithAValidLoginCanNeitherProduceToAnInputNorReadAnOutput() {
        Properties intruder = asAdmin(Map.of("sasl.jaas.config", jaas("intruder")));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(intruder, new ByteArraySerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(ItSupport.record(TOPICS.complaints().name(), "forged-1", new byte[] {1}, Instant.now()))
                    .get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class);
        }
        Properties reader = new Properties();
        reader.putAll(intruder);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(reader, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(TOPICS.l3().name(), 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class);
        }
        Properties grouped = new Properties();
        grouped.putAll(intruder);
        grouped.put(ConsumerConfig.GROUP_ID_CONFIG, "casewatch");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(grouped, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // Nor may it join the application's group (and so take its partitions or see its offsets).
            consumer.subscribe(List.of(TOPICS.status().name()));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOfAny(org.apache.kafka.common.errors.GroupAuthorizationException.class,
                    org.apache.kafka.common.errors.TopicAuthorizationException.class);
        }
    }

    /**
     * The ACLs the broker enforces for the application's principal are exactly the list in docs/operations.md (Topics
     * and ACLs), written out here from the document, not from {@code TopicProvisioner}: nothing broader (no wildcard
     * principal or resource, no ALL but on the application's own prefix, nothing on the cluster, no DENY needed).
     */
    @Test
    @Order(7)
    void theAclsInForceAreExactlyTheDocumentedLeastPrivilegeSet() throws Exception {
        Set<String> documented = new java.util.TreeSet<>();
        for (String t : List.of("complaints.events.v1", "contacts.events.v1", "escalations.acks.v1")) {
            documented.addAll(acl("TOPIC", "LITERAL", t, "READ", "DESCRIBE"));
        }
        documented.addAll(acl("TOPIC", "LITERAL", "casewatch.ticks.v1", "READ", "WRITE", "DESCRIBE"));
        for (String t : List.of("escalations.l1.v1", "escalations.l2.v1", "escalations.l3.v1", "cases.status.v1", "merchants.stats.v1",
                "compliance.cases.v1", "casewatch.dlq.v1")) {
            documented.addAll(acl("TOPIC", "LITERAL", t, "WRITE", "DESCRIBE"));
        }
        documented.addAll(acl("TOPIC", "LITERAL", "casewatch.merchant-facts.v1", "READ", "WRITE", "DESCRIBE"));
        documented.addAll(acl("TOPIC", "PREFIXED", "casewatch-", "ALL"));
        documented.addAll(acl("GROUP", "LITERAL", "casewatch", "READ", "DESCRIBE"));
        documented.addAll(acl("TRANSACTIONAL_ID", "PREFIXED", "casewatch-", "WRITE", "DESCRIBE"));
        try (Admin admin = admin()) {
            Set<String> inForce = new java.util.TreeSet<>();
            for (AclBinding b : admin.describeAcls(AclBindingFilter.ANY).values().get()) {
                if (b.entry().principal().equals("User:casewatch")) {
                    inForce.add(String.join(" ", b.pattern().resourceType().name(), b.pattern().patternType().name(), b.pattern().name(),
                            b.entry().operation().name(), b.entry().permissionType().name(), b.entry().host()));
                }
                assertThat(b.entry().principal()).as("no ACL for every principal").isNotEqualTo("User:*");
                assertThat(b.pattern().name()).as("no ACL on every resource").isNotEqualTo("*");
                assertThat(b.pattern().resourceType()).as("nothing on the cluster").isNotEqualTo(ResourceType.CLUSTER);
            }
            assertThat(inForce).as("User:casewatch's ACLs in force").isEqualTo(documented);
        }
    }

    /**
     * Issue 18, item 4: the dead-letter topic refuses writes (its Write ACL removed) while a record that must be
     * dead-lettered arrives. The dead letter is produced in the transaction of the record's other effects, so the
     * refusal aborts that transaction and the input position is not committed: the instance stops with a line that
     * names the topic, nothing is dead-lettered or dropped. With the ACL back a new start reads the record again and
     * dead-letters it exactly once.
     */
    @Test
    @Order(8)
    void aDeadLetterTopicThatRefusesWritesStopsThePipelineAndTheRecordIsDeadLetteredOnceWritesAreAllowedAgain() throws Exception {
        String dlq = TOPICS.deadLetters().name();
        AclBinding dlqWrite = TopicProvisioner.aclBindings(TOPICS, "User:casewatch", "casewatch").stream()
                .filter(b -> b.pattern().resourceType() == ResourceType.TOPIC && b.pattern().name().equals(dlq)
                        && b.entry().operation() == org.apache.kafka.common.acl.AclOperation.WRITE)
                .findFirst().orElseThrow();
        Path config = clientConfig("casewatch", "casewatch", true);
        long dlqBefore = committedRecords(dlq);
        byte[] garbage = "not an Avro contact event".getBytes(StandardCharsets.UTF_8);
        long offset;
        int partition;
        Set<AclBinding> granted;
        String failure;
        // Started with every permission (the start-up check would refuse otherwise); the ACL goes while it runs.
        try (Pipeline pipeline = Pipeline.start(AppConfig.load(config, Map.of(), Map.of()), Clock.systemUTC())) {
            await(Duration.ofSeconds(60), "the instance running", () -> pipeline.streams().state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);
            try (Admin admin = admin()) {
                granted = Set.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get());
                admin.deleteAcls(List.of(dlqWrite.toFilter())).all().get();
                awaitAcls(admin, granted.stream().filter(b -> !b.equals(dlqWrite)).collect(java.util.stream.Collectors.toSet()));
            }
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(asAdmin(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                var sent = producer.send(ItSupport.record(TOPICS.contacts().name(), "sec-dlq-1", garbage, Instant.now())).get();
                offset = sent.offset();
                partition = sent.partition();
            }
            failure = pipeline.failure().get(60, TimeUnit.SECONDS).getMessage();
        }
        TopicPartition source = new TopicPartition(TOPICS.contacts().name(), partition);
        assertThat(failure).as("the line the instance stops with").contains("casewatch cannot run", "not authorized", dlq);
        assertThat(committedRecords(dlq)).as("dead letters while the topic refuses writes").isEqualTo(dlqBefore);
        assertThat(committedOffset(source)).as("the group's position on %s", source).isLessThanOrEqualTo(offset);
        // While the ACL is missing a new start is refused before it reads anything, naming the permission.
        assertThatThrownBy(() -> Pipeline.start(AppConfig.load(config, Map.of(), Map.of()), Clock.systemUTC()).close())
                .isInstanceOf(io.casewatch.app.PipelineFailure.class).hasMessageContaining(dlq);

        try (Admin admin = admin()) {
            admin.createAcls(List.of(dlqWrite)).all().get();
            awaitAcls(admin, granted);
        }
        try (Pipeline pipeline = Pipeline.start(AppConfig.load(config, Map.of(), Map.of()), Clock.systemUTC())) {
            await(Duration.ofSeconds(60), "the group's position on " + source + " past offset " + offset, () -> {
                if (pipeline.failure().isDone()) {
                    throw new AssertionError("the pipeline failed: " + pipeline.failure().join().getMessage());
                }
                return committedOffset(source) > offset;
            });
        }
        List<ConsumerRecord<byte[], byte[]>> letters = committed(dlq).stream()
                .filter(r -> header(r, DeadLetters.TOPIC).equals(source.topic()) && header(r, DeadLetters.PARTITION).equals(Integer.toString(partition))
                        && header(r, DeadLetters.OFFSET).equals(Long.toString(offset)))
                .toList();
        assertThat(letters).as("dead letters of %s@%d", source, offset).hasSize(1);
        assertThat(letters.get(0).value()).as("the original bytes").isEqualTo(garbage);
        assertThat(header(letters.get(0), DeadLetters.REASON)).isEqualTo("UNDECODABLE");
    }

    private static void awaitAcls(Admin admin, Set<AclBinding> expected) {
        await(Duration.ofSeconds(20), "the ACLs in force on the broker", () -> {
            try {
                return Set.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get()).equals(expected);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long committedOffset(TopicPartition tp) {
        try (Admin admin = admin()) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets("casewatch").partitionsToOffsetAndMetadata().get().get(tp);
            return o == null ? 0 : o.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long committedRecords(String topic) throws InterruptedException {
        return committed(topic).size();
    }

    /** Every committed record of the topic ({@code read_committed}), read by the admin. */
    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic) throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(asAdmin(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            await(Duration.ofSeconds(20), "reading " + topic, () -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
            });
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<String> acl(String type, String pattern, String name, String... ops) {
        return java.util.Arrays.stream(ops).map(op -> String.join(" ", type, pattern, name, op, "ALLOW", "*")).toList();
    }

    @Test
    @Order(10)
    void noPasswordAppearsInAnythingTheJvmPrinted() {
        String printed = logs.text();
        // The scan saw what matters: the clients' config dumps (where a secret would be printed if it were not a
        // Password) and the app's own error lines.
        assertThat(printed).contains("sasl.jaas.config = [hidden]", "ssl.truststore.password = [hidden]", "casewatch cannot run");
        PASSWORDS.forEach((user, pw) -> assertThat(printed).as("%s's password", user).doesNotContain(pw));
        assertThat(printed).as("the store password").doesNotContain(tls.password());
        PII.forEach(p -> assertThat(printed).as("planted PII").doesNotContain(p));
    }

    /** What `casewatch run` printed and returned, run in this JVM (bounded: it must not idle). */
    private record Run(int exitCode, String output) {
    }

    private static Run run(Path config) throws Exception {
        int from = logs.text().length();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> rc = ex.submit(() -> new CommandLine(new Main()).execute("run", "--config", config.toString()));
            int code = rc.get(45, TimeUnit.SECONDS);
            return new Run(code, logs.text().substring(from));
        } finally {
            ex.shutdownNow();
        }
    }

    /** The broker: SASL_SSL for clients and itself, PLAINTEXT controller on 127.0.0.1, ACLs enforced. */
    private static Map<String, String> brokerSettings() {
        Map<String, String> b = new LinkedHashMap<>();
        b.put("sasl.enabled.mechanisms", MECHANISM);
        b.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        b.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas("admin"));
        b.put("ssl.keystore.location", tls.keyStore().toString());
        b.put("ssl.keystore.type", "PKCS12");
        b.put("ssl.keystore.password", tls.password());
        b.put("ssl.key.password", tls.password());
        b.put("ssl.truststore.location", tls.trustStore().toString());
        b.put("ssl.truststore.type", "PKCS12");
        b.put("ssl.truststore.password", tls.password());
        // Certificates are asked for, not required: casewatch logs in with SCRAM and presents none, but a client that
        // presents one the broker does not trust is refused in the handshake.
        b.put("listener.name.sasl_ssl.ssl.client.auth", "requested");
        b.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // ANONYMOUS is the broker itself reaching its controller over the PLAINTEXT controller listener (127.0.0.1):
        // the controller must let it register. Clients only reach the SASL_SSL listener, where nobody is anonymous.
        b.put("super.users", "User:admin;User:ANONYMOUS");
        b.put("allow.everyone.if.no.acl.found", "false");
        return b;
    }

    /** The test's own admin (the harness, not the app): inline login is fine here. */
    private static Map<String, String> adminSecurity() {
        return Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", MECHANISM, "sasl.jaas.config", jaas("admin"),
                "ssl.truststore.location", tls.trustStore().toString(), "ssl.truststore.type", "PKCS12",
                "ssl.truststore.password", tls.password());
    }

    private static Admin admin() {
        return Admin.create(asAdmin(Map.of()));
    }

    private static Properties asAdmin(Map<String, String> extra) {
        Properties p = new Properties();
        p.putAll(adminSecurity());
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.putAll(extra);
        return p;
    }

    private static String jaas(String user) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + PASSWORDS.get(user) + "\";";
    }

    /**
     * A casewatch config file for {@code user}, as a deployment mounts it: the Kafka login is a reference to a file in
     * the user's secret folder (one file per key, like a mounted Kubernetes Secret), resolved by Kafka's
     * DirectoryConfigProvider, which may read that folder only.
     *
     * @param trustPasswordByFile the trust store password by reference too; otherwise it must come from elsewhere
     *                            (the environment)
     */
    private static Path clientConfig(String user, String applicationId, boolean trustPasswordByFile) throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets").resolve(user));
        writeSecret(secrets.resolve("sasl.jaas.config"), jaas(user));
        Path storeSecret = Files.createDirectories(tls.trustStore().getParent().resolve("store-secret"));
        writeSecret(storeSecret.resolve("password"), tls.password());
        String cfg = String.join("\n",
                "bootstrap.servers=" + kafka.bootstrapServers(),
                "application.id=" + applicationId,
                "state.dir=" + Files.createTempDirectory(dir, "state-" + user + "-"),
                "commit.interval.ms=100",
                // A closed instance does not leave its group (Kafka Streams' default): the next start in this class
                // waits for the old member's session to expire, 6 s here instead of 45.
                "session.timeout.ms=6000",
                "heartbeat.interval.ms=1500",
                "casewatch.http.port=0",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=" + MECHANISM,
                "ssl.truststore.location=" + tls.trustStore(),
                "ssl.truststore.type=PKCS12",
                "config.providers=dir",
                "config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider",
                "config.providers.dir.param.allowed.paths=" + secrets + "," + storeSecret,
                "sasl.jaas.config=${dir:" + secrets + ":sasl.jaas.config}",
                "");
        if (trustPasswordByFile) {
            cfg += "ssl.truststore.password=${dir:" + storeSecret + ":password}\n";
        }
        return Files.writeString(Files.createTempFile(dir, user + "-", ".properties"), cfg);
    }

    private static void writeSecret(Path file, String value) throws Exception {
        Files.writeString(file, value); // exactly the value: no trailing newline, as Kubernetes mounts a Secret key
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static String secret() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Every record of these topics, keys, values and headers as UTF-8 text (Avro strings are UTF-8 bytes). */
    private static String readAll(List<String> topics) throws InterruptedException {
        StringBuilder text = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(asAdmin(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            topics.forEach(t -> c.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(t, p.partition()))));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            await(Duration.ofSeconds(20), "reading " + topics, () -> {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    append(text, r.key());
                    append(text, r.value());
                    for (Header h : r.headers()) {
                        text.append(h.key()).append('=');
                        append(text, h.value());
                    }
                }
                return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
            });
        }
        return text.toString();
    }

    private static void append(StringBuilder text, byte[] bytes) {
        if (bytes != null) {
            text.append(new String(bytes, StandardCharsets.UTF_8)).append('\n');
        }
    }

    /** Checks the condition until it holds (every 50 ms at most), failing after {@code max}. */
    private static void await(Duration max, String what, BooleanSupplier condition) {
        ItSupport.await(max, () -> what, condition);
    }
}
