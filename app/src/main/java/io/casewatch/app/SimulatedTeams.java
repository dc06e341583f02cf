package io.casewatch.app;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;

import io.casewatch.loops.SimHash;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.Level;

/**
 * The people of the demo: a team takes ownership of most alerts within minutes, as a staffed desk does, and lets
 * some go unanswered, so that the escalation ladder shows what it is for instead of being all there is to see.
 * Deterministic per alert id: the same run tells the same story.
 */
final class SimulatedTeams {

    /** Share of alerts a team acknowledges. */
    static final double ACK_SHARE = 0.85;
    static final Duration FASTEST = Duration.ofMinutes(2);
    static final Duration SLOWEST = Duration.ofMinutes(20);

    private final long seed;

    SimulatedTeams(long seed) {
        this.seed = seed;
    }

    /** The ack a team sends for a newly published alert, at its simulated time, or none (left to escalate). */
    Optional<EscalationAck> respond(Alert a) {
        // ALERT_STORM folds many cases' alerts: it belongs to no case, so there is nothing to acknowledge on one.
        if (a.getStatus() != AlertStatus.OPEN || a.getKind() == AlertKind.ALERT_STORM || a.getKind() == AlertKind.UNKNOWN) {
            return Optional.empty();
        }
        SplittableRandom r = new SplittableRandom(seed ^ SimHash.hash64(a.getAlertId()));
        if (r.nextDouble() >= ACK_SHARE) {
            return Optional.empty();
        }
        long delay = FASTEST.toMillis() + r.nextLong(SLOWEST.toMillis() - FASTEST.toMillis() + 1);
        Instant at = a.getDetectedAt().plusMillis(delay);
        return Optional.of(EscalationAck.newBuilder().setEventId("demo-ack-" + a.getAlertId()).setCaseId(a.getCaseId())
                .setAlertId(a.getAlertId()).setLevel(a.getLevel()).setTeam(team(a.getLevel())).setOccurredAt(at).build());
    }

    static String team(Level level) {
        return switch (level) {
            case L1 -> "team-lead";
            case L2 -> "complaints-office";
            case L3 -> "compliance";
        };
    }
}
