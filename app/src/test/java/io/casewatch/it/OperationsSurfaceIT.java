package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.testing.Events;
import io.casewatch.topology.Topics;

/**
 * The operations surface (SPEC section 7) on a real KRaft broker with two instances of one application in this JVM
 * (same application.id, own state folders and HTTP ports, inputs with 2 partitions, so each instance holds one):
 * any case's status is answered by either instance, lists gather both, {@code /metrics} exports the domain
 * metrics, queries without the token are refused, every metric the Grafana dashboard and the alert rules use is
 * exported, and the live page shows live data in headless Chromium.
 */
class OperationsSurfaceIT {
    private static final Topics TOPICS = ItSupport.TOPICS;
    private static final String TOKEN = "it-token-" + Long.toHexString(System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path DEPLOY = Path.of("").toAbsolutePath().getParent().resolve("deploy");

    @RegisterExtension
    static final RealBroker BROKER = RealBroker.withTopics(2);
    private static Pipeline a;
    private static Pipeline b;
    private static final List<String> BREACHED = new ArrayList<>();
    private static final List<String> AT_RISK = new ArrayList<>();
    private static final List<String> QUIET = new ArrayList<>();
    private static Instant OPENED_AT;

    @BeforeAll
    static void startBrokerAndTwoInstances() throws Exception {
        a = start("a");
        b = start("b");
        // Both instances hold an active task before any data arrives, so that each holds some of the cases.
        await(Duration.ofSeconds(90), "both instances ready with a task each", () -> ready(a) && ready(b));

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(BROKER.kafka())) {
            // DEFAULT policy: first response within 24 h, at risk from 75 % (18 h).
            for (int i = 0; i < 6; i++) {
                BREACHED.add(send(producer, Events.opened("ops-breached-" + i, now.minus(Duration.ofHours(25)), null)));
                AT_RISK.add(send(producer, Events.opened("ops-risk-" + i, now.minus(Duration.ofHours(20)), null)));
            }
            for (int i = 0; i < 4; i++) {
                QUIET.add(send(producer, Events.opened("ops-quiet-" + i, now.minus(Duration.ofHours(1)), null)));
            }
            ContactEvent holding = Events.agentReply("ops-quiet-0", now.minusSeconds(600), "您的问题正在处理中，请耐心等待", "zh-Hans");
            producer.send(ItSupport.record(TOPICS.contacts().name(), holding.getCaseId(), RecordSerdes.CONTACT_EVENT.toBytes(holding),
                    holding.getOccurredAt())).get();
            producer.send(ItSupport.record(TOPICS.complaints().name(), "ops-garbage", new byte[] {0x01, 0x02, 0x03}, now)).get();
            // The case the timeline test looks at: a customer chasing by chat half an hour after the complaint.
            ContactEvent chaser = Events.contact(BREACHED.get(0), io.casewatch.schema.Direction.INBOUND, io.casewatch.schema.Actor.CUSTOMER,
                    now.minus(Duration.ofHours(25)).plus(Duration.ofMinutes(30))).setChannel(io.casewatch.schema.Channel.CHAT).build();
            producer.send(ItSupport.record(TOPICS.contacts().name(), chaser.getCaseId(), RecordSerdes.CONTACT_EVENT.toBytes(chaser),
                    chaser.getOccurredAt())).get();
            OPENED_AT = now.minus(Duration.ofHours(25));
        }
    }

