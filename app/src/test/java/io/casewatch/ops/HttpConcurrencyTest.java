package io.casewatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;

/**
 * Issue 19 item 5: probes never queue behind queries, and a fan-out asks every peer at once under one deadline. Real
 * HTTP servers on 127.0.0.1 throughout; the "peers" are JDK servers whose answers wait on latches.
 */
class HttpConcurrencyTest {
    private static final String TOKEN = "0123456789abcdef0123";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void probesAnswerWhileEveryQueryThreadWaitsAndExcessQueriesAreTurnedAwayAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(OpsServer.QUERY_THREADS);
        OpsServer server = OpsServer.start(new HttpSettings("127.0.0.1", 0, null, TOKEN), () -> "up 1\n", new Readiness());
        try {
            server.attach((path, params, forwarded, auth, limit) -> {
                running.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS); // a fan-out waiting on a slow instance
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new Queries.Reply(200, JsonNodeFactory.instance.objectNode().put("ok", true), "self");
            });
            String base = "http://127.0.0.1:" + server.port();
            List<CompletableFuture<HttpResponse<String>>> queries = new ArrayList<>();
            int sent = OpsServer.QUERY_THREADS + OpsServer.QUERY_QUEUE + 3;
            for (int i = 0; i < sent; i++) {
                queries.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/cases?state=breached")).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()));
            }
            assertThat(running.await(10, TimeUnit.SECONDS)).as("every query thread busy").isTrue();

            long t0 = System.nanoTime();
            assertThat(get(base + "/health").statusCode()).isEqualTo(200);
            assertThat(get(base + "/ready").statusCode()).isEqualTo(503); // no Kafka Streams attached: not ready, but answered
            assertThat(get(base + "/metrics").body()).contains("up 1");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("probes while queries wait").isLessThan(Duration.ofSeconds(2));

            release.countDown();
            List<Integer> codes = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> q : queries) {
                codes.add(q.get(30, TimeUnit.SECONDS).statusCode());
            }
            assertThat(codes).contains(200, 503).containsOnly(200, 503);
            assertThat(codes.stream().filter(c -> c == 200).count()).isGreaterThanOrEqualTo(OpsServer.QUERY_THREADS + OpsServer.QUERY_QUEUE);
        } finally {
            release.countDown();
            server.close();
        }
    }

    @Test
    void aFanOutAsksEveryPeerAtOnceAndASilentOneCostsTheDeadlineOnce() throws Exception {
        // Three peers that answer only once all three have been asked: a one-by-one fan-out would never complete.
        CountDownLatch allAsked = new CountDownLatch(3);
        CountDownLatch never = new CountDownLatch(1);
        List<HttpServer> servers = new ArrayList<>();
        try {
            List<HostInfo> together = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                together.add(peer(servers, allAsked, true));
            }
            Peers peers = new Peers();
            long t0 = System.nanoTime();
            Map<HostInfo, Queries.Reply> replies = peers.getAll(together, "/cases", "scope=local", "Bearer " + TOKEN, Duration.ofSeconds(5));
            assertThat(replies.values()).extracting(Queries.Reply::status).containsOnly(200).hasSize(3);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));

            // One peer that never answers and two that answer at once: one deadline for all, the silent one reported.
            HostInfo silent = peer(servers, never, false);
            CountDownLatch open = new CountDownLatch(0);
            List<HostInfo> mixed = List.of(peer(servers, open, true), silent, peer(servers, open, true));
            t0 = System.nanoTime();
            replies = peers.getAll(mixed, "/cases", "scope=local", "Bearer " + TOKEN, Duration.ofMillis(700));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(650)).isLessThan(Duration.ofMillis(2_000));
            assertThat(replies.get(silent).status()).isEqualTo(502);
            assertThat(replies.get(silent).body().path("error").asText()).contains("did not answer within PT0.7S");
            assertThat(replies.values()).extracting(Queries.Reply::status).containsExactly(200, 502, 200);
        } finally {
            never.countDown();
            servers.forEach(s -> s.stop(0));
        }
    }

    /** A peer whose answer waits until {@code gate} opens (counting its own request down first when {@code counts}). */
    private static HostInfo peer(List<HttpServer> servers, CountDownLatch gate, boolean counts) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        s.createContext("/", ex -> {
            try (ex) {
                if (counts) {
                    gate.countDown();
                }
                gate.await(20, TimeUnit.SECONDS);
                byte[] body = "{\"cases\":[]}".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.start();
        servers.add(s);
        return new HostInfo("127.0.0.1", s.getAddress().getPort());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
