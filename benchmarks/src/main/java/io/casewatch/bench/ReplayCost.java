package io.casewatch.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.replay.AvroJson;
import io.casewatch.replay.Replay;
import io.casewatch.schema.serde.AvroSerde;
import io.casewatch.topology.Topic;
import io.casewatch.topology.Topics;

/**
 * Where a {@code replay} spends its CPU, per input event. The topology runs on one thread (one task: the order of
 * everything is the file's), so its CPU per event alone bounds the throughput, whatever the number of cores:
 * {@code 1e6 / topology-us} events per second. The reading and writing threads run beside it; their cost is measured
 * apart, single-threaded and warmed up, as floors: parsing every input line into its event (what the reader does),
 * and writing every output record of the run as JSON (what the writer does).
 *
 * <pre>java -Xmx4g -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.casewatch.bench.ReplayCost \
 *     /tmp/w50k.jsonl /tmp/replay-cost 2026-08-01T00:00:00Z 3</pre>
 */
public final class ReplayCost {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplayCost() {
    }

    public static void main(String[] args) throws Exception {
        Path events = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Instant until = args.length > 2 ? Instant.parse(args[2]) : null;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Replay replay = new Replay(Pipeline.replaySettings(AppConfig.load(null, Map.of(), Map.of())));
        long n = 0;
        for (int run = 1; run <= runs; run++) {
            long thread0 = threads.getCurrentThreadCpuTime();
            long process0 = os.getProcessCpuTime();
            Replay.Summary s = replay.run(events, out, until);
            double topology = (threads.getCurrentThreadCpuTime() - thread0) / 1e3 / s.events();
            double process = (os.getProcessCpuTime() - process0) / 1e3 / s.events();
            n = s.events();
            long written = s.written().values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("run %d: %,d events, %,d records written, %,.0f events/s; CPU per event: topology thread %.1f us "
                    + "(alone it allows %,.0f events/s), whole process %.1f us%n", run, s.events(), written, s.eventsPerSecond(),
                    topology, 1e6 / topology, process);
        }
        List<String> lines = Files.readAllLines(events);
        List<IndexedRecord> outputs = readOutputs(out);
        double parse = Double.MAX_VALUE;
        double write = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            parse = Math.min(parse, parseAll(lines) / 1e3 / n);
            write = Math.min(write, writeAll(outputs) / 1e3 / n);
        }
        System.out.printf("floors, one thread, best of 5: parsing the input %.1f us per event; writing the %,d outputs as JSON %.1f us "
                + "per event (%.2f us per record)%n", parse, outputs.size(), write, write * n / outputs.size());
    }

    private static long parseAll(List<String> lines) {
        long start = System.nanoTime();
        long sink = 0;
        for (String line : lines) {
            if (!line.isBlank()) {
                sink += Replay.encodedEvent(line).length;
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        return System.nanoTime() - start;
    }

    private static long writeAll(List<IndexedRecord> outputs) throws IOException {
        long start = System.nanoTime();
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(Path.of("/dev/null")), 1 << 16);
                JsonGenerator g = new JsonFactory().createGenerator(file)) {
            g.setRootValueSeparator(null);
            for (IndexedRecord r : outputs) {
                AvroJson.write(g, r);
                g.writeRaw('\n');
            }
        }
        return System.nanoTime() - start;
    }

    private static List<IndexedRecord> readOutputs(Path dir) throws IOException {
        Topics t = Topics.defaults();
        List<IndexedRecord> all = new ArrayList<>();
        for (Topic<String, ? extends SpecificRecord> topic : List.of(t.l1(), t.l2(), t.l3(), t.status(), t.merchantStats(), t.compliance())) {
            Schema schema = ((AvroSerde<?>) topic.valueSerde()).schema();
            for (String line : Files.readAllLines(dir.resolve(topic.name() + ".jsonl"))) {
                all.add(AvroJson.read(JSON.readTree(line), schema, Set.of()));
            }
        }
        return all;
    }
}
