package io.casewatch.oracle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.avro.specific.SpecificRecord;

import io.casewatch.schema.Actor;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;

/**
 * An independent oracle (issue 18, item 1): the alerts casewatch must raise, computed from the produced events by a
 * deliberately plain model of SPEC sections 3-5 that shares no code with the topology — no engine, clock, calendar,
 * policy or classifier class; only the Avro event classes it reads. A bug the topology and replay share (replay runs
 * the same topology) shows up as a difference from this model.
 *
 * <p>It models what {@link ModelWorkload} produces and nothing more: one policy, calendar time (UTC, every minute
 * counts), no at-risk points, no statutory clock, no pauses, extensions or reopenings, no acks (ack times beyond the
 * horizon), no bots, and holding replies recognised by their exact text (the generator only writes holding replies
 * from {@link #HOLDING_TEXTS} and substantive replies that are not alike). What it computes, per case:
 * <ul>
 *   <li>{@code FIRST_RESPONSE_BREACH} (L1) at OPENED + first-response budget, unless an OUTBOUND by AGENT or MERCHANT
 *       (holding or not) or a RESOLVED came at or before it, or the case was withdrawn or closed before it;</li>
 *   <li>{@code RESOLUTION_BREACH} (L2) at OPENED + resolution budget, unless RESOLVED at or before it, or withdrawn or
 *       closed before it;</li>
 *   <li>{@code UNANSWERED_CONTACT} (L1) at the first INBOUND of a run without reply (after the OPENED) + next-reply
 *       budget, unless a reply came at or before it: one per run;</li>
 *   <li>{@code STALL_LOOP} (L2) at the N-th INBOUND of an episode in which every reply since its first INBOUND was a
 *       holding reply (at least one), within the window; a substantive reply or a progress event (RESOLVED) ends
 *       the episode. The generator stays below the further N holding replies that would raise its level.</li>
 * </ul>
 * Each expected alert is {@code caseId kind level detectedAt}: casewatch stamps an alert with the instant it fell
 * due, whenever it is first looked at (docs/reliability.md).
 */
public final class ReferenceModel {

    /** The holding replies the generator writes: phrases every shipped holding list contains. */
    public static final List<String> HOLDING_TEXTS = List.of(
            "您的问题正在处理中，请耐心等待。",
            "Your case is being processed, please wait.",
            "Thank you for your patience, we are still looking into this and will get back to you.");

    /** The kinds this model decides; alerts of other kinds are compared with replay only. */
    public static final Set<String> MODELLED_KINDS = Set.of("FIRST_RESPONSE_BREACH", "RESOLUTION_BREACH", "UNANSWERED_CONTACT", "STALL_LOOP");

    private final Duration firstResponse;
    private final Duration nextReply;
    private final Duration resolution;
    private final Duration stallWindow;
    private final int stallContacts;

    public ReferenceModel(Duration firstResponse, Duration nextReply, Duration resolution, Duration stallWindow, int stallContacts) {
        this.firstResponse = firstResponse;
        this.nextReply = nextReply;
        this.resolution = resolution;
        this.stallWindow = stallWindow;
        this.stallContacts = stallContacts;
    }

    /** The alerts due by {@code until}, as {@code caseId kind level detectedAt}. */
    public Set<String> expectedAlerts(List<SpecificRecord> events, Instant until) {
        Map<String, List<SpecificRecord>> byCase = new LinkedHashMap<>();
        for (SpecificRecord e : events) {
            byCase.computeIfAbsent(caseIdOf(e), k -> new ArrayList<>()).add(e);
        }
        Set<String> out = new TreeSet<>();
        Set<String> seenIds = new HashSet<>();
        for (Map.Entry<String, List<SpecificRecord>> c : byCase.entrySet()) {
            List<SpecificRecord> evs = new ArrayList<>();
            for (SpecificRecord e : c.getValue()) {
                // SPEC section 3: a second record with the same eventId changes nothing.
                if (seenIds.add(eventIdOf(e))) {
                    evs.add(e);
                }
            }
            evs.sort(Comparator.comparing(ReferenceModel::timeOf));
            oneCase(c.getKey(), evs, until, out);
        }
        return out;
    }

