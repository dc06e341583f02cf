package io.casewatch.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.casewatch.cases.InvalidEventException;

/**
 * Header names of dead-lettered records (SPEC section 8): why, from where, and when. The key and value are the
 * original bytes, untouched; the original headers are kept too.
 */
public final class DeadLetters {
    public static final String REASON = "casewatch.dlq.reason";
    public static final String ERROR = "casewatch.dlq.error";
    public static final String TOPIC = "casewatch.dlq.source.topic";
    public static final String PARTITION = "casewatch.dlq.source.partition";
    public static final String OFFSET = "casewatch.dlq.source.offset";
    public static final String TIMESTAMP = "casewatch.dlq.source.timestamp";

    /** Messages in headers are cut here: a reason needs no more, and raw text must not leak through them. */
    static final int MAX_ERROR_CHARS = 300;

    private DeadLetters() {
    }

    public static Headers headers(CaseInput.Source s, InvalidEventException.Reason reason, String error) {
        Headers h = new RecordHeaders(s.headers() == null ? new Header[0] : s.headers().toArray());
        h.remove(REASON);
        h.add(REASON, utf8(reason.name()));
        h.add(ERROR, utf8(error == null ? "" : error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error));
        h.add(TOPIC, utf8(s.topic() == null ? "" : s.topic()));
        h.add(PARTITION, utf8(Integer.toString(s.partition())));
        h.add(OFFSET, utf8(Long.toString(s.offset())));
        h.add(TIMESTAMP, utf8(Long.toString(s.timestamp())));
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
