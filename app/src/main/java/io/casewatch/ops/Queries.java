package io.casewatch.ops;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.casewatch.cases.CaseEngine;
import io.casewatch.replay.AvroJson;
import io.casewatch.topology.Names;
import io.casewatch.schema.Alert;
import io.casewatch.schema.CaseState;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.MerchantStats;
import io.casewatch.schema.internal.CaseData;

/**
 * Interactive queries over the state stores, answered for any key by whichever instance holds it: a key held
 * elsewhere is forwarded once to its active host; lists are gathered from every instance of the application.
 * A case's status is computed from its stored state at the deployment clock's now, the same way the status topic
 * is written.
 */
final class Queries {
    static final int DEFAULT_LIMIT = 500;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Serializer<String> KEYS = new StringSerializer();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final Set<String> stores;
    private final CaseEngine engine;
    private final Clock clock;
    private final RecentAlerts recent;
    private final Peers peers = new Peers();

    /** An answer: HTTP status, JSON body, and the instance ({@code host:port}) that produced it. */
    record Reply(int status, JsonNode body, String servedBy) {
        static Reply error(int status, String message, String servedBy) {
            return new Reply(status, F.objectNode().put("error", message), servedBy);
        }

        Reply withField(String name, String value) {
            if (body instanceof ObjectNode o) {
                o.put(name, value);
            }
            return this;
        }
    }

    /** @param stores names of the stores in this application's topology */
    Queries(KafkaStreams streams, HostInfo self, Set<String> stores, CaseEngine engine, Clock clock, RecentAlerts recent) {
        this.streams = streams;
        this.self = self;
        this.stores = stores;
        this.engine = engine;
        this.clock = clock;
        this.recent = recent;
    }

    String selfName() {
        return self.host() + ":" + self.port();
    }

    /** What {@link OpsServer} calls for an authorised query: the path's endpoint with its parameters. */
    Reply route(String path, Map<String, String> params, boolean forwarded, String auth, int limit) {
        boolean local = "local".equals(params.get("scope"));
        if (path.startsWith("/cases/") && path.endsWith(TIMELINE)) {
            return caseTimeline(path.substring("/cases/".length(), path.length() - TIMELINE.length()), forwarded, auth);
        } else if (path.startsWith("/cases/")) {
            return caseStatus(path.substring("/cases/".length()), forwarded, auth);
        } else if (path.equals("/cases")) {
            return cases(params.get("state"), limit, local, auth);
        } else if (path.startsWith("/merchants/")) {
            return merchant(path.substring("/merchants/".length()), forwarded, auth);
        } else if (path.equals("/merchants")) {
            return merchants(local, auth);
        }
        return recentAlerts(Math.min(limit, 200), local, auth);
    }

    Reply caseStatus(String caseId, boolean forwarded, String auth) {
        return byKey(Names.CASE_STORE, caseId, "/cases/" + caseId, forwarded, auth, (CaseData c) -> AvroJson.tree(statusOf(c)));
    }

    /** The path suffix of a case's timeline. */
    static final String TIMELINE = "/timeline";

    Reply caseTimeline(String caseId, boolean forwarded, String auth) {
        return byKey(Names.CASE_STORE, caseId, "/cases/" + caseId + TIMELINE, forwarded, auth,
                (CaseData c) -> CaseTimelineJson.of(engine.timeline(c, clock.millis()), clock.millis()));
    }

    Reply merchant(String merchantId, boolean forwarded, String auth) {
        if (!stores.contains(Names.MERCHANT_LATEST)) {
            return noMerchantStore();
        }
        return byKey(Names.MERCHANT_LATEST, merchantId, "/merchants/" + merchantId, forwarded, auth, (MerchantStats m) -> AvroJson.tree(m));
    }

