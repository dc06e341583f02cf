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

    /**
     * @param until if not null, stream time is moved to this instant after the last event so that what falls due
     *              by then fires; events later than it are not replayed (counted in the summary)
     */
    public Summary run(Path events, Path outDir, Instant until) throws IOException {
        Files.createDirectories(outDir);
        io.casewatch.stats.SketchSeed.reset(io.casewatch.stats.SketchSeed.REPLAY_SEED);
        Path state = Files.createTempDirectory("casewatch-replay-");
        long start = System.nanoTime();
        Topics topics = settings.topics();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        long lines = 0;
        long piped = 0;
        long bad = 0;
        long late = 0;
        Map<String, Long> written = new LinkedHashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(CasewatchTopology.build(settings), props, Instant.EPOCH);
                Outputs out = new Outputs(driver, topics, outDir);
                BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            Inputs inputs = new Inputs(driver, topics);
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
                inputs.pipe(p, lines);
                piped++;
                if (piped % DRAIN_EVERY == 0) {
                    out.drain(inputs);
                }
            }
            if (until != null) {
                inputs.tick(until);
            }
            out.drain(inputs);
            written.putAll(out.counts());
        } finally {
            deleteQuietly(state);
        }
        return new Summary(lines, piped, bad, late, written, (System.nanoTime() - start) / 1_000_000);
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

    /** The input topics, and which line each of their offsets came from. */
    private static final class Inputs {
        private final Map<String, TestInputTopic<String, byte[]>> byStream = new LinkedHashMap<>();
        private final Map<String, String> topicOf = new LinkedHashMap<>();
        private final Map<String, List<Long>> linesByTopic = new LinkedHashMap<>();
        private final TestInputTopic<String, byte[]> ticks;

        Inputs(TopologyTestDriver driver, Topics t) {
            add(driver, "complaint", t.complaints());
            add(driver, "contact", t.contacts());
            add(driver, "ack", t.acks());
            ticks = driver.createInputTopic(t.ticks().name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        }

        private void add(TopologyTestDriver driver, String stream, Topic<byte[], byte[]> topic) {
            byStream.put(stream, driver.createInputTopic(topic.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer()));
            topicOf.put(stream, topic.name());
            linesByTopic.put(topic.name(), new ArrayList<>());
        }

        void pipe(Parsed p, long line) {
            byte[] value = switch (p.stream()) {
                case "complaint" -> io.casewatch.schema.serde.Serdes.COMPLAINT_EVENT.toBytes((ComplaintEvent) p.event());
                case "contact" -> io.casewatch.schema.serde.Serdes.CONTACT_EVENT.toBytes((ContactEvent) p.event());
                default -> io.casewatch.schema.serde.Serdes.ESCALATION_ACK.toBytes((EscalationAck) p.event());
            };
            linesByTopic.get(topicOf.get(p.stream())).add(line);
            byStream.get(p.stream()).pipeInput(new TestRecord<>(p.key(), value, Instant.ofEpochMilli(p.timestamp())));
        }

        void tick(Instant at) {
            RecordHeaders h = new RecordHeaders();
            h.add("casewatch.tick", "1".getBytes(StandardCharsets.UTF_8));
            ticks.pipeInput(new TestRecord<>("tick", new byte[0], h, at));
        }

        Long lineOf(String topic, long offset) {
            List<Long> l = linesByTopic.get(topic);
            return l == null || offset < 0 || offset >= l.size() ? null : l.get((int) offset);
        }
    }

    /** One JSON Lines file per output topic, appended to as the driver produces. */
    private static final class Outputs implements AutoCloseable {
        private final List<Out<?>> typed = new ArrayList<>();
        private final TestOutputTopic<byte[], byte[]> dlq;
        private final OutputStream dlqFile;
        private final JsonGenerator dlqJson;
        private long dlqCount;
        private final String dlqName;

        Outputs(TopologyTestDriver driver, Topics t, Path dir) throws IOException {
            for (Topic<String, ? extends SpecificRecord> topic : List.of(t.l1(), t.l2(), t.l3(), t.status(), t.merchantStats(), t.compliance())) {
                typed.add(new Out<>(driver, topic, dir));
            }
            dlqName = t.deadLetters().name();
            dlq = driver.createOutputTopic(dlqName, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            dlqFile = Files.newOutputStream(dir.resolve(dlqName + ".jsonl"));
            dlqJson = generator(dlqFile);
        }

        void drain(Inputs inputs) throws IOException {
            for (Out<?> o : typed) {
                o.drain();
            }
            for (TestRecord<byte[], byte[]> r : dlq.readRecordsToList()) {
                String topic = header(r.headers().toArray(), DeadLetters.TOPIC);
                String offset = header(r.headers().toArray(), DeadLetters.OFFSET);
                Long line = topic == null || offset == null ? null : inputs.lineOf(topic, Long.parseLong(offset));
                dlqJson.writeStartObject();
                dlqJson.writeStringField("reason", header(r.headers().toArray(), DeadLetters.REASON));
                dlqJson.writeStringField("error", header(r.headers().toArray(), DeadLetters.ERROR));
                dlqJson.writeStringField("sourceTopic", topic);
                if (line != null) {
                    dlqJson.writeNumberField("line", line);
                }
                dlqJson.writeStringField("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
                dlqJson.writeStringField("value", r.value() == null ? null : Base64.getEncoder().encodeToString(r.value()));
                dlqJson.writeEndObject();
                dlqJson.writeRaw('\n');
                dlqCount++;
            }
            dlqJson.flush();
        }

        void badLine(long line, String error, String raw) throws IOException {
            dlqJson.writeStartObject();
            dlqJson.writeStringField("reason", BAD_LINE);
            dlqJson.writeStringField("error", "line " + line + ": " + error);
            dlqJson.writeStringField("sourceTopic", REPLAY_SOURCE);
            dlqJson.writeNumberField("line", line);
            dlqJson.writeStringField("key", null);
            dlqJson.writeStringField("value", Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
            dlqJson.writeEndObject();
            dlqJson.writeRaw('\n');
            dlqCount++;
        }

        Map<String, Long> counts() {
            Map<String, Long> m = new LinkedHashMap<>();
            for (Out<?> o : typed) {
                m.put(o.name, o.count);
            }
            m.put(dlqName, dlqCount);
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
            for (Out<?> o : typed) {
                o.close();
            }
            dlqJson.close();
            dlqFile.close();
        }
    }

    private static final class Out<V extends SpecificRecord> implements AutoCloseable {
        final String name;
        final TestOutputTopic<String, V> topic;
        final OutputStream file;
        final JsonGenerator json;
        long count;

        Out(TopologyTestDriver driver, Topic<String, V> t, Path dir) throws IOException {
            name = t.name();
            topic = driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
            file = Files.newOutputStream(dir.resolve(t.name() + ".jsonl"));
            json = generator(file);
        }

        void drain() throws IOException {
            for (V v : topic.readValuesToList()) {
                AvroJson.write(json, v);
                json.writeRaw('\n');
                count++;
            }
            json.flush();
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
