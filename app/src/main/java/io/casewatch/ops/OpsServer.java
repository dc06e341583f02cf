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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * The HTTP endpoint of one instance (SPEC section 7), on the JDK's own HTTP server (docs/decisions.md: why not a
 * server library), with probes and queries on separate threads:
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
    private final ExecutorService queryExecutor;
    private volatile QueryRouter queries;

    private OpsServer(HttpServer server, ExecutorService executor, ExecutorService queryExecutor, HttpSettings settings, Supplier<String> metrics,
            Readiness readiness) {
        this.server = server;
        this.executor = executor;
        this.queryExecutor = queryExecutor;
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
        // Two pools: the server's own threads answer probes, metrics and the page, and never run a query; queries
        // (which may wait on every other instance) run on theirs, with a bounded queue.
        ExecutorService executor = Executors.newFixedThreadPool(2, daemon("casewatch-http"));
        ExecutorService queryExecutor = new ThreadPoolExecutor(QUERY_THREADS, QUERY_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUERY_QUEUE), daemon("casewatch-query"));
        OpsServer ops = new OpsServer(server, executor, queryExecutor, settings, metrics, readiness);
        server.setExecutor(executor);
        server.createContext("/", ops::handle);
        server.start();
        LOG.info("HTTP endpoint on http://{}:{}/ (queries {})", settings.bind(), ops.port(),
                settings.token() == null ? "disabled: no casewatch.http.token" : "need the bearer token");
        return ops;
    }

    /** Threads answering queries, and queries waiting for one before new ones get 503. */
    static final int QUERY_THREADS = 4;
    static final int QUERY_QUEUE = 32;

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts answering queries over the running instance's stores. */
    void attach(Queries q) {
        attach((QueryRouter) q::route);
    }

    void attach(QueryRouter q) {
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
        boolean handedOff = false;
        try {
            handedOff = route(ex);
        } finally {
            // A query handed to the query threads is closed by them once answered.
            if (!handedOff) {
                ex.close();
            }
        }
    }

    /** @return whether the exchange went to the query threads */
    private boolean route(HttpExchange ex) throws IOException {
        try {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                send(ex, 405, error("only GET"));
                return false;
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
                default -> {
                    return query(ex, path);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} failed", ex.getRequestURI(), e);
            send(ex, 500, error("internal error: " + e.getClass().getSimpleName()));
        }
        return false;
    }

    /** @return whether the exchange went to the query threads */
    private boolean query(HttpExchange ex, String path) throws IOException {
        if (!path.equals("/cases") && !path.startsWith("/cases/") && !path.equals("/merchants") && !path.startsWith("/merchants/")
                && !path.equals("/alerts")) {
            send(ex, 404, error("no such endpoint: " + path));
            return false;
        }
        if (token == null) {
            send(ex, 403, error("queries are disabled: no casewatch.http.token is configured"));
            return false;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (!token.accepts(auth)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"casewatch\"");
            send(ex, 401, error("a valid bearer token is required"));
            return false;
        }
        QueryRouter q = queries;
        if (q == null) {
            send(ex, 503, error("starting; retry"));
            return false;
        }
        Map<String, String> params = params(ex.getRequestURI().getRawQuery());
        boolean forwarded = ex.getRequestHeaders().containsKey(Peers.FORWARDED);
        int limit = limit(params.get("limit"));
        // Queries may fan out to every instance and wait for the slowest: they run on their own threads, so that
        // /health and /ready (on the server's threads) never queue behind them and a busy instance is not restarted
        // or taken out of the Service for it. A full query queue answers 503 at once instead of growing.
        try {
            queryExecutor.execute(() -> answer(ex, q, path, params, forwarded, auth, limit));
            return true;
        } catch (RejectedExecutionException busy) {
            ex.getResponseHeaders().set("Retry-After", "1");
            send(ex, 503, error("too many queries in progress; retry"));
            return false;
        }
    }

    private static void answer(HttpExchange ex, QueryRouter q, String path, Map<String, String> params, boolean forwarded, String auth,
            int limit) {
        try {
            Queries.Reply r = q.route(path, params, forwarded, auth, limit);
            ex.getResponseHeaders().set(Peers.SERVED_BY, r.servedBy());
            send(ex, r.status(), r.body());
        } catch (IOException | RuntimeException e) {
            LOG.warn("HTTP {} failed: {}", ex.getRequestURI(), e.toString());
            try {
                send(ex, 500, error("internal error: " + e.getClass().getSimpleName()));
            } catch (IOException | RuntimeException gone) {
                // the client has gone; nothing to tell it
            }
        } finally {
            ex.close();
        }
    }

    /** An authorised query's answer: {@link Queries#route} in an instance, anything in a test. */
    @FunctionalInterface
    interface QueryRouter {
        Queries.Reply route(String path, Map<String, String> params, boolean forwarded, String auth, int limit);
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
        queryExecutor.shutdownNow();
    }
}
