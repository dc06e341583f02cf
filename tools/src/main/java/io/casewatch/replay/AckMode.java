package io.casewatch.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a replay makes of acknowledgements ({@code --acks}). Exported help-desk histories carry no EscalationAck
 * events: replayed with the ack ladder on, every alert would climb to ESCALATION_UNACKED as if nobody had ever
 * taken ownership (28,505 such alerts for the 6,623 CFPB complaints, 57% of all alerts).
 */
public enum AckMode {
    /** Acks are applied as recorded, and alerts nobody acknowledged escalate (what {@code run} does). */
    RECORDED,
    /** No ack escalation: the history is read for what it says about cases, not about desks. */
    IGNORE;

    /** What was decided for one input, and the line that says so when it was not asked for. */
    public record Decision(boolean ackEscalation, String note) {
    }

    /**
     * The decision for {@code events}: the mode asked for, or, when none was, {@link #RECORDED} if the input holds an
     * ack event and off otherwise (with a note saying so).
     */
    public static Decision decide(AckMode asked, Path events) throws IOException {
        if (asked != null) {
            return new Decision(asked == RECORDED, null);
        }
        if (holdsAck(events)) {
            return new Decision(true, null);
        }
        return new Decision(false, "the input holds no ack events: ack escalation (ESCALATION_UNACKED) is off; "
                + "--acks recorded turns it on");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Whether a line of the JSON Lines file is an ack event ({@code "stream": "ack"}). Only lines that mention
     * {@code "ack"} are parsed, so the scan costs little beside the replay itself.
     */
    static boolean holdsAck(Path events) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.contains("\"ack\"")) {
                    try {
                        JsonNode n = JSON.readTree(line);
                        if (n != null && n.path("stream").asText().equals("ack")) {
                            return true;
                        }
                    } catch (IOException e) {
                        // A bad line is the replay's to report (BAD_LINE); it is no ack here.
                    }
                }
            }
        }
        return false;
    }
}
