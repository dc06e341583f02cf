package io.casewatch.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.header.Headers;
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
import io.casewatch.topology.CasewatchTopology;
import io.casewatch.topology.DeadLetters;
import io.casewatch.topology.Topic;
import io.casewatch.topology.Topics;

/**
 * Runs the casewatch topology over a JSON Lines file of events and writes every output topic as JSON Lines
 * (SPEC section 7). The topology is the one {@code run} uses, driven by Kafka Streams' TopologyTestDriver: one
 * task, stream time as the only clock, so the same input and settings give byte-identical output.
 */
public final class Replay {

    /** Where a bad line goes: the dead-letter output, with this reason. */
    public static final String BAD_LINE = "BAD_LINE";
    /** The source-topic header of a line that never reached a topic. */
    static final String REPLAY_SOURCE = "replay-input";
    private static final int DRAIN_EVERY = 4096;

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
        if (settings.clock() != null) {
            throw new IllegalArgumentException("replay runs on stream time only: the settings must have no clock");
        }
        this.settings = settings.withStores(io.casewatch.topology.StoreKind.IN_MEMORY);
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
        return run(events, outDir, until, Driver.DIRECT);
    }

    public Summary run(Path events, Path outDir, Instant until, Driver driver) throws IOException {
        Files.createDirectories(outDir);
        io.casewatch.stats.SketchSeed.reset(io.casewatch.stats.SketchSeed.REPLAY_SEED);
        long start = System.nanoTime();
        long lines = 0;
        long piped = 0;
        long bad = 0;
        long late = 0;
        Map<String, Long> written = new LinkedHashMap<>();
        Topics topics = settings.topics();
        try (Outputs out = new Outputs(topics, outDir);
                Engine engine = driver == Driver.DIRECT ? new Direct(settings, out) : new TestDriver(settings, out);
                BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines++;
                if (line.isBlank()) {
                    continue;
                }
                Parsed p;
                try {
                    p = parse(line);
                } catch (LineException e) {
                    bad++;
                    out.badLine(lines, e.getMessage(), line);
                    continue;
                }
                if (until != null && p.timestamp() > until.toEpochMilli()) {
                    late++;
                    continue;
                }
                String topic = switch (p.stream()) {
                    case "complaint" -> topics.complaints().name();
                    case "contact" -> topics.contacts().name();
                    default -> topics.acks().name();
                };
                out.lines.computeIfAbsent(topic, k -> new ArrayList<>()).add(lines);
                engine.pipe(topic, p.key() == null ? null : p.key().getBytes(StandardCharsets.UTF_8), encode(p), p.timestamp(),
                        new RecordHeaders());
                piped++;
                if (piped % DRAIN_EVERY == 0) {
                    engine.drain();
                }
            }
            if (until != null) {
                RecordHeaders h = new RecordHeaders();
                h.add("casewatch.tick", "1".getBytes(StandardCharsets.UTF_8));
                engine.pipe(topics.ticks().name(), "tick".getBytes(StandardCharsets.UTF_8), new byte[0], until.toEpochMilli(), h);
            }
            engine.drain();
            out.flush();
            written.putAll(out.counts());
        }
        return new Summary(lines, piped, bad, late, written, (System.nanoTime() - start) / 1_000_000);
    }

    private static byte[] encode(Parsed p) {
        return switch (p.stream()) {
            case "complaint" -> io.casewatch.schema.serde.Serdes.COMPLAINT_EVENT.toBytes((ComplaintEvent) p.event());
            case "contact" -> io.casewatch.schema.serde.Serdes.CONTACT_EVENT.toBytes((ContactEvent) p.event());
            default -> io.casewatch.schema.serde.Serdes.ESCALATION_ACK.toBytes((EscalationAck) p.event());
        };
    }

    /** Runs the topology over piped records and hands its outputs to {@link Outputs}. */
    private interface Engine extends AutoCloseable {
        void pipe(String topic, byte[] key, byte[] value, long timestamp, RecordHeaders headers);

        /** Hands over outputs still held by the engine. */
        void drain() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** The plan executed by {@link PlanRunner}: outputs are written as they are produced. */
    private static final class Direct implements Engine {
        private final PlanRunner runner;

        Direct(CasewatchTopology.Settings settings, Outputs out) {
            String dlq = settings.topics().deadLetters().name();
            runner = new PlanRunner(CasewatchTopology.plan(settings), (topic, record) -> {
                try {
                    if (topic.equals(dlq)) {
                        out.deadLetter((byte[]) record.key(), (byte[]) record.value(), record.headers().toArray());
                    } else {
                        out.value(topic, (SpecificRecord) record.value());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        @Override
        public void pipe(String topic, byte[] key, byte[] value, long timestamp, RecordHeaders headers) {
            runner.pipe(topic, key, value, timestamp, headers);
        }

        @Override
        public void drain() {
            // Written at the sink already.
        }

        @Override
        public void close() {
            runner.close();
        }
    }

    /** Kafka Streams' TopologyTestDriver: the reference the direct runner is checked against. */
    private static final class TestDriver implements Engine {
        private final Path state;
        private final TopologyTestDriver driver;
        private final Outputs out;
        private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
        private final Map<String, TestOutputTopic<String, ? extends SpecificRecord>> typed = new LinkedHashMap<>();
        private final TestOutputTopic<byte[], byte[]> dlq;

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
            driver = new TopologyTestDriver(CasewatchTopology.build(settings), props, Instant.EPOCH);
            Topics t = settings.topics();
            for (Topic<byte[], byte[]> in : List.of(t.complaints(), t.contacts(), t.acks(), t.ticks())) {
                inputs.put(in.name(), driver.createInputTopic(in.name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer()));
            }
            for (Topic<String, ? extends SpecificRecord> topic : List.of(t.l1(), t.l2(), t.l3(), t.status(), t.merchantStats(), t.compliance())) {
                typed.put(topic.name(), driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer()));
            }
            dlq = driver.createOutputTopic(t.deadLetters().name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        }

        @Override
        public void pipe(String topic, byte[] key, byte[] value, long timestamp, RecordHeaders headers) {
            inputs.get(topic).pipeInput(new TestRecord<>(key, value, headers, Instant.ofEpochMilli(timestamp)));
        }

        @Override
        public void drain() throws IOException {
            // Order across topics is lost here (the driver keeps one queue per topic); within a topic it is kept.
            for (Map.Entry<String, TestOutputTopic<String, ? extends SpecificRecord>> o : typed.entrySet()) {
                for (TestRecord<String, ? extends SpecificRecord> r : o.getValue().readRecordsToList()) {
                    out.value(o.getKey(), r.value());
                }
            }
            for (TestRecord<byte[], byte[]> r : dlq.readRecordsToList()) {
                out.deadLetter(r.key(), r.value(), r.headers().toArray());
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
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
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

    /** One JSON Lines file per output topic. */
    private static final class Outputs implements AutoCloseable {
        /** Per input topic, the file line of each offset: dead letters name the line they came from. */
        final Map<String, List<Long>> lines = new HashMap<>();
        private final Map<String, Out> typed = new LinkedHashMap<>();
        private final Out dlq;
        private final String dlqName;

        Outputs(Topics t, Path dir) throws IOException {
            for (String name : List.of(t.l1().name(), t.l2().name(), t.l3().name(), t.status().name(), t.merchantStats().name(),
                    t.compliance().name())) {
                typed.put(name, new Out(dir.resolve(name + ".jsonl")));
            }
            dlqName = t.deadLetters().name();
            dlq = new Out(dir.resolve(dlqName + ".jsonl"));
        }

        void value(String topic, SpecificRecord v) throws IOException {
            Out o = typed.get(topic);
            AvroJson.write(o.json, v);
            o.json.writeRaw('\n');
            o.count++;
        }

        void deadLetter(byte[] key, byte[] value, Header[] headers) throws IOException {
            String topic = header(headers, DeadLetters.TOPIC);
            String offset = header(headers, DeadLetters.OFFSET);
            Long line = null;
            if (topic != null && offset != null) {
                List<Long> l = lines.get(topic);
                long o = Long.parseLong(offset);
                line = l == null || o < 0 || o >= l.size() ? null : l.get((int) o);
            }
            JsonGenerator g = dlq.json;
            g.writeStartObject();
            g.writeStringField("reason", header(headers, DeadLetters.REASON));
            g.writeStringField("error", header(headers, DeadLetters.ERROR));
            g.writeStringField("sourceTopic", topic);
            if (line != null) {
                g.writeNumberField("line", line);
            }
            g.writeStringField("key", key == null ? null : new String(key, StandardCharsets.UTF_8));
            g.writeStringField("value", value == null ? null : Base64.getEncoder().encodeToString(value));
            g.writeEndObject();
            g.writeRaw('\n');
            dlq.count++;
        }

        void badLine(long line, String error, String raw) throws IOException {
            JsonGenerator g = dlq.json;
            g.writeStartObject();
            g.writeStringField("reason", BAD_LINE);
            g.writeStringField("error", "line " + line + ": " + error);
            g.writeStringField("sourceTopic", REPLAY_SOURCE);
            g.writeNumberField("line", line);
            g.writeStringField("key", null);
            g.writeStringField("value", Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
            g.writeEndObject();
            g.writeRaw('\n');
            dlq.count++;
        }

        void flush() throws IOException {
            for (Out o : typed.values()) {
                o.json.flush();
            }
            dlq.json.flush();
        }

        Map<String, Long> counts() {
            Map<String, Long> m = new LinkedHashMap<>();
            typed.forEach((k, o) -> m.put(k, o.count));
            m.put(dlqName, dlq.count);
            return m;
        }

        private static String header(Header[] hs, String name) {
            String v = null;
            for (Header h : hs) {
                if (h.key().equals(name)) {
                    v = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
                }
            }
            return v;
        }

        @Override
        public void close() throws IOException {
            for (Out o : typed.values()) {
                o.close();
            }
            dlq.close();
        }
    }

    private static final class Out implements AutoCloseable {
        final OutputStream file;
        final JsonGenerator json;
        long count;

        Out(Path path) throws IOException {
            file = new java.io.BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
            json = generator(file);
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
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover temp folder is not worth failing a finished replay for.
        }
    }
}
