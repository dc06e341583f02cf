package io.casewatch.ops;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.streams.state.HostInfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Asks other instances of the application (their {@code application.server}) for what they hold: one by key, or all
 * of them in parallel under one deadline.
 */
final class Peers {
    static final String FORWARDED = "X-Casewatch-Forwarded";
    static final String SERVED_BY = "X-Casewatch-Served-By";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One deadline for a whole fan-out: every peer is asked at once, and what has not answered by then is missing. */
    static final Duration FAN_OUT_DEADLINE = Duration.ofSeconds(5);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * GET on every peer in parallel; returns when all answered or {@code deadline} passed, whichever is first. A peer
     * that failed or is still silent at the deadline gets a 502 reply (its request is cancelled).
     */
    Map<HostInfo, Queries.Reply> getAll(List<HostInfo> peers, String path, String query, String authorization,
            Duration deadline) {
        Map<HostInfo, CompletableFuture<Queries.Reply>> pending = new LinkedHashMap<>();
        for (HostInfo peer : peers) {
            pending.put(peer, getAsync(peer, path, query, authorization, deadline));
        }
        try {
            CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new))
                    .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the late ones are reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<HostInfo, Queries.Reply> out = new LinkedHashMap<>();
        pending.forEach((peer, f) -> {
            String who = peer.host() + ":" + peer.port();
            out.put(peer, f.isDone() && !f.isCompletedExceptionally() ? f.join()
                    : Queries.Reply.error(502, "instance " + who + " did not answer within " + deadline, who));
            f.cancel(true);
        });
        return out;
    }

    private CompletableFuture<Queries.Reply> getAsync(HostInfo peer, String path, String query, String authorization,
            Duration timeout) {
        String who = peer.host() + ":" + peer.port();
        HttpRequest req;
        try {
            URI uri = new URI("http", null, peer.host(), peer.port(), path, query, null);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header(FORWARDED, "1").GET();
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            req = b.build();
        } catch (URISyntaxException e) {
            return CompletableFuture.completedFuture(Queries.Reply.error(502, "instance " + who + ": " + e.getMessage(), who));
        }
        return client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
            if (e != null) {
                return Queries.Reply.error(502, "instance " + who + " did not answer: " + e.getMessage(), who);
            }
            try {
                return new Queries.Reply(r.statusCode(), JSON.readTree(r.body()), r.headers().firstValue(SERVED_BY).orElse(who));
            } catch (IOException bad) {
                return Queries.Reply.error(502, "instance " + who + " answered no JSON: " + bad.getMessage(), who);
            }
        });
    }

    /** GET {@code path?query} on the peer with the caller's credentials; a failure becomes a 502 reply. */
    Queries.Reply get(HostInfo peer, String path, String query, String authorization) {
        String who = peer.host() + ":" + peer.port();
        try {
            URI uri = new URI("http", null, peer.host(), peer.port(), path, query, null);
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).header(FORWARDED, "1").GET();
            if (authorization != null) {
                req.header("Authorization", authorization);
            }
            HttpResponse<String> r = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            return new Queries.Reply(r.statusCode(), body, r.headers().firstValue(SERVED_BY).orElse(who));
        } catch (IOException | URISyntaxException e) {
            return Queries.Reply.error(502, "instance " + who + " did not answer: " + e.getMessage(), who);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Queries.Reply.error(502, "interrupted while asking " + who, who);
        }
    }
}
