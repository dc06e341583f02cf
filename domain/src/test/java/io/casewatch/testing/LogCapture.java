package io.casewatch.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything this JVM prints while it is open: standard output and standard error are teed into a buffer (slf4j-simple,
 * casewatch's logger, writes to {@code System.err} as it is at each call), so a test can scan every log line for
 * what must never be there.
 *
 * <p>Optionally raises loggers to INFO for the duration, so that lines the shipped configuration hides (Kafka's
 * config dumps: "ConsumerConfig values: ...") are produced and scanned too. slf4j-simple fixes a logger's level when
 * it is created and keeps it, and an earlier test of the same JVM may have created Kafka's loggers already: those
 * are lowered in place (its {@code currentLogLevel} field), the others follow the system property. On
 * {@link #close()} every logger under the prefixes gets the level the configuration gives it, so later tests of the
 * JVM log as they would have.
 */
public final class LogCapture implements AutoCloseable {
    private static final int INFO = 20; // org.slf4j.spi.LocationAwareLogger.INFO_INT
    private static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.";

    private final PrintStream originalOut;
    private final PrintStream originalErr;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final List<String> infoPrefixes;

    private LogCapture(List<String> infoPrefixes) {
        this.originalOut = System.out;
        this.originalErr = System.err;
        this.infoPrefixes = List.copyOf(infoPrefixes);
    }

    /** Captures from now on, with the loggers under {@code infoPrefixes} at INFO (at least). */
    public static LogCapture start(String... infoPrefixes) {
        LogCapture c = new LogCapture(List.of(infoPrefixes));
        c.raise();
        System.setOut(new PrintStream(c.tee(c.originalOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(c.tee(c.originalErr), true, StandardCharsets.UTF_8));
        return c;
    }

    /** What was printed so far. */
    public String text() {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    private OutputStream tee(PrintStream original) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (buffer) {
                    buffer.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (buffer) {
                    buffer.write(b, off, len);
                }
                original.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
    }

    private void raise() {
        for (String p : infoPrefixes) {
            System.setProperty(LEVEL_PROPERTY + p, "info");
        }
        try {
            for (Logger logger : loggersUnderPrefixes()) {
                Field level = levelField(logger);
                level.setInt(logger, Math.min(INFO, level.getInt(logger)));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the test's log capture expects slf4j-simple as the logging backend", e);
        }
    }

    /** Puts every logger under the prefixes back to the level a logger of its name gets from the configuration. */
    private void restore() {
        for (String p : infoPrefixes) {
            System.clearProperty(LEVEL_PROPERTY + p);
        }
        try {
            for (Logger logger : loggersUnderPrefixes()) {
                Constructor<? extends Logger> fresh = logger.getClass().getDeclaredConstructor(String.class);
                fresh.setAccessible(true);
                Field level = levelField(logger);
                level.setInt(logger, level.getInt(fresh.newInstance(logger.getName())));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the test's log capture expects slf4j-simple as the logging backend", e);
        }
    }

    private List<Logger> loggersUnderPrefixes() throws ReflectiveOperationException {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        Field mapField = factory.getClass().getDeclaredField("loggerMap");
        mapField.setAccessible(true);
        @SuppressWarnings("unchecked")
        ConcurrentMap<String, Logger> loggers = (ConcurrentMap<String, Logger>) mapField.get(factory);
        return loggers.entrySet().stream().filter(e -> infoPrefixes.stream().anyMatch(e.getKey()::startsWith))
                .map(Map.Entry::getValue).toList();
    }

    private static Field levelField(Logger logger) throws NoSuchFieldException {
        for (Class<?> c = logger.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField("currentLogLevel");
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException ignored) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException("currentLogLevel");
    }

    @Override
    public void close() {
        System.out.flush();
        System.err.flush();
        System.setOut(originalOut);
        System.setErr(originalErr);
        restore();
    }
}
