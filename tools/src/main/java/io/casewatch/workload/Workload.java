package io.casewatch.workload;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.apache.avro.generic.IndexedRecord;
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

/**
 * A generated complaint workload with the shape of real complaint data: a handful of merchants carry most cases
 * (Zipf-like, optionally one hot merchant with a fixed share), cases with one to dozens of contacts, Chinese and
 * English texts, holding-reply stalls, reopened cases, withdrawals and cases left open. Deterministic for a seed.
 * Used by the oracle tests, the load generator and the benchmarks.
 */
public final class Workload {

    /**
     * @param hotShare share of cases of merchant {@code m-000} (0 for a plain Zipf skew)
     * @param contactsScale multiplies the number of contacts per case (1 = a few per case)
     */
    public record Shape(int cases, int merchants, Instant start, Duration span, long seed, double hotShare, double contactsScale) {
        public static Shape of(int cases, int merchants, Instant start, Duration span, long seed) {
            return new Shape(cases, merchants, start, span, seed, 0.0, 1.0);
        }
    }

    /** One generated event: the stream it belongs to, the event, and its time. */
    public record Event(String stream, SpecificRecord event, long at) {
    }

    /** What the generator decided for a case, for tests that compute expected outcomes independently. */
    public record CaseStory(String caseId, String merchantId, String jurisdiction, long openedAt, Long firstReplyAt,
            List<long[]> resolutions, Long reopenedAt, Long withdrawnAt, Long closedAt, List<Long> stallAlertsAt, Outcome outcome) {
    }

    static final String[] HOLDING = {
        "您的问题正在处理中，请耐心等待。",
        "您好，您反映的问题我们已经记录，正在加急处理中，请耐心等待。",
        "Your case is being processed, please wait.",
        "Thank you for your patience, we are still looking into this and will get back to you.",
    };
    static final String[] SUBSTANTIVE = {
        "We refunded 128.50 CNY to your card on 3 March; it will show within 2 business days.",
        "已为您退款 128.50 元，预计 3 月 5 日前到账。",
        "Your chargeback was approved and the amount of 42.10 EUR credited on 12 May.",
        "The duplicate fee of 15 USD was reversed today, reference 99812.",
    };
    static final String[] INBOUND = {
        "Where is my refund? It has been weeks.",
        "我的退款到底什么时候到账？",
        "Still no answer, this is the third time I am writing.",
        "请尽快处理，已经等了很久了。",
    };
    private static final String[] JURISDICTIONS = {"CN", "CN", "CN", "GB", "EU", "US"};

    private final Shape shape;
    private final List<Event> events = new ArrayList<>();
    private final List<CaseStory> stories = new ArrayList<>();

    private Workload(Shape shape) {
        this.shape = shape;
    }

    public static Workload generate(Shape shape) {
        Workload w = new Workload(shape);
        w.build();
        return w;
    }

    public List<Event> events() {
        return events;
    }

    public List<CaseStory> stories() {
        return stories;
    }

    public static String merchantId(int i) {
        return String.format("m-%03d", i);
    }

    private void build() {
        SplittableRandom rnd = new SplittableRandom(shape.seed());
        double[] cumulative = zipf(shape.merchants(), 1.1);
        long start = shape.start().toEpochMilli();
        long span = shape.span().toMillis();
        for (int i = 0; i < shape.cases(); i++) {
            int m = shape.hotShare() > 0 && rnd.nextDouble() < shape.hotShare() ? 0 : pick(cumulative, rnd.nextDouble());
            buildCase(rnd.split(), String.format("case-%07d", i), merchantId(m), start + (long) (rnd.nextDouble() * span));
        }
        events.sort(Comparator.comparingLong(Event::at));
    }

