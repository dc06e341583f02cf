package io.casewatch.bench;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.serde.AvroSerde;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.sla.BusinessCalendar;
import io.casewatch.sla.Budget;
import io.casewatch.sla.Calendars;
import io.casewatch.sla.ClockMath;
import io.casewatch.workload.Workload;

/**
 * The per-event hot paths besides classification: Avro encoding and decoding of an input event and of a case's
 * state (read and written on every event), and business-time deadline arithmetic in the Chinese calendar
 * (15 business days with 调休, and the budget used so far on a case open for months).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HotPathBenchmark {

    private ComplaintEvent event;
    private byte[] eventBytes;
    private CaseData state;
    private byte[] stateBytes;
    private final AvroSerde<CaseData> caseSerde = new AvroSerde<>(CaseData.class);
    private BusinessCalendar cn;
    private Budget fifteenBusinessDays;
    private long receivedAt;
    private long monthsLater;

    @Setup
    public void setUp() {
        Workload w = Workload.generate(Workload.Shape.of(50, 5, Instant.parse("2026-01-05T00:00:00Z"), java.time.Duration.ofDays(30), 3));
        event = (ComplaintEvent) w.events().stream().filter(e -> e.event() instanceof ComplaintEvent).findFirst().orElseThrow().event();
        eventBytes = RecordSerdes.COMPLAINT_EVENT.toBytes(event);
        // A case as the engine leaves it after a handful of events (fingerprints, seen ids, alerts, steps).
        io.casewatch.cases.CaseEngine engine = new io.casewatch.cases.CaseEngine(io.casewatch.policy.PolicySet.presets(),
                io.casewatch.loops.HoldingReplyClassifier.shipped(), io.casewatch.escalation.EscalationRules.DEFAULT);
        String caseId = event.getCaseId();
        state = io.casewatch.cases.CaseEngine.newCase(caseId, event.getOccurredAt().toEpochMilli());
        for (Workload.Event e : w.events()) {
            if (e.event() instanceof ComplaintEvent c && c.getCaseId().equals(caseId)) {
                engine.markSeen(state, c.getEventId());
                engine.onComplaint(state, c);
            } else if (e.event() instanceof io.casewatch.schema.ContactEvent c && c.getCaseId().equals(caseId)) {
                engine.markSeen(state, c.getEventId());
                engine.onContact(state, c);
            }
        }
        stateBytes = caseSerde.toBytes(state);
        cn = Calendars.presets().get("CN");
        fifteenBusinessDays = Budget.parse("15 business days");
        receivedAt = Instant.parse("2026-09-30T15:00:00Z").toEpochMilli();
        monthsLater = Instant.parse("2027-01-20T00:00:00Z").toEpochMilli();
    }

    @Benchmark
    public byte[] encodeEvent() {
        return RecordSerdes.COMPLAINT_EVENT.toBytes(event);
    }

    @Benchmark
    public ComplaintEvent decodeEvent() {
        return RecordSerdes.COMPLAINT_EVENT.fromBytes(eventBytes);
    }

    @Benchmark
    public byte[] encodeCaseState() {
        return caseSerde.toBytes(state);
    }

    @Benchmark
    public CaseData decodeCaseState() {
        return caseSerde.fromBytes(stateBytes);
    }

    @Benchmark
    public long deadlineFifteenBusinessDaysAcrossNationalDay() {
        long start = ClockMath.countingStart(fifteenBusinessDays, cn, receivedAt, true);
        return ClockMath.deadline(fifteenBusinessDays, cn, start, List.of(), true);
    }

    @Benchmark
    public long businessTimeUsedOverFourMonths() {
        return ClockMath.counted(fifteenBusinessDays.basis(), cn, receivedAt, monthsLater, List.of());
    }
}
