package io.casewatch.app;

import java.io.PrintStream;
import java.util.Locale;

import io.casewatch.replay.Replay;

/**
 * A progress line on stderr for long runs, rewritten in place about once a second: events read, events per second,
 * time left estimated from the share of the file read. Silent when no person is watching (no console: output
 * redirected or piped, as in CI and scripts), so logs never fill with carriage returns.
 */
final class ProgressLine implements Replay.Progress {

    private static final long EVERY_NANOS = 1_000_000_000L;

    private final String command;
    private final PrintStream err;
    private long lastNanos;
    private boolean shown;

    ProgressLine(String command, PrintStream err) {
        this.command = command;
        this.err = err;
    }

    /** A progress line if stderr is likely a terminal (a console is attached), otherwise nothing. */
    static Replay.Progress forStderr(String command) {
        return System.console() == null ? Replay.Progress.NONE : new ProgressLine(command, System.err);
    }

    @Override
    public void at(long events, double fractionRead, long nanos) {
        if (nanos - lastNanos < EVERY_NANOS) {
            return;
        }
        lastNanos = nanos;
        err.print('\r' + text(command, events, fractionRead, nanos));
        err.flush();
        shown = true;
    }

    @Override
    public void done() {
        if (shown) {
            err.print('\r' + " ".repeat(72) + '\r');
            err.flush();
        }
    }

    /** The line's text: how far, how fast, and how long still at that pace. */
    static String text(String command, long events, double fractionRead, long nanos) {
        double seconds = nanos / 1e9;
        double rate = seconds > 0 ? events / seconds : 0;
        String left = fractionRead <= 0 || fractionRead >= 1 ? "" : String.format(Locale.ROOT, ", ~%.0f s left", seconds * (1 - fractionRead) / fractionRead);
        return String.format(Locale.ROOT, "%s: %,d events, %,.0f events/s, %.0f%% read%s", command, events, rate, 100 * fractionRead, left);
    }
}
