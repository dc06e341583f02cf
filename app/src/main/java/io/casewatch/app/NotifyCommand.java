package io.casewatch.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpServer;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.casewatch.notify.Notifier;
import io.casewatch.notify.NotifySettings;
import io.casewatch.topology.Topics;

/**
 * {@code casewatch notify}: posts the alerts of the escalation topics to Prometheus Alertmanager, which groups,
 * deduplicates and routes them to people (PagerDuty, Slack, email: its receivers). Serves {@code /metrics} and
 * {@code /health} on {@code casewatch.notify.http.port}. docs/operations.md, Notify.
 */
@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "Post escalation alerts to Prometheus Alertmanager (at least once; CLOSED resolves).")
public final class NotifyCommand implements Callable<Integer> {
    /** /metrics and /health of notify unless configured: next to run's 8080. */
    public static final int DEFAULT_HTTP_PORT = 8081;

    @Option(names = "--alertmanager", description = "Alertmanager base URL, e.g. http://alertmanager:9093; repeat for each replica.")
    List<String> alertmanagers = new ArrayList<>();

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Mixin
    BootstrapOption bootstrap = new BootstrapOption();

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = config.flags();
        bootstrap.putInto(flags);
        if (!alertmanagers.isEmpty()) {
            flags.put(AppConfig.NOTIFY_ALERTMANAGER_URLS, String.join(",", alertmanagers));
        }
        AppConfig cfg = config.load(System.getenv(), flags);
        NotifySettings settings = settings(cfg);
        Topics topics = Topics.named(cfg.topicNames());
        Properties client = new Properties();
        client.putAll(cfg.kafka());
        if (!client.containsKey("bootstrap.servers")) {
            throw new AppConfig.ConfigException("bootstrap.servers is not set (flag --bootstrap-servers or CASEWATCH_KAFKA_BOOTSTRAP_SERVERS)");
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Notifier notifier = new Notifier(settings, client, List.of(topics.l1().name(), topics.l2().name(), topics.l3().name()),
                topics.deadLetters().name(), registry, Clock.systemUTC());
        HttpServer http = serve(cfg, registry, notifier);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            notifier.close();
            stopped.countDown();
        }, "casewatch-notify-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        notifier.start();
        log().info("notify: {} -> {}", List.of(topics.l1().name(), topics.l2().name(), topics.l3().name()), settings.alertmanagers());
        while (notifier.alive() && stopped.getCount() > 0) {
            stopped.await(Duration.ofSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
        }
        http.stop(0);
        if (notifier.failure() != null) {
            log().error("notify stopped: {}", notifier.failure().getMessage());
            return 1;
        }
        return 0;
    }

    /** The settings of {@code casewatch.notify.*}, defaults from {@link NotifySettings}. */
    public static NotifySettings settings(AppConfig cfg) {
        return settings(cfg, true);
    }

    /** @param needAlertmanager false where only the other settings matter (the group for ACLs) */
    static NotifySettings settings(AppConfig cfg, boolean needAlertmanager) {
        String urls = cfg.get(AppConfig.NOTIFY_ALERTMANAGER_URLS, needAlertmanager ? null : "http://unused:9093");
        if (urls == null || urls.isBlank()) {
            throw new AppConfig.ConfigException("no Alertmanager: pass --alertmanager http://host:9093 or set " + AppConfig.NOTIFY_ALERTMANAGER_URLS);
        }
        List<URI> list = new ArrayList<>();
        for (String u : urls.split(",")) {
            URI uri;
            try {
                uri = URI.create(u.strip());
            } catch (IllegalArgumentException e) {
                throw new AppConfig.ConfigException(AppConfig.NOTIFY_ALERTMANAGER_URLS + ": '" + u.strip() + "' is not a URL");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new AppConfig.ConfigException(AppConfig.NOTIFY_ALERTMANAGER_URLS + ": '" + u.strip() + "' is not an http(s) URL with a host");
            }
            list.add(uri);
        }
        NotifySettings d = NotifySettings.defaults(list);
        Duration resend = cfg.duration(AppConfig.NOTIFY_RESEND, d.resendEvery());
        Duration giveUp = cfg.duration(AppConfig.NOTIFY_GIVE_UP, d.giveUpAfter());
        if (resend.isNegative() || resend.isZero() || giveUp.isNegative()) {
            throw new AppConfig.ConfigException(AppConfig.NOTIFY_RESEND + " must be positive and " + AppConfig.NOTIFY_GIVE_UP + " not negative");
        }
        return new NotifySettings(list, cfg.get(AppConfig.NOTIFY_CASE_URL, d.caseUrl()), cfg.get(AppConfig.NOTIFY_DEPLOYMENT, d.deployment()),
                cfg.get(AppConfig.NOTIFY_GROUP, d.group()), resend, giveUp, d.requestTimeout(), d.firstBackoff(), d.maxBackoff());
    }

    private static HttpServer serve(AppConfig cfg, PrometheusMeterRegistry registry, Notifier notifier) throws IOException {
        String bind = cfg.get(AppConfig.NOTIFY_HTTP_BIND, "127.0.0.1");
        int port = cfg.integer(AppConfig.NOTIFY_HTTP_PORT, DEFAULT_HTTP_PORT);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bind), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind notify's HTTP endpoint to " + bind + ":" + port, e);
        }
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health", ex -> {
            boolean up = notifier.alive();
            reply(ex, up ? 200 : 503, "application/json", "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"openAlerts\":" + notifier.openAlerts() + "}");
        });
        server.start();
        log().info("notify: metrics and health on http://{}:{}/", bind, server.getAddress().getPort());
        return server;
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /**
     * Not a static field: picocli creates every command that has mixins when the command line is built, and a logger
     * made then would fix slf4j's target before {@code demo} points it at its log file.
     */
    private static Logger log() {
        return LoggerFactory.getLogger(NotifyCommand.class);
    }
}
