package io.casewatch.ops;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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
    java.util.Map<HostInfo, Queries.Reply> getAll(java.util.List<HostInfo> peers, String path, String query, String authorization,
            Duration deadline) {
        java.util.Map<HostInfo, java.util.concurrent.CompletableFuture<Queries.Reply>> pending = new java.util.LinkedHashMap<>();
        for (HostInfo peer : peers) {
            pending.put(peer, getAsync(peer, path, query, authorization, deadline));
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(pending.values().toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // the late ones are reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        java.util.Map<HostInfo, Queries.Reply> out = new java.util.LinkedHashMap<>();
        pending.forEach((peer, f) -> {
            String who = peer.host() + ":" + peer.port();
            out.put(peer, f.isDone() && !f.isCompletedExceptionally() ? f.join()
                    : Queries.Reply.error(502, "instance " + who + " did not answer within " + deadline, who));
            f.cancel(true);
        });
        return out;
    }

    private java.util.concurrent.CompletableFuture<Queries.Reply> getAsync(HostInfo peer, String path, String query, String authorization,
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
            return java.util.concurrent.CompletableFuture.completedFuture(Queries.Reply.error(502, "instance " + who + ": " + e.getMessage(), who));
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
