package io.casewatch.ops;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.casewatch.cases.CaseTimeline;

/** A case's timeline as the live page reads it: times as ISO-8601 UTC, enums as symbols, no message text. */
final class CaseTimelineJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private CaseTimelineJson() {
    }

    static JsonNode of(CaseTimeline.View v, long now) {
        ObjectNode o = F.objectNode();
        o.put("caseId", v.caseId());
        o.put("now", iso(now));
        o.put("contacts", v.contacts());
        o.put("contactsShown", v.contactsShown());
        ArrayNode events = o.putArray("events");
        for (CaseTimeline.Event e : v.events()) {
            ObjectNode n = events.addObject().put("at", iso(e.at())).put("type", e.type());
            if (e.channel() != null) {
                n.put("channel", e.channel().name());
            }
            if (e.actor() != null) {
                n.put("actor", e.actor().name());
            }
            if (e.reply() != null && e.reply() != CaseTimeline.Reply.NONE) {
                n.put("reply", e.reply().name());
            }
            if (e.reason() != null) {
                n.put("reason", e.reason());
            }
        }
        ArrayNode clocks = o.putArray("clocks");
        for (CaseTimeline.Bar b : v.clocks()) {
            ObjectNode n = clocks.addObject().put("clock", b.clock().name()).put("state", b.state().name()).put("start", iso(b.start()))
                    .put("budgetUsed", b.budgetUsed());
            put(n, "deadline", b.deadline());
            put(n, "goalAt", b.goalAt());
            put(n, "stoppedAt", b.stoppedAt());
            ArrayNode pauses = n.putArray("pauses");
            for (CaseTimeline.PauseSpan p : b.pauses()) {
                ObjectNode pn = pauses.addObject().put("from", iso(p.from())).put("kind", p.kind());
                put(pn, "to", p.to());
            }
        }
        ArrayNode alerts = o.putArray("alerts");
        for (CaseTimeline.AlertLine a : v.alerts()) {
            ObjectNode n = alerts.addObject().put("alertId", a.alertId()).put("kind", a.kind().name()).put("level", a.level().name())
                    .put("raisedAt", iso(a.raisedAt())).put("acked", a.acked());
            put(n, "closedAt", a.closedAt());
            if (a.relatedTo() != null) {
                n.put("escalates", a.relatedTo());
            }
        }
        return o;
    }

    private static void put(ObjectNode n, String field, Long t) {
        if (t == null) {
            n.putNull(field);
        } else {
            n.put(field, iso(t));
        }
    }

    private static String iso(long t) {
        return Instant.ofEpochMilli(t).toString();
    }
}