    private void oneCase(String caseId, List<SpecificRecord> evs, Instant until, Set<String> out) {
        Instant opened = null;
        Instant firstReply = null;
        Instant resolved = null;
        Instant ended = null;
        for (SpecificRecord e : evs) {
            Instant at = timeOf(e);
            if (e instanceof ComplaintEvent ce) {
                if (ce.getType() == ComplaintEventType.OPENED && opened == null) {
                    opened = at;
                } else if (ce.getType() == ComplaintEventType.RESOLVED && resolved == null) {
                    resolved = at;
                } else if ((ce.getType() == ComplaintEventType.WITHDRAWN || ce.getType() == ComplaintEventType.CLOSED) && ended == null) {
                    ended = at;
                }
            } else if (e instanceof ContactEvent ct && isReply(ct) && firstReply == null) {
                firstReply = at;
            }
        }
        if (opened == null) {
            return; // never a case: its records are dead-lettered (orphans), no alert
        }
        Instant frDue = opened.plus(firstResponse);
        Instant frMet = earliest(firstReply, resolved);
        if (!frDue.isAfter(until) && (frMet == null || frMet.isAfter(frDue)) && (ended == null || !ended.isBefore(frDue))) {
            out.add(alert(caseId, "FIRST_RESPONSE_BREACH", "L1", frDue));
        }
        Instant resDue = opened.plus(resolution);
        if (!resDue.isAfter(until) && (resolved == null || resolved.isAfter(resDue)) && (ended == null || !ended.isBefore(resDue))) {
            out.add(alert(caseId, "RESOLUTION_BREACH", "L2", resDue));
        }

        // Next reply: a run of INBOUND contacts after the OPENED with no reply between them is one wait.
        Instant waitingSince = null;
        // Stall: INBOUND contacts of the current episode and whether every reply since its first was a holding reply.
        List<Instant> stallInbound = new ArrayList<>();
        int stallHolding = 0;
        boolean stallAlerted = false;
        for (SpecificRecord e : evs) {
            Instant at = timeOf(e);
            if (e instanceof ComplaintEvent ce) {
                if (ce.getType() == ComplaintEventType.RESOLVED || ce.getType() == ComplaintEventType.WITHDRAWN
                        || ce.getType() == ComplaintEventType.CLOSED) {
                    stallInbound.clear();
                    stallHolding = 0;
                    stallAlerted = false;
                }
                continue;
            }
            ContactEvent ct = (ContactEvent) e;
            if (ct.getDirection() == Direction.INBOUND && at.isAfter(opened)) {
                if (waitingSince == null) {
                    waitingSince = at;
                }
                stallInbound.removeIf(t -> t.isBefore(at.minus(stallWindow)));
                stallInbound.add(at);
                if (!stallAlerted && stallInbound.size() >= stallContacts && stallHolding > 0) {
                    out.add(alert(caseId, "STALL_LOOP", "L2", at));
                    stallAlerted = true;
                }
            } else if (isReply(ct)) {
                if (waitingSince != null) {
                    Instant due = waitingSince.plus(nextReply);
                    if (at.isAfter(due) && !due.isAfter(until)) {
                        out.add(alert(caseId, "UNANSWERED_CONTACT", "L1", due));
                    }
                    waitingSince = null;
                }
                if (HOLDING_TEXTS.contains(String.valueOf(ct.getText()))) {
                    if (!stallInbound.isEmpty()) {
                        stallHolding++;
                    }
                } else {
                    stallInbound.clear();
                    stallHolding = 0;
                    stallAlerted = false;
                }
            }
        }
        if (waitingSince != null) {
            Instant due = waitingSince.plus(nextReply);
            Instant stopped = earliest(resolved, ended);
            if (!due.isAfter(until) && (stopped == null || stopped.isAfter(due))) {
                out.add(alert(caseId, "UNANSWERED_CONTACT", "L1", due));
            }
        }
    }

    private static boolean isReply(ContactEvent ct) {
        return ct.getDirection() == Direction.OUTBOUND && (ct.getActor() == Actor.AGENT || ct.getActor() == Actor.MERCHANT);
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    /** The comparison key of an alert: what the model decides (not the id, which is casewatch's own hash). */
    public static String alert(String caseId, String kind, String level, Instant detectedAt) {
        return String.join(" ", caseId, kind, level, detectedAt.toString());
    }

    private static String caseIdOf(SpecificRecord e) {
        return String.valueOf(e.get(e.getSchema().getField("caseId").pos()));
    }

    private static String eventIdOf(SpecificRecord e) {
        return String.valueOf(e.get(e.getSchema().getField("eventId").pos()));
    }

    private static Instant timeOf(SpecificRecord e) {
        return (Instant) e.get(e.getSchema().getField("occurredAt").pos());
    }
}