    private void buildCase(SplittableRandom r, String caseId, String merchant, long opened) {
        long hour = 3_600_000L;
        String jurisdiction = JURISDICTIONS[r.nextInt(JURISDICTIONS.length)];
        Category category = Category.values()[r.nextInt(Category.values().length - 1)];
        boolean zh = jurisdiction.equals("CN");
        int[] seq = {0};
        complaint(caseId, merchant, opened, ComplaintEventType.OPENED, seq, b -> b.setJurisdiction(jurisdiction).setCategory(category)
                .setChannel(Channel.values()[r.nextInt(6)]).setCustomerRef("cust-" + caseId.substring(5)));
        double kind = r.nextDouble();
        long t = opened;
        // First reply: mostly within a day, a tail beyond the 24-hour first-response goal.
        long firstReply = opened + (long) (r.nextDouble() < 0.85 ? r.nextDouble() * 20 * hour : (24 + r.nextDouble() * 72) * hour);
        List<Long> stallAlerts = new ArrayList<>();
        // Replies on one case never repeat a text: a repeat would be a near-duplicate, i.e. a holding reply.
        int[] reply = {r.nextInt(SUBSTANTIVE.length)};
        Supplier<String> substantive = () -> SUBSTANTIVE[reply[0]++ % SUBSTANTIVE.length];
        int inbound = 1 + (int) Math.round(r.nextDouble() * 2 * shape.contactsScale());
        if (kind < 0.08) {
            // A stall: the customer writes again and again and hears only holding replies.
            long at = opened + hour;
            for (int k = 0; k < 3 + r.nextInt(4); k++) {
                contact(caseId, at, Direction.INBOUND, Actor.CUSTOMER, INBOUND[r.nextInt(INBOUND.length)], zh, seq);
                if (k == 2) {
                    // STALL_LOOP (N = 3): the third contact with holding replies only since the first.
                    stallAlerts.add(at);
                }
                long replyAt = at + (long) ((1 + r.nextDouble() * 10) * hour);
                if (k == 0) {
                    firstReply = replyAt;
                }
                contact(caseId, replyAt, Direction.OUTBOUND, Actor.AGENT, HOLDING[zh ? r.nextInt(2) : 2 + r.nextInt(2)], zh, seq);
                if (k == 4) {
                    // N further holding replies after the alert: one level up.
                    stallAlerts.add(replyAt);
                }
                at = replyAt + (long) ((12 + r.nextDouble() * 60) * hour);
            }
            t = at;
        } else {
            contact(caseId, opened + (long) (r.nextDouble() * Math.max(1, firstReply - opened)), Direction.INBOUND, Actor.CUSTOMER,
                    INBOUND[r.nextInt(INBOUND.length)], zh, seq);
            contact(caseId, firstReply, Direction.OUTBOUND, Actor.AGENT, substantive.get(), zh, seq);
            t = firstReply;
            for (int k = 1; k < inbound; k++) {
                t += (long) ((2 + r.nextDouble() * 48) * hour);
                contact(caseId, t, Direction.INBOUND, Actor.CUSTOMER, INBOUND[r.nextInt(INBOUND.length)], zh, seq);
                t += (long) ((0.5 + r.nextDouble() * 12) * hour);
                contact(caseId, t, Direction.OUTBOUND, r.nextDouble() < 0.2 ? Actor.MERCHANT : Actor.AGENT,
                        substantive.get(), zh, seq);
            }
        }
        List<long[]> resolutions = new ArrayList<>();
        Long reopened = null;
        Long withdrawn = null;
        Long closed = null;
        Outcome outcome = Outcome.values()[r.nextInt(4)];
        double end = r.nextDouble();
        if (end < 0.05) {
            withdrawn = t + (long) ((1 + r.nextDouble() * 200) * hour);
            complaint(caseId, merchant, withdrawn, ComplaintEventType.WITHDRAWN, seq, b -> b);
        } else if (end < 0.90) {
            // Resolution: most within the 15-day goal, a tail well after it.
            long resolvedAt = t + (long) ((r.nextDouble() < 0.8 ? 1 + r.nextDouble() * 300 : 300 + r.nextDouble() * 700) * hour);
            complaint(caseId, merchant, resolvedAt, ComplaintEventType.RESOLVED, seq, b -> b.setOutcome(outcome));
            resolutions.add(new long[] {resolvedAt});
            if (r.nextDouble() < 0.12) {
                reopened = resolvedAt + (long) ((2 + r.nextDouble() * 400) * hour);
                complaint(caseId, merchant, reopened, ComplaintEventType.REOPENED, seq, b -> b.setReason("CUSTOMER_DISAGREES"));
                contact(caseId, reopened + hour, Direction.INBOUND, Actor.CUSTOMER, INBOUND[r.nextInt(INBOUND.length)], zh, seq);
                contact(caseId, reopened + 3 * hour, Direction.OUTBOUND, Actor.AGENT, substantive.get(), zh, seq);
                long again = reopened + (long) ((4 + r.nextDouble() * 300) * hour);
                complaint(caseId, merchant, again, ComplaintEventType.RESOLVED, seq, b -> b.setOutcome(outcome));
                resolutions.add(new long[] {again});
            } else if (r.nextDouble() < 0.5) {
                closed = resolvedAt + (long) ((1 + r.nextDouble() * 100) * hour);
                complaint(caseId, merchant, closed, ComplaintEventType.CLOSED, seq, b -> b);
            }
        }
        stories.add(new CaseStory(caseId, merchant, jurisdiction, opened, firstReply, resolutions, reopened, withdrawn, closed, stallAlerts, outcome));
    }

    private void complaint(String caseId, String merchant, long at, ComplaintEventType type, int[] seq,
            UnaryOperator<ComplaintEvent.Builder> more) {
        ComplaintEvent e = more.apply(ComplaintEvent.newBuilder().setEventId(caseId + "-" + seq[0]++).setCaseId(caseId)
                .setMerchantId(merchant).setOccurredAt(Instant.ofEpochMilli(at)).setType(type)).build();
        events.add(new Event("complaint", e, at));
    }

    private void contact(String caseId, long at, Direction d, Actor a, String text, boolean zh, int[] seq) {
        boolean chinese = text.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
        ContactEvent e = ContactEvent.newBuilder().setEventId(caseId + "-" + seq[0]++).setCaseId(caseId)
                .setOccurredAt(Instant.ofEpochMilli(at)).setDirection(d).setActor(a).setChannel(zh ? Channel.APP : Channel.EMAIL)
                .setLanguage(chinese ? "zh-Hans" : "en").setText(text).build();
        events.add(new Event("contact", e, at));
    }

    private static double[] zipf(int n, double s) {
        double[] c = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            c[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            c[i] /= sum;
        }
        return c;
    }

    private static int pick(double[] cumulative, double u) {
        int i = Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
    }

    /** Writes the events as replay input: one JSON object a line, {@code "stream"} first. */
    public void writeJsonLines(OutputStream out) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setRootValueSeparator(null);
            for (Event e : events) {
                AvroJson.writeWithStream(g, e.stream(), (IndexedRecord) e.event());
                g.writeRaw('\n');
            }
        }
    }
}
