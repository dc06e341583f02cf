package io.casewatch.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

import io.casewatch.cases.InvalidEventException.Reason;

/**
 * Kafka Streams' processing exception handler for casewatch (KIP-1033, with the built-in dead-letter topic of
 * KIP-1034): an exception that escapes a processor is a defect, and it must cost one record, not the stream thread
 * and with it every case of its partitions. The record goes to the dead-letter topic
 * ({@code errors.dead.letter.queue.topic.name}) with Kafka's {@code __streams.errors.*} headers, plus casewatch's
 * own {@code casewatch.dlq.*} headers (reason {@code PROCESSING_ERROR}) so that the topic reads the same whatever
 * put a record there, and it is counted in the intake counters of the instance.
 *
 * <p>The counters arrive through the Streams configuration under {@link #COUNTERS_CONFIG} (an object, not a string:
 * Kafka passes the original configuration values to {@link #configure}).
 */
public final class DefectHandler extends LogAndContinueProcessingExceptionHandler {

    /** Configuration key under which {@code Pipeline} passes the instance's {@link IntakeCounters}. */
    public static final String COUNTERS_CONFIG = "casewatch.internal.intake.counters";

    private IntakeCounters counters;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        Object c = configs.get(COUNTERS_CONFIG);
        counters = c instanceof IntakeCounters ic ? ic : null;
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        Response inner = super.handleError(context, record, exception);
        // Only the exception's class and first frame: a message may quote the data, and the DLQ is read by people.
        String error = exception.getClass().getSimpleName() + " in " + context.processorNodeId() + " at "
                + (exception.getStackTrace().length > 0 ? exception.getStackTrace()[0] : "?");
        CaseInput.Source source = new CaseInput.Source(context.topic(), context.partition(), context.offset(), context.timestamp(),
                null, null, null);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : inner.deadLetterQueueRecords()) {
            DeadLetters.headers(source, Reason.PROCESSING_ERROR, error).forEach(h -> r.headers().add(h));
            out.add(r);
        }
        if (counters != null && context.topic() != null) {
            counters.countDeadLetter(Reason.PROCESSING_ERROR);
            counters.deadLettered(context.topic(), context.partition());
        }
        return Response.resume(out);
    }
}
