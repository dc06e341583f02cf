package io.casewatch.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.casewatch.schema.internal.PendingHeader;
import io.casewatch.schema.internal.PendingRecord;

/** An input record kept in a store exactly as it was read (bytes, headers, origin), and back. */
final class PendingRecords {

    private PendingRecords() {
    }

    static PendingRecord of(CaseInput.Source s) {
        List<PendingHeader> headers = new ArrayList<>();
        if (s.headers() != null) {
            for (Header h : s.headers()) {
                headers.add(new PendingHeader(h.key(), h.value() == null ? null : ByteBuffer.wrap(h.value())));
            }
        }
        return new PendingRecord(s.topic() == null ? "" : s.topic(), s.partition(), s.offset(), s.timestamp(),
                s.key() == null ? null : ByteBuffer.wrap(s.key()), s.value() == null ? null : ByteBuffer.wrap(s.value()), headers);
    }

    static CaseInput.Source source(PendingRecord r) {
        RecordHeaders headers = new RecordHeaders();
        for (PendingHeader h : r.getHeaders()) {
            headers.add(h.getKey(), bytes(h.getValue()));
        }
        return new CaseInput.Source(r.getTopic(), r.getPartition(), r.getOffset(), r.getTimestamp(), bytes(r.getKey()), bytes(r.getValue()),
                headers);
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
