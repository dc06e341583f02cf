package io.casewatch.ops;

import java.util.Objects;

/**
 * Where the operations endpoint listens and how queries are authorised.
 *
 * @param bind           address to bind (127.0.0.1 unless the instance must be reached from elsewhere)
 * @param port           port; 0 takes a free one (see {@link OpsServer#port()})
 * @param advertisedHost how other instances reach this one ({@code application.server}); null: the bind address, or
 *                       this machine's host name when bound to all interfaces
 * @param token          the bearer token queries need; null disables the queries (metrics and health stay open)
 */
public record HttpSettings(String bind, int port, String advertisedHost, String token) {
    public HttpSettings {
        Objects.requireNonNull(bind, "bind");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the HTTP token must not be blank");
        }
    }

    @Override
    public String toString() {
        // Never print the token.
        return "HttpSettings[bind=" + bind + ", port=" + port + ", advertisedHost=" + advertisedHost + ", token="
                + (token == null ? "none" : "set") + "]";
    }
}
