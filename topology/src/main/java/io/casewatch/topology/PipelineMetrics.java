package io.casewatch.topology;

import io.casewatch.schema.Alert;
import io.casewatch.schema.CaseStatus;

/**
 * What the topology reports to whoever watches it (the operations surface: Micrometer, the live page). An interface
 * here, implemented elsewhere, so that the topology builder stays free of any metrics library and replay and the
 * tests run with {@link #NONE}.
 *
 * <p>Calls happen on stream threads, inside the processing of a record or a punctuation: implementations must be
 * thread-safe and cheap. Figures are observed when a record is forwarded, not when its transaction commits, so an
 * aborted transaction that is retried is counted again.
 */
public interface PipelineMetrics {

    /** Reports nothing. */
    PipelineMetrics NONE = new PipelineMetrics() {
        @Override
        public void alertPublished(Alert alert) {
        }

        @Override
        public void holdingReplies(int count) {
        }

        @Override
        public void punctuation(long nanos) {
        }

        @Override
        public CaseGauges caseGauges(String taskId) {
            return CaseGauges.NONE;
        }
    };

    /** An alert (open or closed) left the escalation gate for its level's topic. */
    void alertPublished(Alert alert);

    /** Outbound replies judged holding replies while processing one event. */
    void holdingReplies(int count);

    /** An event waited for the input-partition gate before it was applied (docs/time.md). */
    default void eventWaited() {
    }

    /** How long one punctuation of the case processor took. */
    void punctuation(long nanos);

    /** The gauges of the cases of one task; closed with the task, when its cases move to another instance. */
    CaseGauges caseGauges(String taskId);

    /** Open, at-risk and breached cases of one task, kept in memory and updated with every status published. */
    interface CaseGauges extends AutoCloseable {

        CaseGauges NONE = new CaseGauges() {
            @Override
            public void update(CaseStatus status) {
            }

            @Override
            public void close() {
            }
        };

        /** The case's latest status. */
        void update(CaseStatus status);

        @Override
        void close();
    }
}
