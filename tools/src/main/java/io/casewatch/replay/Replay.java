package io.casewatch.replay;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.state.StoreKind;
import io.casewatch.stats.SketchSeed;
import io.casewatch.topology.CasewatchTopology;
import io.casewatch.topology.DeadLetters;
import io.casewatch.topology.Heartbeat;
import io.casewatch.topology.Topic;
import io.casewatch.topology.Topics;
import io.casewatch.topology.TopologyRuntime;

/**
 * Runs the casewatch topology over a JSON Lines file of events and writes every output topic as JSON Lines
 * (SPEC section 7). The topology is the one {@code run} uses, split as a deployment with {@code partitions}
 * partitions splits it ({@link ParallelEngine}: a task per case partition on its own thread, the merchant
 * statistics behind them), with stream time as the only clock: for a given partition count the same input and
 * settings give byte-identical output. {@link Driver#TEST_DRIVER} runs it on Kafka Streams' TopologyTestDriver
 * instead, one task, the reference the direct runner is checked against.
 */
public final class Replay {

    /** Where a bad line goes: the dead-letter output, with this reason. */
    public static final String BAD_LINE = "BAD_LINE";
    /** The source-topic header of a line that never reached a topic. */
    static final String REPLAY_SOURCE = "replay-input";
    private static final int DRAIN_EVERY = 4096;
    static final byte[] TICK_KEY = "tick".getBytes(StandardCharsets.UTF_8);

    /** What a replay did, for its report line. */
    public record Summary(long lines, long events, long badLines, long afterCutoff, Map<String, Long> written, long millis) {
        public double eventsPerSecond() {
            return millis == 0 ? events : events * 1000.0 / millis;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENVELOPE = Set.of("stream");

    private final CasewatchTopology.Settings settings;

    public Replay(CasewatchTopology.Settings settings) {
        // Stream time only (the topology runs against TopologyRuntime.replay(), which has no clock): a watermark
        // pace on the wall clock would make the output depend on the machine's speed.
        this.settings = settings.withStores(StoreKind.IN_MEMORY)
                .withStats(settings.stats().withWatermarkPace(Duration.ZERO));
    }

    /** What executes the topology: the direct single-task runner, or Kafka Streams' TopologyTestDriver. */
    public enum Driver {
        DIRECT,
        TEST_DRIVER
    }

    /**
     * @param until if not null, stream time is moved to this instant after the last event so that what falls due
     *              by then fires; events later than it are not replayed (counted in the summary)
     */
    public Summary run(Path events, Path outDir, Instant until) throws IOException {
        return run(events, outDir, until, Driver.DIRECT, 1, Progress.NONE);
    }

    public Summary run(Path events, Path outDir, Instant until, Driver driver) throws IOException {
        return run(events, outDir, until, driver, 1, Progress.NONE);
    }

    /**
     * @param partitions how many case partitions (and statistics partitions) to split the run into, as a deployment
     *                   with that many partitions would; the test driver runs one
     * @param progress   told how far the run is, now and then
     */
    public Summary run(Path events, Path outDir, Instant until, Driver driver, int partitions, Progress progress) throws IOException {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
        }
        if (driver == Driver.TEST_DRIVER && partitions != 1) {
            throw new IllegalArgumentException("the test driver runs one task: partitions must be 1");
        }
        Files.createDirectories(outDir);
        SketchSeed.reset(SketchSeed.REPLAY_SEED);
        long start = System.nanoTime();
        long lines = 0;
        long piped = 0;
        long bad = 0;
        long late = 0;
        Map<String, Long> written = new LinkedHashMap<>();
        Topics topics = settings.topics();
        try (Outputs out = new Outputs(topics, outDir);
                Engine engine = driver == Driver.DIRECT
                        ? new ParallelEngine(CasewatchTopology.plan(settings, TopologyRuntime.replay()), topics.facts().name(), topics.ticks().name(),
                                topics.deadLetters().name(), partitions, out)
                        : new TestDriver(settings, out);
                LineReader in = new LineReader(events, until)) {
            // Lines are read and parsed ahead on the reader's thread and handed over in file order, a chunk at a time;
            // the topology runs on the engine's threads; the outputs are turned into JSON on the writer's thread.
            Object[] chunk;
            while ((chunk = in.next()) != null) {
                for (Object item : chunk) {
                    if (item == null) {
                        break;
                    }
                    if (item == LineReader.LATE) {
                        late++;
                        continue;
                    }
                    if (item instanceof LineReader.Bad b) {
                        bad++;
                        engine.badLine(b.line(), b.error(), b.raw());
                        continue;
                    }
                    LineReader.Ready r = (LineReader.Ready) item;
                    String topic = switch (r.stream()) {
                        case "complaint" -> topics.complaints().name();
                        case "contact" -> topics.contacts().name();
                        default -> topics.acks().name();
                    };
                    engine.pipe(r.line(), topic, r.key(), r.value(), r.timestamp());
                    piped++;
                }
                engine.endOfChunk();
                progress.at(piped, in.fractionRead(), System.nanoTime() - start);
            }
            lines = in.lines();
            engine.end(until == null ? null : until.toEpochMilli());
            out.flush();
            written.putAll(out.counts());
        }
        progress.done();
        return new Summary(lines, piped, bad, late, written, (System.nanoTime() - start) / 1_000_000);
    }

