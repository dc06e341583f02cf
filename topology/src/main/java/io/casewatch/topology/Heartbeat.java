package io.casewatch.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A heartbeat of casewatch's ticker as the case processor reads it: when it was written (wall clock, before the end
 * offsets were read) and the end offset of each input topic's partition of the same number at that time. A
 * partition whose records below that offset have all been handled cannot bring an event stamped before the
 * heartbeat except one produced later than its own time by more than the grace: a late event.
 *
 * @param endOffsets by topic name; empty for a heartbeat of an older ticker, which proves nothing
 */
public record Heartbeat(long at, Map<String, Long> endOffsets) implements CaseTaskInput {

    private static final byte VERSION = 1;
    /**
     * On a tick: the input ends here ({@code replay}'s last record). Statuses held back by the status interval are
     * published at once, as no later punctuation will come to publish them.
     */
    public static final String END_OF_INPUT_HEADER = "casewatch.end-of-input";

    public static byte[] encode(Map<String, Long> endOffsets) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeInt(endOffsets.size());
            for (Map.Entry<String, Long> e : endOffsets.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The end offsets a heartbeat's value carries; none for an empty or unreadable value. */
    public static Map<String, Long> endOffsetsOf(byte[] value) {
        Map<String, Long> ends = new LinkedHashMap<>();
        if (value == null || value.length == 0 || value[0] != VERSION) {
            return ends;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            in.readByte();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                ends.put(in.readUTF(), in.readLong());
            }
            return ends;
        } catch (IOException e) {
            return new LinkedHashMap<>();
        }
    }
}
