package io.casewatch.notify;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/** Alertmanager's v2 API, the two calls notify needs, on the JDK's HTTP client. */
final class AlertmanagerClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    AlertmanagerClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The answer to one post. */
    record Outcome(boolean accepted, boolean permanent, String reason) {
        static final Outcome OK = new Outcome(true, false, null);
    }

    /**
     * {@code POST /api/v2/alerts}. A 2xx is accepted; a 4xx other than 408 and 429 is permanent (the same alert would
     * be refused again); anything else (5xx, no answer) may pass on a retry.
     */
    Outcome post(URI base, Collection<AmAlert> alerts) {
        ArrayNode body = JSON.createArrayNode();
        alerts.forEach(a -> body.add(a.toJson()));
        try {
            HttpRequest req = HttpRequest.newBuilder(base.resolve("/api/v2/alerts")).timeout(timeout)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            int code = r.statusCode();
            if (code / 100 == 2) {
                return Outcome.OK;
            }
            String why = "Alertmanager " + base + " answered " + code + ": " + abbreviate(r.body());
            return new Outcome(false, code / 100 == 4 && code != 408 && code != 429, why);
        } catch (IOException e) {
            return new Outcome(false, false, "Alertmanager " + base + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, false, "interrupted");
        }
    }

    /** {@code GET /api/v2/alerts}: the active alerts (silenced and inhibited ones too) with these label matchers. */
    List<AmAlert> active(URI base, List<String> matchers) throws IOException, InterruptedException {
        StringBuilder q = new StringBuilder("/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true");
        for (String m : matchers) {
            q.append("&filter=").append(URLEncoder.encode(m, StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(q.toString())).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("Alertmanager " + base + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
        }
        List<AmAlert> out = new ArrayList<>();
        for (JsonNode n : JSON.readTree(r.body())) {
            out.add(AmAlert.fromJson(n));
        }
        return out;
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
