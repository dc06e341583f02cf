package io.casewatch.notify;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What {@code casewatch notify} does, immutable; every default is here (docs/configuration.md lists them).
 *
 * @param alertmanagers  the Alertmanager base URLs ({@code http://host:9093}); an alert counts as delivered when every
 *                       one of them accepted it (Alertmanager replicas do not share alerts: clients send to each)
 * @param caseUrl        link to a case, {@code {caseId}} replaced (the annotation {@code caseUrl} and generatorURL)
 * @param deployment     value of the {@code deployment} label: tells this deployment's alerts from another's in a
 *                       shared Alertmanager, and selects which active alerts are taken over at start
 * @param group          consumer group of the escalation topics
 * @param resendEvery    how often open alerts are re-posted; each post sets {@code endsAt} to 4 of these from now
 * @param giveUpAfter    how long a failing delivery is retried before the alert is dead-lettered with the reason
 * @param requestTimeout one HTTP request to Alertmanager
 */
public record NotifySettings(List<URI> alertmanagers, String caseUrl, String deployment, String group, Duration resendEvery,
        Duration giveUpAfter, Duration requestTimeout, Duration firstBackoff, Duration maxBackoff) {

    public static final String DEFAULT_CASE_URL = "http://casewatch:8080/#case={caseId}";
    public static final String DEFAULT_DEPLOYMENT = "casewatch";
    public static final String DEFAULT_GROUP = "casewatch-notify";
    public static final Duration DEFAULT_RESEND = Duration.ofMinutes(1);
    public static final Duration DEFAULT_GIVE_UP = Duration.ofMinutes(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    /** Open alerts end this many re-send intervals after a post unless re-posted (Prometheus' own convention). */
    public static final int ENDS_AFTER_RESENDS = 4;

    public NotifySettings {
        alertmanagers = List.copyOf(alertmanagers);
        if (alertmanagers.isEmpty()) {
            throw new IllegalArgumentException("no Alertmanager URL");
        }
    }

    /** Defaults for everything but the Alertmanager URLs. */
    public static NotifySettings defaults(List<URI> alertmanagers) {
        return new NotifySettings(alertmanagers, DEFAULT_CASE_URL, DEFAULT_DEPLOYMENT, DEFAULT_GROUP, DEFAULT_RESEND, DEFAULT_GIVE_UP,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_FIRST_BACKOFF, DEFAULT_MAX_BACKOFF);
    }

    /** How long after a post an open alert stays active in Alertmanager without another. */
    public Duration openFor() {
        return resendEvery.multipliedBy(ENDS_AFTER_RESENDS);
    }
}
