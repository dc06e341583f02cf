package io.casewatch.topology;

import java.nio.charset.StandardCharsets;

import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.serde.AvroSerde;

/**
 * What the case processor keeps in its changelog topics for one case, byte for byte: for tools that build state
 * without running the topology (the restore benchmark writes a million open cases straight into the changelogs
 * instead of processing their events for an hour). The topology itself never uses this class.
 */
public final class StateImage {

    private static final AvroSerde<CaseData> CASE_SERDE = new AvroSerde<>(CaseData.class);

    private StateImage() {
    }

    public static String casesChangelog(String applicationId) {
        return applicationId + "-" + Names.CASE_STORE + "-changelog";
    }

    public static byte[] caseKey(String caseId) {
        return caseId.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] caseValue(CaseData c) {
        return CASE_SERDE.toBytes(c);
    }
}
