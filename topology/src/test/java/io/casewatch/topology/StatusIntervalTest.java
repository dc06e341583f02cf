package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.CaseStatus;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;
import io.casewatch.topology.TopologyRuntime;

/**
 * {@code cases.status.v1} is the latest state of each case (SPEC section 6): with a status interval, a case changed
 * several times within it is published once, with its latest figures; with none, every change is published.
 */
class StatusIntervalTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    /** Live: a coalesced status goes out on wall-clock time. */
    private static final TopologyRuntime LIVE = TopologyRuntime.live(Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));

    private static CasewatchTopology.Settings settings(Duration interval) {
        return CasewatchTopology.Settings.defaults(Topics.defaults(), PolicySet.presets())
                .withStatusInterval(interval);
    }

    private static void openAndWriteTwice(CaseDriver d, String caseId) {
        d.pipe(Events.opened(caseId, T0, "GB"));
        d.pipe(Events.inbound(caseId, T0.plus(Duration.ofMinutes(1))));
        d.pipe(Events.inbound(caseId, T0.plus(Duration.ofMinutes(2))));
    }

    @Test
    void withoutAnIntervalEveryChangeIsPublished() {
        try (CaseDriver d = new CaseDriver(settings(Duration.ZERO), LIVE)) {
            openAndWriteTwice(d, "c-1");
            assertThat(d.statuses()).extracting(CaseStatus::getInboundContacts).containsExactly(0, 1, 2);
        }
    }

    @Test
    void aCaseChangedThreeTimesWithinTheIntervalIsPublishedOnceWithItsLatestFigures() {
        try (CaseDriver d = new CaseDriver(settings(Duration.ofSeconds(1)), LIVE)) {
            openAndWriteTwice(d, "c-1");
            openAndWriteTwice(d, "c-2");
            assertThat(d.statuses()).as("nothing before the interval has passed").isEmpty();

            d.advanceWallClock(Duration.ofSeconds(1));
            assertThat(d.statuses()).extracting(CaseStatus::getCaseId, CaseStatus::getInboundContacts)
                    .containsExactly(tuple("c-1", 2), tuple("c-2", 2));

            d.advanceWallClock(Duration.ofSeconds(1));
            assertThat(d.statuses()).as("no change, no status").isEmpty();
        }
    }
}
