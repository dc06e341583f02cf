package io.casewatch.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import io.casewatch.escalation.EscalationRules;
import io.casewatch.replay.Replay;
import io.casewatch.topology.CasewatchTopology;

/**
 * Replays one history under two settings (policy sets) side by side and compares what they decide. Both replays run
 * at once on their own threads (each is the single-task replay of SPEC section 7, so each is deterministic on its
 * own); their output folders are read back and removed. Only alerts, statuses and compliance records are compared:
 * none of them depends on the merchant statistics' sketches, whose shared random generator the two runs share.
 */
public final class Compare {

    /** The comparison and both replays' summaries. */
    public record Result(PolicyComparison comparison, Replay.Summary a, Replay.Summary b) {
    }

    private Compare() {
    }

    /**
     * For comparing, every alert is counted: the storm cap (which folds a merchant's alerts into one ALERT_STORM for
     * the people who get them) would hide what a policy change gains or loses.
     */
    static CasewatchTopology.Settings forComparison(CasewatchTopology.Settings s) {
        EscalationRules e = s.escalation();
        return s.withEscalation(new EscalationRules(Integer.MAX_VALUE, e.stormWindow(), e.quietHours(), e.ackEscalation()));
    }

    public static Result run(Path events, CasewatchTopology.Settings a, CasewatchTopology.Settings b, Instant until, Path work)
            throws IOException {
        Path dirA = work.resolve("a");
        Path dirB = work.resolve("b");
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "casewatch-compare");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Replay.Summary> fa = pool.submit(() -> new Replay(forComparison(a)).run(events, dirA, until));
            Future<Replay.Summary> fb = pool.submit(() -> new Replay(forComparison(b)).run(events, dirB, until));
            Replay.Summary sa = get(fa);
            Replay.Summary sb = get(fb);
            PolicyComparison c = new PolicyComparison(RunOutcome.read(dirA, a.topics()), RunOutcome.read(dirB, b.topics()));
            return new Result(c, sa, sb);
        } finally {
            pool.shutdownNow();
            delete(dirA);
            delete(dirB);
        }
    }

    private static Replay.Summary get(Future<Replay.Summary> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("compare interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