    @AfterAll
    static void stop() {
        for (Pipeline p : new Pipeline[] {a, b}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @Test
    void anyCaseIsAnsweredByEitherInstanceAndListsGatherBoth() throws Exception {
        List<String> all = new ArrayList<>(BREACHED);
        all.addAll(AT_RISK);
        all.addAll(QUIET);
        await(Duration.ofSeconds(60), "every case queryable", () -> all.stream().allMatch(id -> status(a, "/cases/" + id) == 200));

        Set<String> servedByA = new HashSet<>();
        Set<String> servedByB = new HashSet<>();
        for (String id : all) {
            for (Pipeline asked : new Pipeline[] {a, b}) {
                HttpResponse<String> r = get(asked, "/cases/" + id, TOKEN);
                assertThat(r.statusCode()).as("status of %s asked at %s: %s", id, port(asked), r.body()).isEqualTo(200);
                JsonNode s = JSON.readTree(r.body());
                assertThat(s.path("caseId").asText()).isEqualTo(id);
                assertThat(s.path("state").asText()).isEqualTo("OPEN");
                assertThat(s.path("clocks").isArray()).isTrue();
                String servedBy = r.headers().firstValue("X-Casewatch-Served-By").orElseThrow();
                (servedBy.endsWith(":" + port(a)) ? servedByA : servedByB).add(id);
            }
        }
        // Each instance holds one partition: some cases live on each, and the other instance answered them through it.
        assertThat(servedByA).isNotEmpty();
        assertThat(servedByB).isNotEmpty();
        assertThat(get(a, "/cases/no-such-case", TOKEN).statusCode()).isEqualTo(404);

        for (Pipeline asked : new Pipeline[] {a, b}) {
            assertThat(caseIds(asked, "breached")).containsExactlyInAnyOrderElementsOf(BREACHED);
            assertThat(caseIds(asked, "at-risk")).containsExactlyInAnyOrderElementsOf(AT_RISK);
        }
        assertThat(get(a, "/cases?state=nonsense", TOKEN).statusCode()).isEqualTo(400);
        // The merchant's latest day window, live (not final) while the day lasts, from whichever instance holds it.
        await(Duration.ofSeconds(60), "merchant m-1 has stats", () -> status(b, "/merchants/m-1") == 200);
        HttpResponse<String> merchant = get(b, "/merchants/m-1", TOKEN);
        assertThat(merchant.statusCode()).isEqualTo(200);
        assertThat(merchant.body()).contains("\"merchantId\":\"m-1\"").contains("\"window\":\"DAY\"");
        assertThat(get(a, "/merchants/no-such-merchant", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void queriesNeedTheTokenButMetricsAndHealthDoNot() throws Exception {
        assertThat(get(a, "/cases/ops-quiet-1", null).statusCode()).isEqualTo(401);
        assertThat(get(b, "/cases/ops-quiet-1", "wrong-" + TOKEN).statusCode()).isEqualTo(401);
        assertThat(get(a, "/cases?state=breached", null).statusCode()).isEqualTo(401);
        assertThat(get(a, "/alerts", null).statusCode()).isEqualTo(401);
        assertThat(get(a, "/metrics", null).statusCode()).isEqualTo(200);
        assertThat(get(a, "/health", null).statusCode()).isEqualTo(200);
        assertThat(get(b, "/ready", null).statusCode()).isEqualTo(200);
        assertThat(get(b, "/", null).body()).contains("casewatch — live");
    }

    @Test
    void metricsExportTheDomainFiguresOfBothInstances() throws Exception {
        await(Duration.ofSeconds(60), "breaches published, gauges and dead letters counted", () -> {
            double published = sum("casewatch_alerts_published_total", "kind=\"FIRST_RESPONSE_BREACH\"", "level=\"L1\"", "status=\"OPEN\"");
            return published == BREACHED.size()
                    && sum("casewatch_cases_open") == BREACHED.size() + AT_RISK.size() + QUIET.size()
                    && sum("casewatch_cases_breached") == BREACHED.size()
                    && sum("casewatch_cases_at_risk") == AT_RISK.size()
                    && sum("casewatch_dead_letters_total", "reason=\"UNDECODABLE\"") == 1
                    && sum("casewatch_holding_replies_total") == 1;
        });
        assertThat(sum("casewatch_records_processed_total", "outcome=\"accepted\"")).isGreaterThanOrEqualTo(17);
        assertThat(sum("casewatch_punctuation_seconds_count")).isPositive();
        assertThat(sum("casewatch_alert_latency_seconds_count")).isGreaterThanOrEqualTo(BREACHED.size());
        assertThat(metrics(a)).contains("casewatch_alert_latency_seconds_bucket{");
        assertThat(metrics(a)).contains("kafka_stream_thread_");
        // Kept for people writing dashboards: what a running instance exports.
        Files.writeString(Path.of("target").toAbsolutePath().resolve("metrics-sample.txt"), metrics(a));
    }

    @Test
    void everyMetricTheDashboardAndAlertRulesUseIsExported() throws Exception {
        // A breach has been published on some instance, so the alert counter exists there.
        await(Duration.ofSeconds(60), "a breach published", () -> sum("casewatch_alerts_published_total") > 0);
        Set<String> exported = new TreeSet<>();
        for (Pipeline p : new Pipeline[] {a, b}) {
            for (String line : metrics(p).split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    exported.add(line.split("[{ ]", 2)[0]);
                }
            }
        }
        Map<String, Set<String>> used = new LinkedHashMap<>();
        used.put("grafana dashboard", metricNames(Files.readString(DEPLOY.resolve("grafana/dashboards/casewatch.json"))));
        used.put("alert rules", metricNames(Files.readString(DEPLOY.resolve("prometheus/casewatch-rules.yml"))));
        for (Map.Entry<String, Set<String>> e : used.entrySet()) {
            assertThat(e.getValue()).as("metrics used by the %s", e.getKey()).isNotEmpty();
            assertThat(exported).as("metrics exported, against those the %s uses", e.getKey()).containsAll(e.getValue());
        }
    }

    @Test
    void livePageShowsLiveDataInHeadlessChromium() throws Exception {
        String chromium = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : null;
        assumeTrue(chromium != null, "Debian's chromium is not installed (.ci/run installs it)");
        await(Duration.ofSeconds(60), "a breach published", () -> sum("casewatch_alerts_published_total") > 0);
        String url = "http://127.0.0.1:" + port(a) + "/#token=" + TOKEN;
        Path profile = Files.createTempDirectory("casewatch-chromium-");
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        List<String> common = List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=8000");

        List<String> dump = new ArrayList<>(common);
        dump.add("--dump-dom");
        dump.add(url);
        String dom = run(dump, target.resolve("live-page-chromium.log"));
        assertThat(dom).contains("casewatch — live");
        // Live data from both instances: every breached case (half of them held by the other instance), its alert kind.
        assertThat(dom).contains(BREACHED.toArray(String[]::new));
        assertThat(dom).contains("FIRST_RESPONSE_BREACH");
        assertThat(dom).contains(AT_RISK.get(0));
        assertThat(dom).doesNotContain("HTTP 401");

        Path png = target.resolve("live-page.png");
        Files.deleteIfExists(png);
        List<String> shot = new ArrayList<>(common);
        shot.add("--window-size=1400,1000");
        shot.add("--screenshot=" + png);
        shot.add(url);
        run(shot, target.resolve("live-page-chromium.log"));
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    @Test
    void aCasesTimelineShowsEventsClocksAndAlertsFromEitherInstanceBehindTheToken() throws Exception {
        String id = BREACHED.get(0);
        String path = "/cases/" + id + "/timeline";
        await(Duration.ofSeconds(60), "the breach of " + id + " in its timeline", () -> {
            HttpResponse<String> r = get(a, path, TOKEN);
            return r.statusCode() == 200 && r.body().contains("FIRST_RESPONSE_BREACH");
        });
        assertThat(get(a, path, null).statusCode()).isEqualTo(401);
        for (Pipeline asked : new Pipeline[] {a, b}) {
            JsonNode v = JSON.readTree(get(asked, path, TOKEN).body());
            assertThat(v.path("caseId").asText()).isEqualTo(id);
            List<String> events = new ArrayList<>();
            v.path("events").forEach(e -> events.add(e.path("type").asText() + "/" + e.path("channel").asText("")));
            assertThat(events).containsExactly("OPENED/", "INBOUND/CHAT");
            JsonNode first = null;
            for (JsonNode k : v.path("clocks")) {
                if (k.path("clock").asText().equals("FIRST_RESPONSE")) {
                    first = k;
                }
            }
            assertThat(first).isNotNull();
            assertThat(first.path("state").asText()).isEqualTo("BREACHED");
            // DEFAULT: 24 hours of calendar time from receipt.
            assertThat(Instant.parse(first.path("deadline").asText())).isEqualTo(OPENED_AT.plus(Duration.ofHours(24)));
            List<String> alerts = new ArrayList<>();
            v.path("alerts").forEach(x -> alerts.add(x.path("kind").asText() + "/" + x.path("level").asText()));
            assertThat(alerts).contains("FIRST_RESPONSE_AT_RISK/L1", "FIRST_RESPONSE_BREACH/L1");
            assertThat(v.toString()).doesNotContain("text");
        }
    }

    @Test
    void aClickOnACaseShowsItsTimelineInHeadlessChromium() throws Exception {
        String chromium = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : null;
        assumeTrue(chromium != null, "Debian's chromium is not installed (.ci/run installs it)");
        await(Duration.ofSeconds(60), "a breach published", () -> sum("casewatch_alerts_published_total") > 0);
        await(Duration.ofSeconds(60), "the holding reply applied", () -> sum("casewatch_holding_replies_total") == 1);
        Path profile = Files.createTempDirectory("casewatch-chromium-");
        Path target = Path.of("target").toAbsolutePath();
        List<String> common = List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=8000");
        // A link to a case (the fragment a click sets) opens it too: here the case with a holding reply.
        String base = "http://127.0.0.1:" + port(a) + "/#token=" + TOKEN + "&case=";

        List<String> dump = new ArrayList<>(common);
        dump.add("--dump-dom");
        dump.add(base + QUIET.get(0));
        String dom = run(dump, target.resolve("live-page-case-chromium.log"));
        assertThat(dom).contains("id=\"case\" class=\"shown\"").contains("OUTBOUND").contains("class=\"HOLDING\">holding</td>")
                .contains("FIRST_RESPONSE · MET").doesNotContain("处理中");

        // A person's click: on the breached case's row, in a page driven over the DevTools protocol.
        String id = BREACHED.get(0);
        Path png = target.resolve("live-page-case.png");
        Files.deleteIfExists(png);
        try (HeadlessPage page = HeadlessPage.open(chromium, "http://127.0.0.1:" + port(a) + "/#token=" + TOKEN,
                Files.createTempDirectory("casewatch-chromium-"), target.resolve("live-page-click-chromium.log"))) {
            String row = "document.querySelector('#cases tr[data-case=\"" + id + "\"]')";
            page.await(row + " !== null", Duration.ofSeconds(30));
            page.eval(row + ".click()");
            page.await("document.getElementById('case').className === 'shown'"
                    + " && document.getElementById('caseEvents').textContent.includes('INBOUND')", Duration.ofSeconds(30));
            assertThat(page.eval("location.hash")).contains("case=" + id).contains("token=");
            assertThat(page.eval("document.getElementById('caseId').textContent")).isEqualTo(id);
            assertThat(page.eval("document.getElementById('caseEvents').textContent")).contains("OPENED", "INBOUND", "CHAT", "CUSTOMER");
            assertThat(page.eval("document.getElementById('caseClocks').textContent")).contains("FIRST_RESPONSE · BREACHED", "RESOLUTION");
            assertThat(page.eval("document.getElementById('caseAlerts').textContent")).contains("FIRST_RESPONSE_BREACH", "L1");
            page.screenshot(png);
            page.eval("document.getElementById('caseClose').click()");
            page.await("document.getElementById('case').className === ''", Duration.ofSeconds(10));
        }
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    // ------------------------------------------------------------------ helpers

    private static Pipeline start(String name) throws IOException {
        Path state = Files.createTempDirectory("casewatch-ops-it-" + name + "-");
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("bootstrap.servers", BROKER.bootstrapServers());
        flags.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        flags.put(StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-ops-it");
        flags.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        flags.put(AppConfig.HTTP_PORT, "0");
        flags.put(AppConfig.HTTP_TOKEN, TOKEN);
        // Live merchant values every second of stream time, so the merchant query has something to show soon.
        flags.put(AppConfig.STATS_LIVE, "PT1S");
        return Pipeline.start(AppConfig.load(null, Map.of(), flags), Clock.systemUTC());
    }

    private static boolean ready(Pipeline p) {
        return status(p, "/ready") == 200
                && p.streams().metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
    }

    private static int port(Pipeline p) {
        return p.httpPort();
    }

    private static String send(KafkaProducer<byte[], byte[]> producer, ComplaintEvent e) throws Exception {
        producer.send(ItSupport.record(TOPICS.complaints().name(), e.getCaseId(), RecordSerdes.COMPLAINT_EVENT.toBytes(e), e.getOccurredAt())).get();
        return e.getCaseId();
    }

    private static List<String> caseIds(Pipeline p, String state) throws Exception {
        HttpResponse<String> r = get(p, "/cases?state=" + state, TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("unavailable")).isEmpty();
        List<String> ids = new ArrayList<>();
        body.path("cases").forEach(c -> ids.add(c.path("caseId").asText()));
        return ids;
    }

    private static HttpResponse<String> get(Pipeline p, String path, String token) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(p) + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int status(Pipeline p, String path) {
        return get(p, path, TOKEN).statusCode();
    }

    private static String metrics(Pipeline p) {
        return get(p, "/metrics", null).body();
    }

    /** The sum over both instances of the samples of a metric whose labels include all of these. */
    private static double sum(String name, String... labels) {
        double total = 0;
        for (Pipeline p : new Pipeline[] {a, b}) {
            for (String line : metrics(p).split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    boolean match = true;
                    for (String l : labels) {
                        match &= line.contains(l);
                    }
                    if (match) {
                        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            }
        }
        return total;
    }

    private static final Pattern METRIC = Pattern.compile("\\b((?:casewatch|kafka|jvm|process|system)_[a-z0-9_]+)\\b");

    /** Metric names in PromQL expressions: casewatch's own, Kafka's, the JVM's and the process's (not {@code up}). */
    static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String run(List<String> command, Path log) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as("chromium exit code; see %s", log).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static void await(Duration timeout, String what, BooleanSupplier condition) {
        ItSupport.await(timeout, () -> what, condition);
    }
}
