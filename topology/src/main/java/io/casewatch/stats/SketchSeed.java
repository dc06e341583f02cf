package io.casewatch.stats;

import java.lang.reflect.Field;
import java.util.Random;

/**
 * KLL sketches compact with coin flips from one random generator shared by the library. Live pipelines don't mind
 * (the error bound holds either way); {@code replay} promises byte-identical output for the same input, so it
 * starts from a fixed seed on its single thread. The library has no seed parameter, hence the reflection.
 */
public final class SketchSeed {

    public static final long REPLAY_SEED = 20_261_123L;

    private SketchSeed() {
    }

    public static void reset(long seed) {
        try {
            Field f = Class.forName("org.apache.datasketches.kll.KllSketch").getDeclaredField("random");
            f.setAccessible(true);
            ((Random) f.get(null)).setSeed(seed);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot seed the KLL sketches' random generator (datasketches-java changed?): " + e, e);
        }
    }
}
