package io.casewatch.cases;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.casewatch.schema.Actor;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.Channel;
import io.casewatch.schema.ClockKind;
import io.casewatch.schema.ClockState;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.Level;
import io.casewatch.schema.internal.AlertState;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.ContactMark;
import io.casewatch.schema.internal.LifecycleStep;
import io.casewatch.schema.internal.Pause;
import io.casewatch.schema.internal.PauseKind;
import io.casewatch.sla.ClockMath;

/**
 * A case as a person looks at it: its events by type and channel (replies marked holding or substantive, never their
 * text), every clock from its start to its deadline with its pauses, and its alerts with levels and closes.
 *
 * <p>Contacts are kept in the case state as compact marks (seconds from the case's first record and one int of
 * channel, actor, direction and reply class: 5-8 bytes each), at most {@link #MAX_MARKS}: the first contact and the
 * latest ones, so that the state stays within its budget of about 1 KiB per open case. Lifecycle events come from
 * the steps the compliance record already keeps.
 */
public final class CaseTimeline {

    /** Contacts kept per case: the first and the latest {@code MAX_MARKS - 1}. */
    public static final int MAX_MARKS = 16;

    /** What an OUTBOUND reply was, for the timeline. */
    public enum Reply { NONE, HOLDING, SUBSTANTIVE, NOT_COUNTED }

    /** One event of the case: a lifecycle type (OPENED, RESOLVED, ...) or INBOUND / OUTBOUND for a contact. */
    public record Event(long at, String type, Channel channel, Actor actor, Reply reply, String reason) {
    }

    /** A pause of a clock; {@code to} null while open. */
    public record PauseSpan(long from, Long to, String kind) {
    }

    /** One clock as a bar from its counting start to its deadline (null while an open pause holds it). */
    public record Bar(ClockKind clock, long start, Long deadline, ClockState state, Long goalAt, Long stoppedAt, double budgetUsed,
            List<PauseSpan> pauses) {
    }

    /** One alert of the case with its level and, once closed, when. */
    public record AlertLine(String alertId, AlertKind kind, Level level, long raisedAt, Long closedAt, boolean acked, String relatedTo) {
    }

    /** The whole view. {@code contactsShown} of {@code contacts}: the marks are bounded. */
    public record View(String caseId, List<Event> events, List<Bar> clocks, List<AlertLine> alerts, int contacts, int contactsShown) {
    }

    private CaseTimeline() {
    }

    static int code(Channel channel, Actor actor, Direction direction, Reply reply) {
        return channel.ordinal() | actor.ordinal() << 3 | direction.ordinal() << 6 | reply.ordinal() << 8;
    }

    static Channel channel(int code) {
        return symbol(Channel.values(), code & 7, Channel.UNKNOWN);
    }

    static Actor actor(int code) {
        return symbol(Actor.values(), code >> 3 & 7, Actor.UNKNOWN);
    }

    static Direction direction(int code) {
        return symbol(Direction.values(), code >> 6 & 3, Direction.UNKNOWN);
    }

    static Reply reply(int code) {
        return Reply.values()[code >> 8 & 3];
    }

    private static <E> E symbol(E[] values, int ordinal, E unknown) {
        return ordinal < values.length ? values[ordinal] : unknown;
    }

    /** Remembers a contact: the first mark stays, the oldest of the others goes when the marks are full. */
    static void record(CaseData c, ContactEvent e, Reply reply) {
        List<ContactMark> marks = c.getContactMarks();
        if (!(marks instanceof ArrayList)) {
            marks = new ArrayList<>(marks);
            c.setContactMarks(marks);
        }
        if (marks.size() >= MAX_MARKS) {
            marks.remove(1);
        }
        long at = e.getOccurredAt().toEpochMilli();
        marks.add(new ContactMark(Math.floorDiv(at - c.getFirstSeenAt(), 1000L), code(e.getChannel(), e.getActor(), e.getDirection(), reply)));
    }

    private static final Set<PauseKind> RESOLUTION = Set.of(PauseKind.AWAITING_CUSTOMER, PauseKind.RESOLVED_GAP);
    private static final Set<PauseKind> STATUTORY = Set.of(PauseKind.EXCLUSION, PauseKind.RESOLVED_GAP);

    static View view(CaseData c, List<ClockView> clocks) {
        List<Event> events = new ArrayList<>();
        for (LifecycleStep s : c.getSteps()) {
            events.add(new Event(s.getAt(), s.getType(), null, null, null, s.getReason()));
        }
        for (ContactMark m : c.getContactMarks()) {
            long at = c.getFirstSeenAt() + m.getAtSecond() * 1000L;
            events.add(new Event(at, direction(m.getCode()).name(), channel(m.getCode()), actor(m.getCode()), reply(m.getCode()), null));
        }
        // Stable: a contact at the instant of a lifecycle event stays after it, as it was applied.
        events.sort(Comparator.comparingLong(Event::at));
        List<Bar> bars = new ArrayList<>();
        for (ClockView v : clocks) {
            Set<PauseKind> kinds = v.kind() == ClockKind.RESOLUTION ? RESOLUTION : v.kind() == ClockKind.STATUTORY ? STATUTORY : Set.of();
            List<PauseSpan> pauses = new ArrayList<>();
            for (Pause p : c.getPauses()) {
                if (kinds.contains(p.getKind()) && (p.getTo() == null || p.getTo() > v.start())) {
                    pauses.add(new PauseSpan(Math.max(p.getFrom(), v.start()), p.getTo(), p.getKind().name()));
                }
            }
            bars.add(new Bar(v.kind(), v.start(), v.deadline() == ClockMath.NEVER ? null : v.deadline(), v.state(), v.goalAt(), v.stoppedAt(),
                    v.budgetUsed(), pauses));
        }
        List<AlertLine> alerts = new ArrayList<>();
        for (AlertState a : c.getAlerts()) {
            alerts.add(new AlertLine(a.getAlertId(), a.getKind(), a.getLevel(), a.getRaisedAt(), a.getClosed() ? a.getClosedAt() : null,
                    a.getAcked(), a.getAlertId().equals(a.getRootAlertId()) ? null : a.getRootAlertId()));
        }
        return new View(c.getCaseId(), events, bars, alerts, c.getInbound() + c.getOutbound(), c.getContactMarks().size());
    }
}
