package io.casewatch.oracle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.avro.specific.SpecificRecord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.casewatch.replay.AvroJson;
import io.casewatch.schema.Actor;
import io.casewatch.schema.Category;
import io.casewatch.schema.Channel;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.Outcome;
import io.casewatch.workload.Workload;

/**
 * Generated traffic that uses only what {@link ReferenceModel} models, and the policy file that makes casewatch time
 * it that way: calendar time in UTC, first response 24 h, next reply 48 h, resolution 15 days (exact hours, no
 * at-risk points), no statutory clock, stall N = 3 within 30 days, ack times far beyond the horizon. Stories: answered
 * in time, first reply late, a follow-up left unanswered past the next-reply time, resolved late or never, a stall
 * of holding replies, withdrawn before any deadline. Each case has its own replies, none like another (a repeat
 * would be a near-duplicate, i.e. a holding reply). Deterministic for a seed.
 */
public final class ModelWorkload {

    public static final Duration FIRST_RESPONSE = Duration.ofHours(24);
    public static final Duration NEXT_REPLY = Duration.ofHours(48);
    public static final Duration RESOLUTION = Duration.ofHours(360);
    public static final Duration STALL_WINDOW = Duration.ofDays(30);
    public static final int STALL_CONTACTS = 3;

    /**
     * The policy file for casewatch ({@code casewatch.policies.file}): the same rules the model applies, for the
     * model's merchants only ({@code mm-*}), so that other traffic fed beside it keeps the presets.
     */
    public static final String POLICIES = """
            {"policies": [{"id": "MODEL", "calendar": "UTC",
              "match": {"merchants": ["mm-000", "mm-001", "mm-002", "mm-003", "mm-004", "mm-005",
                                      "mm-006", "mm-007", "mm-008", "mm-009", "mm-010", "mm-011"]},
              "firstResponse": {"budget": "PT24H", "atRisk": []},
              "nextReply": "PT48H",
              "resolution": {"budget": "PT360H", "atRisk": []},
              "statutory": null,
              "stall": {"window": "P30D", "contacts": 3},
              "ackTimes": {"L1": "PT87600H", "L2": "PT87600H", "L3": "PT87600H"}}]}
            """;

    private static final String[] SUBSTANTIVE = {
        "We refunded 128.50 CNY to your card on 3 March; it will show within 2 business days.",
        "已为您退款 128.50 元，预计 3 月 5 日前到账。",
        "Your chargeback was approved and the amount of 42.10 EUR credited on 12 May.",
        "The duplicate fee of 15 USD was reversed today, reference 99812.",
        "Courier DHL picked up the replacement handset; tracking number JD0141 arrives Friday.",
        "Account unlocked after identity check; new password link sent to the address on file.",
    };
    private static final String[] INBOUND = {
        "Where is my refund? It has been weeks.",
        "我的退款到底什么时候到账？",
        "Still no answer, this is the third time I am writing.",
        "请尽快处理，已经等了很久了。",
    };
    private static final long HOUR = 3_600_000L;

    private final List<Workload.Event> events = new ArrayList<>();

    private ModelWorkload() {
    }

