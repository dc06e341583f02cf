package io.casewatch.stats;

import java.util.function.Supplier;

import org.apache.datasketches.memory.WritableMemory;

/**
 * Whether this Java can run the quantile sketches of the merchant statistics. datasketches-memory, under the KLL
 * sketches, accepts only the Java versions it was built for (17 and 21 for 3.0) and otherwise fails when a sketch is
 * first serialised, deep in a stream thread. Checked once, when the statistics are built, so that a command on an
 * unsupported Java stops with one line saying so.
 */
public final class SketchRuntime {

    /** This Java cannot run the sketches; the message says which Java to use. */
    public static final class UnsupportedJava extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedJava(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static volatile boolean checked;

    private SketchRuntime() {
    }

    /** Throws {@link UnsupportedJava} when the sketch library refuses this Java. */
    public static void requireUsable() {
        if (!checked) {
            require(() -> WritableMemory.writableWrap(new byte[8]), Runtime.version().toString());
            checked = true;
        }
    }

    static void require(Supplier<?> probe, String javaVersion) {
        try {
            probe.get();
        } catch (ExceptionInInitializerError | IllegalArgumentException e) {
            throw new UnsupportedJava("this Java (" + javaVersion + ") cannot run the merchant statistics' quantile sketches: "
                    + "datasketches-memory supports Java 17 and 21; run casewatch on JDK 17 or 21 (docs/operations.md)", e);
        }
    }
}
