package io.casewatch.topology;

import io.casewatch.stats.MerchantStatsProcessor;

/**
 * The names of the topology's nodes and state stores. A running application's state is bound to them: a store's
 * changelog topic and its local folder are named after the store, and a renamed node can move a store to another
 * sub-topology. So they are written once, here, and pinned by {@code TopologySnapshotTest}; the interactive queries
 * read stores by these names.
 */
public final class Names {

    // ------------------------------------------------------------ sub-topology 0: intake -> cases -> gate

    public static final String SRC_COMPLAINTS = "src-complaints";
    public static final String SRC_CONTACTS = "src-contacts";
    public static final String SRC_ACKS = "src-acks";
    public static final String SRC_TICKS = "src-ticks";
    public static final String INTAKE_COMPLAINTS = "intake-complaints";
    public static final String INTAKE_CONTACTS = "intake-contacts";
    public static final String INTAKE_ACKS = "intake-acks";
    public static final String INTAKE_TICKS = "intake-ticks";
    public static final String CASES = "cases";
    public static final String GATE = "escalation-gate";
    public static final String SINK_L1 = "sink-l1";
    public static final String SINK_L2 = "sink-l2";
    public static final String SINK_L3 = "sink-l3";
    public static final String SINK_STATUS = "sink-status";
    public static final String SINK_DLQ = "sink-dlq";
    public static final String SINK_FACTS = "sink-facts";
    public static final String SINK_COMPLIANCE = "sink-compliance";

    /** The case processor's state: caseId to {@code CaseData}. */
    public static final String CASE_STORE = "case-store";
    /** Contacts and acks of cases whose OPENED has not come yet, held for the orphan grace. */
    public static final String CASE_PENDING = "case-pending";
    /** Events of opened cases read ahead of the input-partition gate, waiting for it (docs/time.md). */
    public static final String CASE_HELD = "case-held";
    /** The case processor's bookkeeping per task (policy epoch, status sequence). */
    public static final String CASE_META = "case-meta";
    /** The escalation gate's storm windows. */
    public static final String STORM_WINDOWS = "storm-windows";
    /** The escalation gate's L1 alerts held for quiet hours. */
    public static final String QUIET_HELD = "quiet-held";

    // ------------------------------------------------------------ sub-topology 1: facts -> merchant statistics

    public static final String SRC_FACTS = "src-facts";
    public static final String STATS = "merchant-stats";
    public static final String SINK_STATS = "sink-stats";

    /** Each merchant's day aggregates. */
    public static final String MERCHANT_DAYS = MerchantStatsProcessor.DAYS;
    /** The latest day and 30-day window of each merchant: merchantId (and merchantId/P30D) to {@code MerchantStats}. */
    public static final String MERCHANT_LATEST = MerchantStatsProcessor.LATEST;
    /** The case tasks' watermarks as the statistics last heard them. */
    public static final String MERCHANT_WATERMARKS = MerchantStatsProcessor.WATERMARKS;

    private Names() {
    }
}