    /** {@code cases} cases opened at random over {@code span} from {@code start}, in event-time order. */
    public static List<Workload.Event> generate(int cases, Instant start, Duration span, long seed) {
        ModelWorkload w = new ModelWorkload();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < cases; i++) {
            w.buildCase(rnd.split(), String.format("mcase-%07d", i), String.format("mm-%03d", i % 12),
                    start.toEpochMilli() + (long) (rnd.nextDouble() * span.toMillis()));
        }
        w.events.sort(Comparator.comparingLong(Workload.Event::at));
        return List.copyOf(w.events);
    }

    /** The events as the model reads them. */
    public static List<SpecificRecord> records(List<Workload.Event> events) {
        return events.stream().map(Workload.Event::event).toList();
    }

    /** The model of {@link #POLICIES}. */
    public static ReferenceModel model() {
        return new ReferenceModel(FIRST_RESPONSE, NEXT_REPLY, RESOLUTION, STALL_WINDOW, STALL_CONTACTS);
    }

    /** Writes {@link #POLICIES} into {@code dir} and returns its path. */
    public static Path writePolicies(Path dir) throws IOException {
        Path p = dir.resolve("model-policies.json");
        Files.writeString(p, POLICIES);
        return p;
    }

    /** Replay input: one JSON object a line, {@code "stream"} first. */
    public static void writeJsonLines(List<Workload.Event> events, OutputStream out) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setRootValueSeparator(null);
            for (Workload.Event e : events) {
                AvroJson.writeWithStream(g, e.stream(), (org.apache.avro.generic.IndexedRecord) e.event());
                g.writeRaw('\n');
            }
        }
    }

    private void buildCase(SplittableRandom r, String caseId, String merchant, long opened) {
        int[] seq = {0};
        int[] reply = {r.nextInt(SUBSTANTIVE.length)};
        java.util.function.Supplier<String> substantive = () -> SUBSTANTIVE[reply[0]++ % SUBSTANTIVE.length];
        complaint(caseId, merchant, opened, ComplaintEventType.OPENED, seq);
        double story = r.nextDouble();
        long t;
        if (story < 0.10) {
            // Withdrawn before any deadline, never answered: every clock stops, nothing is due.
            contact(caseId, opened + hour(r, 1, 5), Direction.INBOUND, Actor.CUSTOMER, inbound(r), seq);
            complaint(caseId, merchant, opened + hour(r, 10, 20), ComplaintEventType.WITHDRAWN, seq);
            return;
        }
        if (story < 0.22) {
            // A stall: three contacts, each answered only with a holding reply, then a real answer.
            long at = opened + hour(r, 1, 3);
            for (int k = 0; k < STALL_CONTACTS; k++) {
                contact(caseId, at, Direction.INBOUND, Actor.CUSTOMER, inbound(r), seq);
                if (k < STALL_CONTACTS - 1) {
                    long replyAt = at + hour(r, 1, 10);
                    contact(caseId, replyAt, Direction.OUTBOUND, Actor.AGENT, ReferenceModel.HOLDING_TEXTS.get(r.nextInt(3)), seq);
                    at = replyAt + hour(r, 12, 40);
                }
            }
            t = at + hour(r, 1, 20);
            contact(caseId, t, Direction.OUTBOUND, Actor.AGENT, substantive.get(), seq);
        } else {
            // First reply: in time, or late (past the 24 h first-response goal); no contact waits before it.
            long first = opened + (story < 0.40 ? hour(r, 25, 60) : hour(r, 1, 20));
            contact(caseId, first, Direction.OUTBOUND, r.nextDouble() < 0.2 ? Actor.MERCHANT : Actor.AGENT, substantive.get(), seq);
            t = first;
            int followUps = r.nextInt(3);
            boolean leaveOneUnanswered = story >= 0.40 && story < 0.58;
            for (int k = 0; k < followUps || (leaveOneUnanswered && k == 0); k++) {
                t += hour(r, 2, 40);
                contact(caseId, t, Direction.INBOUND, Actor.CUSTOMER, inbound(r), seq);
                if (leaveOneUnanswered && k == 0) {
                    // A second contact in the same wait, then the reply only after the 48 h next-reply time.
                    contact(caseId, t + hour(r, 1, 20), Direction.INBOUND, Actor.CUSTOMER, inbound(r), seq);
                    t += hour(r, 50, 90);
                } else {
                    t += hour(r, 1, 40);
                }
                contact(caseId, t, Direction.OUTBOUND, Actor.AGENT, substantive.get(), seq);
            }
        }
        double end = r.nextDouble();
        if (end < 0.70) {
            // Resolved after the last reply: most within the 15-day goal, some after it.
            long resolvedAt = Math.max(t + hour(r, 1, 24), opened + (r.nextDouble() < 0.8 ? hour(r, 24, 330) : hour(r, 370, 700)));
            complaint(caseId, merchant, resolvedAt, ComplaintEventType.RESOLVED, seq);
            if (r.nextDouble() < 0.3) {
                complaint(caseId, merchant, resolvedAt + hour(r, 1, 100), ComplaintEventType.CLOSED, seq);
            }
        }
        // Otherwise left open: the resolution deadline passes.
    }

    private static long hour(SplittableRandom r, double from, double to) {
        return (long) ((from + r.nextDouble() * (to - from)) * HOUR);
    }

    private static String inbound(SplittableRandom r) {
        return INBOUND[r.nextInt(INBOUND.length)];
    }

    private void complaint(String caseId, String merchant, long at, ComplaintEventType type, int[] seq) {
        ComplaintEvent.Builder b = ComplaintEvent.newBuilder().setEventId(caseId + "-" + seq[0]++).setCaseId(caseId).setMerchantId(merchant)
                .setOccurredAt(Instant.ofEpochMilli(at)).setType(type);
        if (type == ComplaintEventType.OPENED) {
            b.setJurisdiction("US").setCategory(Category.REFUND).setChannel(Channel.EMAIL);
        } else if (type == ComplaintEventType.RESOLVED) {
            b.setOutcome(Outcome.UPHELD);
        }
        events.add(new Workload.Event("complaint", b.build(), at));
    }

    private void contact(String caseId, long at, Direction d, Actor a, String text, int[] seq) {
        boolean chinese = text.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
        ContactEvent e = ContactEvent.newBuilder().setEventId(caseId + "-" + seq[0]++).setCaseId(caseId)
                .setOccurredAt(Instant.ofEpochMilli(at)).setDirection(d).setActor(a).setChannel(Channel.EMAIL)
                .setLanguage(chinese ? "zh-Hans" : "en").setText(text).build();
        events.add(new Workload.Event("contact", e, at));
    }
}
