package io.casewatch.replay.imports;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a CSV export into replay events (JSON Lines, SPEC section 7) with an {@link ImportMapping}. A row that
 * does not map is counted, reported on the rejects writer and skipped; it never stops the run. The output is a
 * function of the input and the mapping alone: same bytes in, same bytes out.
 *
 * <p>The events are held in memory until the end, because a time-ordered replay file (and a synthesised OPENED
 * for each thread) needs all of them; the samples this was built for are a few thousand rows.
 */
public final class CsvImporter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImportMapping mapping;

    public CsvImporter(ImportMapping mapping) {
        this.mapping = mapping;
    }

    /** An event and its place in the input, for a stable order. */
    private record Sequenced(MappedEvent event, int rank, long seq) {
    }

    /**
     * Imports {@code input} into {@code out}. {@code rejects} (may be null) gets one line per rejected row.
     *
     * @throws MappingException when the mapping does not fit the file's header
     */
    public ImportSummary run(CsvInput input, Writer out, Writer rejects) throws IOException {
        long rowsRead = 0;
        long rejected = 0;
        Map<String, Long> reasons = new TreeMap<>();
        List<Sequenced> events = new ArrayList<>();
        try (CsvRecords records = new CsvRecords(input, mapping.csv())) {
            RowMapper mapper = new RowMapper(mapping, records.header());
            if (mapper.needsThreadRoots()) {
                mapper.useThreadRoots(threadRoots(input, mapper.threadRootSpec()));
            }
            CsvRow row;
            while ((row = records.next()) != null) {
                rowsRead++;
                try {
                    for (MappedEvent e : mapper.map(row)) {
                        events.add(new Sequenced(e, 1, events.size()));
                    }
                } catch (RowRejected r) {
                    rejected++;
                    reasons.merge(r.summaryKey(), 1L, Long::sum);
                    if (rejects != null) {
                        rejects.write(r.describe(row.line()));
                        rejects.write('\n');
                    }
                }
            }
        }
        long opened = 0;
        if (mapping.openCases() != null) {
            List<Sequenced> opens = openCases(events);
            opened = opens.size();
            events.addAll(opens);
        }
        if (mapping.sortByTime()) {
            events.sort(Comparator.comparing((Sequenced s) -> s.event().occurredAt())
                    .thenComparingInt(Sequenced::rank).thenComparingLong(Sequenced::seq));
        } else {
            events.sort(Comparator.comparingLong(Sequenced::seq).thenComparingInt(Sequenced::rank));
        }
        Map<String, Long> byStream = new TreeMap<>();
        for (Sequenced s : events) {
            out.write(JSON.writeValueAsString(s.event().json()));
            out.write('\n');
            byStream.merge(s.event().stream().jsonName(), 1L, Long::sum);
        }
        out.flush();
        if (rejects != null) {
            rejects.flush();
        }
        return new ImportSummary(rowsRead, rejected, new TreeMap<>(reasons), new TreeMap<>(byStream), opened);
    }

    private ThreadRoots threadRoots(CsvInput input, ValueSpec.ThreadRoot spec) throws IOException {
        ThreadRoots roots = new ThreadRoots();
        try (CsvRecords records = new CsvRecords(input, mapping.csv())) {
            int id = records.header().index(spec.id(), "threadRoot.id");
            int parent = records.header().index(spec.parent(), "threadRoot.parent");
            CsvRow row;
            while ((row = records.next()) != null) {
                roots.add(row.cell(id), row.cell(parent));
            }
        }
        return roots;
    }

    /**
     * An OPENED for every case without one, at its first event's time and sorted just before it (rank 0), with the
     * first merchantId the case's events carry in time order. Placed at the case's first event's input position so
     * that an unsorted file also opens the case before its first event.
     */
    private List<Sequenced> openCases(List<Sequenced> events) {
        Map<String, List<Sequenced>> byCase = new LinkedHashMap<>();
        for (Sequenced s : events) {
            byCase.computeIfAbsent(s.event().caseId(), k -> new ArrayList<>()).add(s);
        }
        List<Sequenced> out = new ArrayList<>();
        for (Map.Entry<String, List<Sequenced>> e : byCase.entrySet()) {
            List<Sequenced> list = new ArrayList<>(e.getValue());
            boolean hasOpen = list.stream().anyMatch(s -> s.event().stream() == EventStream.COMPLAINT
                    && "OPENED".equals(s.event().json().path("type").asText()));
            if (hasOpen) {
                continue;
            }
            list.sort(Comparator.comparing((Sequenced s) -> s.event().occurredAt()).thenComparingLong(Sequenced::seq));
            Sequenced first = list.get(0);
            String merchant = list.stream().map(s -> s.event().json().path("merchantId").asText(""))
                    .filter(m -> !m.isEmpty()).findFirst().orElse(mapping.openCases().merchantIdFallback());
            if (merchant == null) {
                continue;
            }
            out.add(new Sequenced(opened(e.getKey(), first.event().occurredAt(), first.event().json().get("occurredAt").asText(), merchant),
                    0, first.seq()));
        }
        return out;
    }

    private MappedEvent opened(String caseId, Instant at, String atText, String merchant) {
        ObjectNode json = JSON.createObjectNode();
        json.put("stream", EventStream.COMPLAINT.jsonName());
        Map<String, ValueSpec> constants = mapping.openCases().fields();
        for (var f : EventStream.COMPLAINT.fields()) {
            String v = switch (f.name()) {
                case "eventId" -> caseId + ":opened";
                case "caseId" -> caseId;
                case "merchantId" -> merchant;
                case "occurredAt" -> atText;
                case "type" -> "OPENED";
                default -> constants.containsKey(f.name()) ? constants.get(f.name()).constant() : null;
            };
            if (v != null) {
                json.put(f.name(), v);
            }
        }
        return new MappedEvent(EventStream.COMPLAINT, caseId, at, json);
    }
}
