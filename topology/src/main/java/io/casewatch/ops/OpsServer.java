package io.casewatch.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP endpoint of one instance (SPEC section 7), on the JDK's own HTTP server:
 * <ul>
 * <li>{@code /metrics} (Prometheus text), {@code /health} (liveness), {@code /ready} (readiness): no token;</li>
 * <li>{@code /cases/{caseId}}, {@code /cases/{caseId}/timeline} (events, clock bars, alerts; no text), {@code /cases?state=at-risk|breached}, {@code /merchants}, {@code /merchants/{id}},
 * {@code /alerts}: JSON, with {@code Authorization: Bearer <token>};</li>
 * <li>{@code /}: the live page, a static file that holds no data; it reads its token from the URL fragment
 * ({@code #token=...}), which browsers never send to the server, and sends it as a bearer header.</li>
 * </ul>
 * It is bound before Kafka Streams starts (so that {@code application.server} can name the port actually taken)
 * and answers queries once {@link #attach} gave it the running instance.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpSettings settings;
    private final Supplier<String> metrics;
    private final BearerToken token;
    private final Readiness readiness;
    private final byte[] page;
    private volatile Queries queries;

    private OpsServer(HttpServer server, ExecutorService executor, HttpSettings settings, Supplier<String> metrics, Readiness readiness) {
        this.server = server;
        this.executor = executor;
        this.settings = settings;
        this.metrics = metrics;
        this.readiness = readiness;
        this.token = settings.token() == null ? null : new BearerToken(settings.token());
        this.page = resource("/casewatch/ops/live.html");
    }

    /**
     * Binds and starts serving health and metrics.
     *
     * @param metrics the Prometheus text exposition, produced on each scrape
     */
    public static OpsServer start(HttpSettings settings, Supplier<String> metrics, Readiness readiness) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(settings.bind()), settings.port()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the HTTP endpoint to " + settings.bind() + ":" + settings.port(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "casewatch-http");
            t.setDaemon(true);
            return t;
        });
        OpsServer ops = new OpsServer(server, executor, settings, metrics, readiness);
        server.setExecutor(executor);
        server.createContext("/", ops::handle);
        server.start();
        LOG.info("HTTP endpoint on http://{}:{}/ (queries {})", settings.bind(), ops.port(),
                settings.token() == null ? "disabled: no casewatch.http.token" : "need the bearer token");
        return ops;
    }

    /** Starts answering queries over the running instance's stores. */
    void attach(Queries q) {
        this.queries = q;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code host:port} other instances use to reach this one: the value of {@code application.server}. */
    public String advertised() {
        String host = settings.advertisedHost();
        if (host == null) {
            InetAddress bound = server.getAddress().getAddress();
            if (bound.isAnyLocalAddress()) {
                try {
                    host = InetAddress.getLocalHost().getHostName();
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("bound to all interfaces and this host has no resolvable name: set "
                            + "casewatch.http.advertised.host", e);
                }
            } else {
                host = bound.getHostAddress();
            }
        }
        return host + ":" + port();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                send(ex, 405, error("only GET"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/", "/index.html" -> sendBytes(ex, 200, "text/html; charset=utf-8", page);
                case "/metrics" -> sendBytes(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.get().getBytes(StandardCharsets.UTF_8));
                case "/health" -> send(ex, readiness.live() ? 200 : 503, F.objectNode()
                        .put("status", readiness.live() ? "UP" : "DOWN").put("state", readiness.state()));
                case "/ready" -> send(ex, readiness.ready() ? 200 : 503, F.objectNode()
                        .put("ready", readiness.ready()).put("state", readiness.state())
                        .put("restoringPartitions", readiness.restoringPartitions()));
                default -> query(ex, path);
            }
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} failed", ex.getRequestURI(), e);
            send(ex, 500, error("internal error: " + e.getClass().getSimpleName()));
        }
    }

    private void query(HttpExchange ex, String path) throws IOException {
        if (!path.equals("/cases") && !path.startsWith("/cases/") && !path.equals("/merchants") && !path.startsWith("/merchants/")
                && !path.equals("/alerts")) {
            send(ex, 404, error("no such endpoint: " + path));
            return;
        }
        if (token == null) {
            send(ex, 403, error("queries are disabled: no casewatch.http.token is configured"));
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (!token.accepts(auth)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"casewatch\"");
            send(ex, 401, error("a valid bearer token is required"));
            return;
        }
        Queries q = queries;
        if (q == null) {
            send(ex, 503, error("starting; retry"));
            return;
        }
        Map<String, String> params = params(ex.getRequestURI().getRawQuery());
        boolean forwarded = ex.getRequestHeaders().containsKey(Peers.FORWARDED);
        boolean local = "local".equals(params.get("scope"));
        int limit = limit(params.get("limit"));
        Queries.Reply r;
        if (path.startsWith("/cases/") && path.endsWith(Queries.TIMELINE)) {
            r = q.caseTimeline(path.substring("/cases/".length(), path.length() - Queries.TIMELINE.length()), forwarded, auth);
        } else if (path.startsWith("/cases/")) {
            r = q.caseStatus(path.substring("/cases/".length()), forwarded, auth);
        } else if (path.equals("/cases")) {
            r = q.cases(params.get("state"), limit, local, auth);
        } else if (path.startsWith("/merchants/")) {
            r = q.merchant(path.substring("/merchants/".length()), forwarded, auth);
        } else if (path.equals("/merchants")) {
            r = q.merchants(local, auth);
        } else {
            r = q.recentAlerts(Math.min(limit, 200), local, auth);
        }
        ex.getResponseHeaders().set(Peers.SERVED_BY, r.servedBy());
        send(ex, r.status(), r.body());
    }

    private static int limit(String v) {
        try {
            return v == null ? Queries.DEFAULT_LIMIT : Math.max(1, Math.min(10_000, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            return Queries.DEFAULT_LIMIT;
        }
    }

    private static Map<String, String> params(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            out.put(k, eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static JsonNode error(String message) {
        return F.objectNode().put("error", message);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        sendBytes(ex, status, "application/json; charset=utf-8", bytes);
    }

    private static void sendBytes(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = OpsServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
