package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.casewatch.app.AppConfig;
import io.casewatch.broker.LocalKafka;

/**
 * SPEC section 8 / issue 8: faults on a real broker with the application instances as separate processes. In each
 * scenario a workload is fed while the fault happens, one heartbeat at the cutoff ends it (replay's {@code --until}),
 * and the alerts read back (read_committed) must be exactly those {@code replay} computes from the same events: none
 * missing, none duplicated, none extra, same detection instants; on the reference model's cases, exactly the alerts
 * the model computes; every record accounted for from the outputs ({@link FaultScenario}). How long recovery took
 * and with how much state is printed (docs/reliability.md keeps the figures). The three-broker faults are in
 * {@link ClusterFaultsIT}.
 */
class FaultToleranceIT {

    /**
     * No heartbeats from the instances: an instance restarted mid-history would stamp "now" on its task and turn the
     * rest of the history into late data. The history ends with its own heartbeat. Storms are folded per task and
     * replay has one: a cap nobody reaches keeps the two comparable. Records of one case on two topics become
     * visible to a task a little apart; what arrives later than the lateness grace (plus max.task.idle.ms) is late
     * data and may change alerts, so a starved test machine (a second build) needs more than the default 500 ms.
     */
    private static final Map<String, String> SETTINGS = Map.of(AppConfig.STORM_CAP, "1000000", AppConfig.TICK, "PT0S",
            AppConfig.GRACE, "PT5S");
    /** A dead member leaves the group after this: the classic protocol cannot know a SIGKILLed member is gone sooner. */
    private static final Map<String, String> CLIENT = Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500");

    private static FaultScenario.Plan plan;

    @BeforeAll
    static void replayTheWorkload() throws Exception {
        plan = FaultScenario.Plan.prepare(300, SETTINGS);
    }

    @Test
    void instanceKilledWithSigkillMidStreamAndRestartedLosesAndDuplicatesNothing() throws Exception {
        try (Scenario s = new Scenario("kill9")) {
            AppProcess a = s.app("a");
            AppProcess b = s.app("b");
            s.awaitReady(a, b);
            s.feed.start();
            s.feed.awaitSent(s.feed.size() / 3);
            s.awaitProcessedSomething();
            long stateBytes = s.stateBytes("a");
            long killedAt = System.nanoTime();
            a.kill();
            s.feed.awaitSent(2 * s.feed.size() / 3);
            long restartedAt = System.nanoTime();
            a.restart();
            s.awaitReady(a);
            long readyMs = (System.nanoTime() - restartedAt) / 1_000_000;
            s.feed.joinFeed();
            s.awaitCaughtUp();
            long caughtUpMs = (System.nanoTime() - killedAt) / 1_000_000;
            s.finishAndCompare(String.format("kill -9: killed instance held %,d bytes of state on disk; ready %d ms after its restart;"
                    + " everything fed processed %d ms after the kill; changelogs %,d records", stateBytes, readyMs, caughtUpMs, s.changelogRecords()));
        }
    }

    @Test
    void brokerRestartedMidStreamLosesAndDuplicatesNothing() throws Exception {
        try (Scenario s = new Scenario("broker")) {
            AppProcess a = s.app("a");
            AppProcess b = s.app("b");
            s.awaitReady(a, b);
            s.feed.start();
            s.feed.awaitSent(s.feed.size() / 2);
            s.awaitProcessedSomething();
            long stoppedAt = System.nanoTime();
            s.kafka.restart();
            long backMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            s.feed.joinFeed();
            s.awaitCaughtUp();
            long caughtUpMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            assertThat(a.alive() && b.alive()).as("both instances survive the broker's restart").isTrue();
            s.finishAndCompare(String.format("broker restart: broker back %d ms after the stop; everything fed processed %d ms after the stop;"
                    + " changelogs %,d records", backMs, caughtUpMs, s.changelogRecords()));
        }
    }

    @Test
    void instanceAddedMidStreamLosesAndDuplicatesNothing() throws Exception {
        try (Scenario s = new Scenario("scale")) {
            AppProcess a = s.app("a");
            s.awaitReady(a);
            s.feed.start();
            s.feed.awaitSent(s.feed.size() / 3);
            s.awaitProcessedSomething();
            long addedAt = System.nanoTime();
            AppProcess b = s.app("b");
            s.awaitReady(b);
            long readyMs = (System.nanoTime() - addedAt) / 1_000_000;
            s.feed.joinFeed();
            s.awaitCaughtUp();
            s.finishAndCompare(String.format("scale-out: added instance ready %d ms after its start; changelogs %,d records", readyMs,
                    s.changelogRecords()));
        }
    }

    /** A scenario on one single-node broker (in this JVM, restartable on the same ports and data). */
    private static final class Scenario implements AutoCloseable {
        final LocalKafka kafka;
        final FaultScenario s;
        final FaultScenario.Feed feed;

        Scenario(String name) throws Exception {
            kafka = ItSupport.brokerWithTopics(FaultScenario.PARTITIONS);
            s = new FaultScenario(name, plan, kafka.bootstrapServers(), kafka, CLIENT);
            feed = s.feed;
        }

        AppProcess app(String name) throws IOException {
            return s.app(name);
        }

        void awaitReady(AppProcess... ps) {
            s.awaitReady(ps);
        }

        void awaitProcessedSomething() {
            s.awaitProcessedSomething();
        }

        void awaitCaughtUp() throws Exception {
            s.awaitCaughtUp();
        }

        long stateBytes(String name) throws IOException {
            return s.stateBytes(name);
        }

        long changelogRecords() throws Exception {
            return s.changelogRecords();
        }

        void finishAndCompare(String figures) throws Exception {
            s.finishAndCompare(figures);
        }

        @Override
        public void close() throws Exception {
            s.close();
        }
    }
}