    /** Told how far a run is after each chunk of input; {@link #NONE} says nothing. */
    public interface Progress {
        Progress NONE = new Progress() {
            @Override
            public void at(long events, double fractionRead, long nanos) {
            }
        };

        void at(long events, double fractionRead, long nanos);

        default void done() {
        }
    }

    /** An input event, as the reader encoded it, with its line in the file. */
    record Event(long line, String topic, byte[] key, byte[] value, long timestamp) {
    }

    static Headers tickHeaders() {
        RecordHeaders h = new RecordHeaders();
        h.add("casewatch.tick", "1".getBytes(StandardCharsets.UTF_8));
        return h;
    }

    /** The last record: a tick that moves no time and publishes what the status interval still holds back. */
    static Headers endHeaders() {
        Headers h = tickHeaders();
        h.add(Heartbeat.END_OF_INPUT_HEADER, new byte[0]);
        return h;
    }

    /** What the reader thread makes of one line: its event, encoded as the topology reads it ({@code ReplayCost}). */
    public static byte[] encodedEvent(String line) {
        try {
            return encode(parse(line));
        } catch (LineException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static byte[] encode(Parsed p) {
        return switch (p.stream()) {
            case "complaint" -> RecordSerdes.COMPLAINT_EVENT.toBytes((ComplaintEvent) p.event());
            case "contact" -> RecordSerdes.CONTACT_EVENT.toBytes((ContactEvent) p.event());
            default -> RecordSerdes.ESCALATION_ACK.toBytes((EscalationAck) p.event());
        };
    }

    /** Runs the topology over piped records and hands its outputs to {@link Outputs}. */
    interface Engine extends AutoCloseable {
        void pipe(long line, String topic, byte[] key, byte[] value, long timestamp);

        /** A line that is no event: dead-lettered in its place. */
        void badLine(long line, String error, String raw) throws IOException;

        /** The end of a chunk of input lines: what the engine holds may be handed on. */
        void endOfChunk() throws IOException;

        /** No more input: stream time moves to {@code until} if given, and every output is handed over. */
        void end(Long until) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** Kafka Streams' TopologyTestDriver: the reference the direct runner is checked against. */
    private static final class TestDriver implements Engine {
        private final Path state;
        private final TopologyTestDriver driver;
        private final Outputs out;
        private final String ticks;
        private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
        private final Map<String, TestOutputTopic<byte[], byte[]>> typed = new LinkedHashMap<>();
        private final TestOutputTopic<byte[], byte[]> dlq;
        private final ParallelEngine.LineBook lines = new ParallelEngine.LineBook();
        private long piped;
        private long lastAt;

        TestDriver(CasewatchTopology.Settings settings, Outputs out) throws IOException {
            this.out = out;
            state = Files.createTempDirectory("casewatch-replay-");
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-replay");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay:9092");
            // As run sets it (Kafka 5.0's default); left unset, every store context logged a warning.
            props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
            props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
            props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
            driver = new TopologyTestDriver(CasewatchTopology.build(settings, TopologyRuntime.replay()), props, Instant.EPOCH);
            Topics t = settings.topics();
            ticks = t.ticks().name();
            var bytesIn = Serdes.ByteArray().serializer();
            var bytesOut = Serdes.ByteArray().deserializer();
            for (Topic<byte[], byte[]> in : List.of(t.complaints(), t.contacts(), t.acks(), t.ticks())) {
                inputs.put(in.name(), driver.createInputTopic(in.name(), bytesIn, bytesIn));
            }
            for (String topic : List.of(t.l1().name(), t.l2().name(), t.l3().name(), t.status().name(), t.merchantStats().name(),
                    t.compliance().name())) {
                typed.put(topic, driver.createOutputTopic(topic, bytesOut, bytesOut));
            }
            dlq = driver.createOutputTopic(t.deadLetters().name(), bytesOut, bytesOut);
        }

        @Override
        public void pipe(long line, String topic, byte[] key, byte[] value, long timestamp) {
            lastAt = Math.max(lastAt, timestamp);
            lines.add(topic, line);
            inputs.get(topic).pipeInput(new TestRecord<>(key, value, new RecordHeaders(), Instant.ofEpochMilli(timestamp)));
            piped++;
        }

        @Override
        public void badLine(long line, String error, String raw) throws IOException {
            out.badLine(line, error, raw);
        }

        @Override
        public void endOfChunk() throws IOException {
            if (piped >= DRAIN_EVERY) {
                piped = 0;
                drain();
            }
        }

        @Override
        public void end(Long until) throws IOException {
            // As the direct runner ends each partition: stream time moved to the cut-off (or the last event's time),
            // then the end of input at that time, so that it moves nothing.
            Instant at = Instant.ofEpochMilli(until != null ? until : lastAt);
            inputs.get(ticks).pipeInput(new TestRecord<>(TICK_KEY, new byte[0], tickHeaders(), at));
            inputs.get(ticks).pipeInput(new TestRecord<>(TICK_KEY, new byte[0], endHeaders(), at));
            drain();
        }

        private void drain() throws IOException {
            // Order across topics is lost here (the driver keeps one queue per topic); within a topic it is kept.
            for (Map.Entry<String, TestOutputTopic<byte[], byte[]>> o : typed.entrySet()) {
                for (TestRecord<byte[], byte[]> r : o.getValue().readRecordsToList()) {
                    out.record(o.getKey(), r.value());
                }
            }
            for (TestRecord<byte[], byte[]> r : dlq.readRecordsToList()) {
                Header[] hs = r.headers().toArray();
                long line = lines.lineOf(hs);
                out.deadLetter(r.key(), r.value(), hs, line < 0 ? null : line);
            }
        }

        @Override
        public void close() {
            driver.close();
            deleteQuietly(state);
        }
    }

    /** One decoded input line. */
    record Parsed(String stream, String key, SpecificRecord event, long timestamp) {
    }

    static final class LineException extends Exception {
        private static final long serialVersionUID = 1L;

        LineException(String message) {
            super(message);
        }
    }

    static Parsed parse(String line) throws LineException {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new LineException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new LineException("not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new LineException("not a JSON object");
        }
        JsonNode stream = node.get("stream");
        if (stream == null || !stream.isTextual()) {
            throw new LineException("stream: missing; one of complaint, contact, ack");
        }
        Schema schema = switch (stream.textValue()) {
            case "complaint" -> ComplaintEvent.getClassSchema();
            case "contact" -> ContactEvent.getClassSchema();
            case "ack" -> EscalationAck.getClassSchema();
            default -> throw new LineException("stream: '" + stream.textValue() + "' is not one of complaint, contact, ack");
        };
        SpecificRecord event;
        try {
            event = AvroJson.read(node, schema, ENVELOPE);
        } catch (AvroJson.MismatchException e) {
            throw new LineException(e.getMessage());
        }
        Object caseId = event.get(schema.getField("caseId").pos());
        Instant at = (Instant) event.get(schema.getField("occurredAt").pos());
        return new Parsed(stream.textValue(), caseId == null ? null : caseId.toString(), event, at.toEpochMilli());
    }

    /**
     * Reads and parses the input on its own thread, ahead of the topology, and hands the lines over in file order,
     * in chunks, through a bounded queue. What a line becomes is decided exactly as it was when this ran inline: a
     * blank line is skipped, a bad line keeps its line number, an event later than the cut-off is counted only. A
     * failure (an unreadable file, a defect) is handed over in its place in the order, after every line before it.
     */
    private static final class LineReader implements AutoCloseable {
        private static final int CHUNK = 1024;
        private static final int CHUNKS_AHEAD = 4;
        private static final long CHECK_MILLIS = 100;
        /** An event after the cut-off: not replayed, only counted. */
        static final Object LATE = new Object();

        record Ready(long line, String stream, byte[] key, byte[] value, long timestamp) {
        }

        record Bad(long line, String error, String raw) {
        }

        /** The end of the input (lines: read in all), or a failure (lines: the line it failed at); handed over last. */
        private record End(long lines, Throwable failure) {
        }

        private final Path file;
        private final BufferedReader in;
        private final CountingInput counted;
        private final long size;
        private final Instant until;
        private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
        private final Thread thread;
        private long lines;
        private boolean ended;

        LineReader(Path file, Instant until) throws IOException {
            this.file = file;
            this.size = Files.size(file);
            this.counted = new CountingInput(Files.newInputStream(file));
            this.in = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8), 1 << 16);
            this.until = until;
            this.thread = new Thread(this::read, "replay-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void read() {
            long line = 0;
            long at = 1;
            Object[] chunk = new Object[CHUNK];
            int n = 0;
            Object end;
            try {
                try {
                    String text;
                    while ((text = in.readLine()) != null) {
                        line++;
                        at = line;
                        if (text.isBlank()) {
                            continue;
                        }
                        chunk[n++] = item(line, text);
                        if (n == CHUNK) {
                            queue.put(chunk);
                            chunk = new Object[CHUNK];
                            n = 0;
                        }
                        at = line + 1;
                    }
                    end = new End(line, null);
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable t) {
                    // at: the line being read or parsed when it failed
                    end = new End(at, t);
                }
                if (n > 0) {
                    queue.put(chunk);
                }
                queue.put(end);
            } catch (InterruptedException e) {
                // Closed before the end was taken: nobody waits for it.
            }
        }

        private Object item(long line, String text) {
            Parsed p;
            try {
                p = parse(text);
            } catch (LineException e) {
                return new Bad(line, e.getMessage(), text);
            }
            if (until != null && p.timestamp() > until.toEpochMilli()) {
                return LATE;
            }
            return new Ready(line, p.stream(), p.key() == null ? null : p.key().getBytes(StandardCharsets.UTF_8), encode(p),
                    p.timestamp());
        }

        /** The next chunk of lines in file order (ends at the first null), or null after the last. */
        Object[] next() throws IOException {
            if (ended) {
                return null;
            }
            Object o;
            try {
                while ((o = queue.poll(CHECK_MILLIS, TimeUnit.MILLISECONDS)) == null) {
                    if (!thread.isAlive() && queue.isEmpty()) {
                        throw new IOException("replay: the reader of " + file + " stopped without reaching the end");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("replay: interrupted while waiting for lines of " + file);
            }
            if (o instanceof End end) {
                ended = true;
                lines = end.lines();
                Throwable t = end.failure();
                if (t == null) {
                    return null;
                }
                if (t instanceof IOException) {
                    // From the reader: it reads ahead, so the fault lies at or after this line.
                    throw new IOException("replay: reading " + file + " failed after line " + (end.lines() - 1) + ": " + t, t);
                }
                throw new IllegalStateException("replay: " + file + " line " + end.lines() + ": " + t, t);
            }
            return (Object[]) o;
        }

        /** The share of the file's bytes read so far (read ahead of what was handed over by a buffer or two). */
        double fractionRead() {
            return size == 0 ? 1.0 : Math.min(1.0, (double) counted.count / size);
        }

        /** Lines read in all, blank ones included; known once {@link #next} has returned null. */
        long lines() {
            return lines;
        }

        @Override
        public void close() throws IOException {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            in.close();
        }
    }

    /** Counts the bytes read through it, for the progress line. */
    private static final class CountingInput extends FilterInputStream {
        volatile long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /**
     * One JSON Lines file per output topic. What the topology writes is handed, in the order written, to a writer
     * thread that turns it into JSON: a record as the bytes its sink serialised (decoded there with the topic's
     * deserialiser, as a consumer would), a dead letter as the finished strings. A writer failure surfaces at the next
     * hand-over or at {@link #flush}. Not thread-safe: one thread hands over.
     */
    static final class Outputs implements AutoCloseable {
        private static final int BATCH = 1024;
        private static final int BATCHES_AHEAD = 8;
        private static final long CHECK_MILLIS = 100;
        private static final Object[] END = new Object[0];

        private final Map<String, Out> typed = new LinkedHashMap<>();
        private final Out dlq;
        private final String dlqName;
        private final ArrayBlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD);
        private final Thread writer;
        private volatile Throwable failure;
        /** Pairs: the file, then what goes in it (a record, or a {@link DeadLetterLine}). */
        private Object[] batch = new Object[2 * BATCH];
        private int n;
        private boolean ended;

        /** A dead-letter output line, worked out when it was written. */
        private record DeadLetterLine(String reason, String error, String sourceTopic, Long line, String key, String value) {
        }

        Outputs(Topics t, Path dir) throws IOException {
            for (Topic<String, ? extends SpecificRecord> topic : List.of(t.l1(), t.l2(), t.l3(), t.status(), t.merchantStats(),
                    t.compliance())) {
                typed.put(topic.name(), new Out(dir.resolve(topic.name() + ".jsonl"), topic.name(), topic.valueSerde().deserializer()));
            }
            dlqName = t.deadLetters().name();
            dlq = new Out(dir.resolve(dlqName + ".jsonl"), dlqName, null);
            writer = new Thread(this::write, "replay-writer");
            writer.setDaemon(true);
            writer.start();
        }

        /** @param value what the topic's sink serialised */
        void record(String topic, byte[] value) throws IOException {
            Out o = typed.get(topic);
            add(o, value);
            o.count++;
        }

        /** @param line the input line the dead-lettered record came from, if known */
        void deadLetter(byte[] key, byte[] value, Header[] headers, Long line) throws IOException {
            add(dlq, new DeadLetterLine(header(headers, DeadLetters.REASON), header(headers, DeadLetters.ERROR),
                    header(headers, DeadLetters.TOPIC), line,
                    key == null ? null : new String(key, StandardCharsets.UTF_8),
                    value == null ? null : Base64.getEncoder().encodeToString(value)));
            dlq.count++;
        }

        void badLine(long line, String error, String raw) throws IOException {
            add(dlq, new DeadLetterLine(BAD_LINE, "line " + line + ": " + error, REPLAY_SOURCE, line, null,
                    Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8))));
            dlq.count++;
        }

        private void add(Out o, Object what) throws IOException {
            if (ended) {
                throw new IllegalStateException("replay: an output was written after the outputs were flushed");
            }
            batch[n++] = o;
            batch[n++] = what;
            if (n == batch.length) {
                handOver(batch);
                batch = new Object[2 * BATCH];
                n = 0;
            }
        }

        private void handOver(Object[] b) throws IOException {
            try {
                while (!queue.offer(b, CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                    // The writer ends only after END (not handed over yet) or on a failure.
                    checkFailure();
                    if (!writer.isAlive()) {
                        throw new IOException("replay: the output writer stopped unexpectedly");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("replay: interrupted while handing outputs to the writer");
            }
            checkFailure();
        }

        private void checkFailure() throws IOException {
            Throwable t = failure;
            if (t != null) {
                throw new IOException("replay: writing the outputs failed: " + t, t);
            }
        }

        /** The writer thread: JSON for everything handed over, in order, until {@link #END}; then flushes. */
        private void write() {
            try {
                Object[] b;
                while ((b = queue.take()) != END) {
                    for (int i = 0; i < b.length && b[i] != null; i += 2) {
                        Out o = (Out) b[i];
                        if (b[i + 1] instanceof DeadLetterLine d) {
                            writeDeadLetter(o.json, d);
                        } else {
                            AvroJson.write(o.json, o.values.deserialize(o.topic, (byte[]) b[i + 1]));
                            o.json.writeRaw('\n');
                        }
                    }
                }
                for (Out o : typed.values()) {
                    o.json.flush();
                }
                dlq.json.flush();
            } catch (InterruptedException e) {
                failure = e;
            } catch (Throwable t) {
                failure = t;
            }
        }

        private static void writeDeadLetter(JsonGenerator g, DeadLetterLine d) throws IOException {
            g.writeStartObject();
            g.writeStringField("reason", d.reason());
            g.writeStringField("error", d.error());
            g.writeStringField("sourceTopic", d.sourceTopic());
            if (d.line() != null) {
                g.writeNumberField("line", d.line());
            }
            g.writeStringField("key", d.key());
            g.writeStringField("value", d.value());
            g.writeEndObject();
            g.writeRaw('\n');
        }

        /** Hands over the rest, waits for the writer to write and flush it all; nothing may be written after. */
        void flush() throws IOException {
            if (ended) {
                checkFailure();
                return;
            }
            ended = true;
            if (n > 0) {
                handOver(batch);
                batch = null;
            }
            handOver(END);
            join();
            checkFailure();
        }

        private void join() throws IOException {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("replay: interrupted while waiting for the output writer");
            }
        }

        Map<String, Long> counts() {
            Map<String, Long> m = new LinkedHashMap<>();
            typed.forEach((k, o) -> m.put(k, o.count));
            m.put(dlqName, dlq.count);
            return m;
        }

        static String header(Header[] hs, String name) {
            String v = null;
            for (Header h : hs) {
                if (h.key().equals(name)) {
                    v = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
                }
            }
            return v;
        }

        /** After a failure elsewhere too: what was handed over is still written (as when written inline), then closed. */
        @Override
        public void close() throws IOException {
            IOException first = null;
            try {
                if (!ended) {
                    flush();
                }
            } catch (IOException e) {
                first = e;
            } finally {
                if (writer.isAlive()) {
                    // Only when the hand-over itself failed (interrupted): the writer must not outlive the files.
                    writer.interrupt();
                    try {
                        writer.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            List<Out> files = new ArrayList<>(typed.values());
            files.add(dlq);
            for (Out o : files) {
                try {
                    o.close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    private static final class Out implements AutoCloseable {
        final OutputStream file;
        final JsonGenerator json;
        final String topic;
        final Deserializer<? extends SpecificRecord> values;
        long count;

        Out(Path path, String topic, Deserializer<? extends SpecificRecord> values) throws IOException {
            file = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
            json = generator(file);
            this.topic = topic;
            this.values = values;
        }

        @Override
        public void close() throws IOException {
            json.close();
            file.close();
        }
    }

    private static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(out);
        g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        g.setRootValueSeparator(null);
        return g;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover temp folder is not worth failing a finished replay for.
        }
    }
}
