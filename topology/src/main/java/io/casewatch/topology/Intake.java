package io.casewatch.topology;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import io.casewatch.cases.InvalidEventException;
import io.casewatch.cases.InvalidEventException.Reason;
import io.casewatch.loops.TextLimit;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.serde.RecordSerdes;

/**
 * Reads one input topic's raw records: decodes them, checks that they make sense (SPEC section 8), and passes
 * them on as {@link CaseInput}; anything else goes to the dead-letter sink with its reason and original bytes.
 * Tick records (casewatch's heartbeats) move stream time and go on to the case processor as a {@link Heartbeat}, the
 * end offsets they carry proving which input partitions are caught up. Every record read is reported to the task's
 * {@link InputProgress}, so that such a proof counts what was dead-lettered here too.
 */
public final class Intake implements Processor<byte[], byte[], Object, Object> {

    public static final String TICK_HEADER = "casewatch.tick";


    /** Limits of what makes sense. */
    record Limits(Duration maxFuture, int maxTextChars, Clock clock) {
        static final Limits DEFAULT = new Limits(Duration.ofDays(1), 16_384, null);
    }

    private final CaseInput.Kind kind;
    private final Limits limits;
    private final String caseProcessor;
    private final String deadLetterSink;
    private final IntakeCounters counters;
    private final InputProgress progress;
    private ProcessorContext<Object, Object> context;

    Intake(CaseInput.Kind kind, Limits limits, String caseProcessor, String deadLetterSink, IntakeCounters counters, InputProgress progress) {
        this.progress = progress;
        this.kind = kind;
        this.limits = limits;
        this.caseProcessor = caseProcessor;
        this.deadLetterSink = deadLetterSink;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        if (meta != null) {
            progress.handled(meta.topic(), meta.partition(), meta.offset());
        }
        if (kind == null || record.headers().lastHeader(TICK_HEADER) != null) {
            counters.tick();
            if (record.headers().lastHeader(Heartbeat.END_OF_INPUT_HEADER) != null) {
                context.forward(new Record<Object, Object>(null, CaseTaskInput.EndOfInput.INSTANCE,
                        record.timestamp()), caseProcessor);
                return;
            }
            if (progress.gatesDeadlines()) {
                context.forward(new Record<Object, Object>(null,
                        new Heartbeat(record.timestamp(), Heartbeat.endOffsetsOf(record.value())), record.timestamp()), caseProcessor);
            }
            return;
        }
        CaseInput.Source source = new CaseInput.Source(meta == null ? null : meta.topic(), meta == null ? -1 : meta.partition(),
                meta == null ? -1 : meta.offset(), record.timestamp(), record.key(), record.value(), record.headers());
        try {
            CaseInput input = decode(kind, limits, source);
            if (input.textTruncated()) {
                counters.truncated();
            }
            counters.accept();
            context.forward(new Record<Object, Object>(caseIdOf(input), input, record.timestamp(), record.headers()), caseProcessor);
        } catch (InvalidEventException e) {
            deadLetter(context, deadLetterSink, counters, source, e.reason(), e.getMessage());
        }
    }

    static void deadLetter(ProcessorContext<Object, Object> ctx, String sink, IntakeCounters counters, CaseInput.Source s,
            Reason reason, String error) {
        counters.countDeadLetter(reason);
        counters.deadLettered(s.topic(), s.partition());
        ctx.forward(new Record<Object, Object>(s.key(), s.value(), s.timestamp(),
                DeadLetters.headers(s, reason, error)), sink);
    }

    /**
     * The event a record of {@code kind}'s topic holds, checked (SPEC section 8); the case processor decodes a record
     * it kept waiting again with the same limits.
     */
    static CaseInput decode(CaseInput.Kind kind, Limits limits, CaseInput.Source source) {
        byte[] value = source.value();
        if (value == null || value.length == 0) {
            throw new InvalidEventException(Reason.EMPTY_VALUE, "empty value on " + source.topic());
        }
        SpecificRecord event;
        try {
            event = switch (kind) {
                case COMPLAINT -> RecordSerdes.COMPLAINT_EVENT.fromBytes(value);
                case CONTACT -> RecordSerdes.CONTACT_EVENT.fromBytes(value);
                case ACK -> RecordSerdes.ESCALATION_ACK.fromBytes(value);
            };
        } catch (SerializationException e) {
            throw new InvalidEventException(Reason.UNDECODABLE, e.getMessage());
        }
        String caseId;
        String eventId;
        long occurredAt;
        boolean truncated = false;
        if (event instanceof ComplaintEvent c) {
            caseId = c.getCaseId();
            eventId = c.getEventId();
            occurredAt = c.getOccurredAt().toEpochMilli();
            if (c.getType() == ComplaintEventType.UNKNOWN) {
                throw new InvalidEventException(Reason.UNKNOWN_ENUM, "complaint event type unknown to this version");
            }
            if (c.getMerchantId() == null || c.getMerchantId().isBlank()) {
                throw new InvalidEventException(Reason.MISSING_CASE_ID, "complaint event without merchantId");
            }
        } else if (event instanceof ContactEvent c) {
            caseId = c.getCaseId();
            eventId = c.getEventId();
            occurredAt = c.getOccurredAt().toEpochMilli();
            if (c.getDirection() == Direction.UNKNOWN) {
                throw new InvalidEventException(Reason.UNKNOWN_ENUM, "contact direction unknown to this version");
            }
            if (TextLimit.exceeds(c.getText(), limits.maxTextChars())) {
                // SPEC section 8: the contact counts and is classified on its head; the full text stays only in the
                // source bytes (dead-lettered as they came if the case never opens).
                c.setText(TextLimit.head(c.getText(), limits.maxTextChars()));
                truncated = true;
            }
        } else {
            EscalationAck a = (EscalationAck) event;
            caseId = a.getCaseId();
            eventId = a.getEventId();
            occurredAt = a.getOccurredAt().toEpochMilli();
        }
        if (caseId == null || caseId.isBlank()) {
            throw new InvalidEventException(Reason.MISSING_CASE_ID, "event without caseId");
        }
        if (eventId == null || eventId.isBlank()) {
            throw new InvalidEventException(Reason.MISSING_CASE_ID, "event without eventId");
        }
        byte[] key = source.key();
        if (key == null || key.length == 0) {
            throw new InvalidEventException(Reason.MISSING_CASE_ID, "record without key; the key must be the caseId");
        }
        if (!caseId.equals(new String(key, StandardCharsets.UTF_8))) {
            throw new InvalidEventException(Reason.KEY_MISMATCH, "record key differs from caseId " + caseId
                    + ": the record would sit on another case's partition");
        }
        if (!GuardedTimestampExtractor.inRange(occurredAt, limits.clock(), limits.maxFuture().toMillis())) {
            throw new InvalidEventException(Reason.TIME_OUT_OF_RANGE, "occurredAt " + Instant.ofEpochMilli(occurredAt)
                    + " is before 2000 or more than " + limits.maxFuture() + " ahead of the clock");
        }
        return new CaseInput(kind, event, eventId, occurredAt, source, truncated);
    }

    private static String caseIdOf(CaseInput in) {
        if (in.event() instanceof ComplaintEvent c) {
            return c.getCaseId();
        }
        if (in.event() instanceof ContactEvent c) {
            return c.getCaseId();
        }
        return ((EscalationAck) in.event()).getCaseId();
    }
}
