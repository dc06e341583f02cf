package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.CaseState;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

/**
 * Deadlines safe by construction: a deadline fires only once every input partition of its task is known to have
 * moved past it, by its own records or by a heartbeat that proves it caught up. The test driver reads every record
 * as it is piped; a partition whose latest records have been appended but not yet fetched, the race that made false
 * breaches, is played by marking it as lagging: heartbeats then cannot prove it.
 */
class DeadlineGateTest {

    /** Monday morning: a GB case's first response is due within one business day. */
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Instant REPLY = T0.plus(Duration.ofHours(20));
    private static final Instant AFTER_DEADLINE = T0.plus(Duration.ofDays(3));

    private final Topics topics = Topics.defaults();

    /** Counts what the intake handled, as the stream thread's consumer does, with partitions that can be held back. */
    private static final class Progress implements InputProgress {
        final Map<String, Long> handled = new HashMap<>();
        final Set<String> lagging = new HashSet<>();

        @Override
        public void handled(String topic, int partition, long offset) {
            handled.merge(topic, offset, Math::max);
        }

        @Override
        public boolean caughtUp(String topic, int partition, long endOffset) {
            return !lagging.contains(topic) && handled.getOrDefault(topic, -1L) + 1 >= endOffset;
        }

        /** The end offsets a heartbeat would carry: one past every record handled, one more where a partition lags. */
        Map<String, Long> ends(Topics t) {
            Map<String, Long> ends = new HashMap<>();
            for (String topic : new String[] {t.complaints().name(), t.contacts().name(), t.acks().name()}) {
                ends.put(topic, handled.getOrDefault(topic, -1L) + 1 + (lagging.contains(topic) ? 1 : 0));
            }
            return ends;
        }
    }

    private static final CasewatchTopology.Settings SETTINGS = CasewatchTopology.Settings.defaults(Topics.defaults(), PolicySet.presets());

    private static TopologyRuntime runtime(InputProgress progress) {
        return TopologyRuntime.live(Clock.fixed(AFTER_DEADLINE.plus(Duration.ofDays(1)), ZoneOffset.UTC)).withInputProgress(progress);
    }

    private static boolean breached(CaseDriver d) {
        return d.alerts().stream().map(Alert::getKind).anyMatch(k -> k == AlertKind.FIRST_RESPONSE_BREACH);
    }

    @Test
    void aReplyStillUnreadOnTheContactsPartitionHoldsTheDeadlineItMet() {
        Progress progress = new Progress();
        try (CaseDriver d = new CaseDriver(SETTINGS, runtime(progress))) {
            d.pipe(Events.opened("c-1", T0, "GB"));
            d.heartbeat(T0.plus(Duration.ofMinutes(1)), progress.ends(topics));

            // The reply is in the contacts partition but not fetched yet when the next heartbeat is read.
            progress.lagging.add(topics.contacts().name());
            d.heartbeat(AFTER_DEADLINE, progress.ends(topics));
            assertThat(breached(d)).as("the contacts partition is not proven past the deadline").isFalse();

            progress.lagging.clear();
            d.pipe(Events.agentReply("c-1", REPLY, "We have refunded you today.", "en"));
            d.heartbeat(AFTER_DEADLINE.plusSeconds(1), progress.ends(topics));
            assertThat(breached(d)).as("answered before the deadline").isFalse();
        }
    }

    @Test
    void onStreamTimeAloneTheSameOrderRaisesAFalseBreach() {
        try (CaseDriver d = new CaseDriver(SETTINGS, runtime(InputProgress.STREAM_TIME))) {
            d.pipe(Events.opened("c-1", T0, "GB"));
            d.tick(AFTER_DEADLINE);
            d.pipe(Events.agentReply("c-1", REPLY, "We have refunded you today.", "en"));
            assertThat(breached(d)).as("the heartbeat passed the deadline before the reply was read").isTrue();
        }
    }

    @Test
    void partitionsProvenCaughtUpLetADeadlineWithNoReplyFire() {
        Progress progress = new Progress();
        try (CaseDriver d = new CaseDriver(SETTINGS, runtime(progress))) {
            d.pipe(Events.opened("c-1", T0, "GB"));
            d.heartbeat(AFTER_DEADLINE, progress.ends(topics));
            assertThat(breached(d)).isTrue();
        }
    }

