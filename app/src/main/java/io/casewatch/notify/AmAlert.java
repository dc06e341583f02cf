package io.casewatch.notify;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One alert as Alertmanager's v2 API takes it ({@code postableAlert}). Alertmanager identifies an alert by its label
 * set: posting the same labels again updates it (no duplicate), and an {@code endsAt} in the past resolves it.
 */
record AmAlert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt, String generatorUrl) {

    AmAlert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    String alertId() {
        return labels.get(AlertMapping.ALERT_ID);
    }

    AmAlert endingAt(Instant end) {
        return new AmAlert(labels, annotations, startsAt, end, generatorUrl);
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ObjectNode l = n.putObject("labels");
        new TreeMap<>(labels).forEach(l::put);
        ObjectNode a = n.putObject("annotations");
        new TreeMap<>(annotations).forEach(a::put);
        n.put("startsAt", startsAt.toString());
        n.put("endsAt", endsAt.toString());
        if (generatorUrl != null) {
            n.put("generatorURL", generatorUrl);
        }
        return n;
    }

    /** An alert from {@code GET /api/v2/alerts} ({@code gettableAlert}). */
    static AmAlert fromJson(JsonNode n) {
        Map<String, String> labels = new TreeMap<>();
        n.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        Map<String, String> annotations = new TreeMap<>();
        n.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        String gen = n.path("generatorURL").asText(null);
        return new AmAlert(labels, annotations, Instant.parse(n.path("startsAt").asText()), Instant.parse(n.path("endsAt").asText()),
                gen == null || gen.isEmpty() ? null : gen);
    }
}