    /** Open cases now at risk ({@code at-risk}) or breached ({@code breached}), from every instance. */
    Reply cases(String state, int limit, boolean localOnly, String auth) {
        byte flag;
        if ("at-risk".equals(state)) {
            flag = CaseGaugeTracker.AT_RISK;
        } else if ("breached".equals(state)) {
            flag = CaseGaugeTracker.BREACHED;
        } else {
            return Reply.error(400, "state must be at-risk or breached", selfName());
        }
        ArrayNode local = F.arrayNode();
        try {
            ReadOnlyKeyValueStore<String, CaseData> store = streams.store(
                    StoreQueryParameters.fromNameAndType(Names.CASE_STORE, QueryableStoreTypes.<String, CaseData>keyValueStore()));
            try (KeyValueIterator<String, CaseData> it = store.all()) {
                while (it.hasNext() && local.size() < limit) {
                    CaseData c = it.next().value;
                    if (c.getState() != CaseState.OPEN && c.getState() != CaseState.AWAITING_CUSTOMER) {
                        continue; // only open cases can be at risk or breached now; skip computing the others' clocks
                    }
                    CaseStatus s = statusOf(c);
                    if ((CaseGaugeTracker.flags(s) & flag) != 0) {
                        local.add(AvroJson.tree(s));
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            return Reply.error(503, "the case store is not queryable now (" + e.getMessage() + "); retry", selfName());
        }
        return gather("cases", local, localOnly, "/cases", "state=" + state + "&limit=" + limit, auth,
                Comparator.comparing(n -> n.path("caseId").asText()), limit).withField("state", state);
    }

    Reply merchants(boolean localOnly, String auth) {
        if (!stores.contains(Names.MERCHANT_LATEST)) {
            return noMerchantStore();
        }
        ArrayNode local = F.arrayNode();
        try {
            ReadOnlyKeyValueStore<String, MerchantStats> store = streams.store(
                    StoreQueryParameters.fromNameAndType(Names.MERCHANT_LATEST, QueryableStoreTypes.<String, MerchantStats>keyValueStore()));
            try (KeyValueIterator<String, MerchantStats> it = store.all()) {
                while (it.hasNext()) {
                    local.add(AvroJson.tree(it.next().value));
                }
            }
        } catch (InvalidStateStoreException e) {
            return Reply.error(503, "the merchant store is not queryable now (" + e.getMessage() + "); retry", selfName());
        }
        return gather("merchants", local, localOnly, "/merchants", null, auth,
                Comparator.comparing(n -> n.path("merchantId").asText()), Integer.MAX_VALUE);
    }

    /** The latest alerts published by every instance, newest first. */
    Reply recentAlerts(int limit, boolean localOnly, String auth) {
        ArrayNode local = F.arrayNode();
        for (Alert a : recent.snapshot()) {
            local.add(AvroJson.tree(a));
        }
        return gather("alerts", local, localOnly, "/alerts", "limit=" + limit, auth,
                Comparator.comparing((JsonNode n) -> n.path("detectedAt").asText()).reversed(), limit);
    }

    private Reply noMerchantStore() {
        return Reply.error(404, "merchant stats are not available: this build's topology has no '" + Names.MERCHANT_LATEST + "' store",
                selfName());
    }

    private CaseStatus statusOf(CaseData c) {
        long now = clock.millis();
        return engine.settle(c, now, now).status();
    }

    private <V extends SpecificRecord> Reply byKey(String store, String key, String path, boolean forwarded, String auth,
            Function<V, JsonNode> render) {
        try {
            KeyQueryMetadata md = streams.queryMetadataForKey(store, key, KEYS);
            if (md == null || KeyQueryMetadata.NOT_AVAILABLE.equals(md) || md.activeHost() == null) {
                return Reply.error(503, "no instance holds '" + store + "' for this key right now (starting or rebalancing); retry",
                        selfName());
            }
            if (!md.activeHost().equals(self)) {
                if (forwarded) {
                    // Forwarded here but no longer ours: a rebalance moved it; one hop only, never a loop.
                    return Reply.error(503, "the key moved during a rebalance; retry", selfName());
                }
                return peers.get(md.activeHost(), path, null, auth);
            }
            ReadOnlyKeyValueStore<String, V> kv = streams.store(StoreQueryParameters
                    .fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()).withPartition(md.partition()));
            V v = kv.get(key);
            if (v == null) {
                return Reply.error(404, "no entry for '" + key + "' in " + store, selfName());
            }
            return new Reply(200, render.apply(v), selfName());
        } catch (InvalidStateStoreException e) {
            return Reply.error(503, "'" + store + "' is not queryable now (" + e.getMessage() + "); retry", selfName());
        }
    }

    /** This instance's part plus every other instance's, merged, sorted and cut to the limit. */
    private Reply gather(String field, ArrayNode local, boolean localOnly, String path, String query, String auth,
            Comparator<JsonNode> order, int limit) {
        List<JsonNode> all = new ArrayList<>();
        local.forEach(all::add);
        ArrayNode unavailable = F.arrayNode();
        if (!localOnly) {
            String q = query == null ? "scope=local" : query + "&scope=local";
            List<HostInfo> others = new ArrayList<>();
            for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
                if (!m.hostInfo().equals(self)) {
                    others.add(m.hostInfo());
                }
            }
            // Every peer at once, all within one deadline: a slow or lost instance costs the deadline once, not once
            // per instance, and is reported as unavailable.
            Map<HostInfo, Reply> replies = peers.getAll(others, path, q, auth, Peers.FAN_OUT_DEADLINE);
            replies.forEach((host, r) -> {
                if (r.status() == 200 && r.body().has(field)) {
                    r.body().get(field).forEach(all::add);
                } else {
                    unavailable.add(host.host() + ":" + host.port());
                }
            });
        }
        all.sort(order);
        ObjectNode body = F.objectNode();
        ArrayNode out = body.putArray(field);
        all.stream().limit(limit).forEach(out::add);
        body.set("unavailable", unavailable);
        // Partial answers are still answers: the page and the caller see which instances were missing.
        return new Reply(200, body, selfName());
    }
}