    @Test
    void aPartitionNeverProvenHoldsEveryDeadline() {
        Progress progress = new Progress();
        progress.lagging.add(Topics.defaults().acks().name());
        try (CaseDriver d = new CaseDriver(SETTINGS, runtime(progress))) {
            d.pipe(Events.opened("c-1", T0, "GB"));
            d.heartbeat(AFTER_DEADLINE, progress.ends(topics));
            assertThat(breached(d)).as("the acks partition has not been proven past the deadline").isFalse();

            progress.lagging.clear();
            d.heartbeat(AFTER_DEADLINE.plusSeconds(1), progress.ends(topics));
            assertThat(breached(d)).isTrue();
        }
    }

    @Test
    void aLaterEventOfTheCaseWaitsForTheReplyStillUnreadOnAnotherPartition() {
        Progress progress = new Progress();
        try (CaseDriver d = new CaseDriver(SETTINGS, runtime(progress))) {
            d.pipe(Events.opened("c-1", T0, "GB"));
            d.heartbeat(T0.plus(Duration.ofMinutes(1)), progress.ends(topics));

            // The reply is in the contacts partition but not fetched yet (a failover); the resolution, read first, is
            // days later, like the heartbeats.
            progress.lagging.add(topics.contacts().name());
            d.heartbeat(AFTER_DEADLINE, progress.ends(topics));
            d.pipe(Events.resolved("c-1", AFTER_DEADLINE));
            assertThat(breached(d)).as("the resolution waits: applying it would fire the deadline past the gate").isFalse();
            assertThat(d.lastStatus().getState()).as("not applied yet").isEqualTo(CaseState.OPEN);

            progress.lagging.clear();
            d.pipe(Events.agentReply("c-1", REPLY, "We have refunded you today.", "en"));
            d.heartbeat(AFTER_DEADLINE.plusSeconds(1), progress.ends(topics));
            assertThat(breached(d)).as("answered before the deadline").isFalse();
            assertThat(d.lastStatus().getState()).as("the resolution applied after the reply").isEqualTo(CaseState.RESOLVED);
            assertThat(d.lastStatus().getOutboundContacts()).isEqualTo(1);
        }
    }

    @Test
    void onStreamTimeAloneALaterEventOfTheCaseFiresTheDeadlineBeforeTheReply() {
        try (CaseDriver d = new CaseDriver(SETTINGS, runtime(InputProgress.STREAM_TIME))) {
            d.pipe(Events.opened("c-1", T0, "GB"));
            d.pipe(Events.resolved("c-1", AFTER_DEADLINE));
            d.pipe(Events.agentReply("c-1", REPLY, "We have refunded you today.", "en"));
            assertThat(breached(d)).as("the resolution was applied before the reply was read").isTrue();
        }
    }

    @Test
    void anEventStampedAheadOfTheDeploymentsClockIsAppliedOnceEveryPartitionIsProvenToNow() {
        Progress progress = new Progress();
        Instant now = T0.plus(Duration.ofMinutes(1));
        try (CaseDriver d = new CaseDriver(SETTINGS, TopologyRuntime.live(Clock.fixed(now, ZoneOffset.UTC)).withInputProgress(progress))) {
            d.pipe(Events.opened("c-1", T0, "GB"));
            d.heartbeat(now, progress.ends(topics));
            // A producer whose clock is fast: nothing can be proven beyond "now", so it is not kept waiting for it.
            d.pipe(Events.inbound("c-1", T0.plus(Duration.ofMinutes(20))));
            assertThat(d.lastStatus().getInboundContacts()).isEqualTo(1);
        }
    }

    @Test
    void aCaseThatKeepsTooManyEventsWaitingHasThemAppliedInTheirOrder() {
        Progress progress = new Progress();
        progress.lagging.add(topics.acks().name());
        try (CaseDriver d = new CaseDriver(SETTINGS, runtime(progress))) {
            // The acks partition is never proven: the opening and every contact after it wait.
            d.pipe(Events.opened("c-1", T0, "GB"));
            for (int i = 1; i < GateHold.MAX_EVENTS; i++) {
                d.pipe(Events.inbound("c-1", AFTER_DEADLINE.plusSeconds(i)));
            }
            assertThat(d.statuses()).as("nothing applied yet").isEmpty();

            d.pipe(Events.inbound("c-1", AFTER_DEADLINE.plusSeconds(GateHold.MAX_EVENTS)));
            assertThat(breached(d)).as("past the bound the case goes on without the gate").isTrue();
            assertThat(d.lastStatus().getInboundContacts()).isEqualTo(GateHold.MAX_EVENTS);
        }
    }
}
