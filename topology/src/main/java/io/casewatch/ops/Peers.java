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

/** Asks another instance of the application (its {@code application.server}) for what it holds. */
final class Peers {
    static final String FORWARDED = "X-Casewatch-Forwarded";
    static final String SERVED_BY = "X-Casewatch-Served-By";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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
