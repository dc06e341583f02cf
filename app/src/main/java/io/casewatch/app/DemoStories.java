package io.casewatch.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.apache.avro.specific.SpecificRecord;

import io.casewatch.schema.Actor;
import io.casewatch.schema.Category;
import io.casewatch.schema.Channel;
import io.casewatch.schema.ComplaintEvent;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.Direction;
import io.casewatch.schema.Outcome;

/**
 * The demo's script: the stories of SPEC section 1 plus background traffic over a few dozen merchants with a skewed
 * share of cases, as events scheduled in simulated time. Deterministic for a given seed.
 */
public final class DemoStories {

    /** An event and when it happens. */
    public record Scheduled(Instant at, SpecificRecord event) {
    }

    private final Instant start;
    private final Random random;
    private final List<Scheduled> events = new ArrayList<>();
    private int seq;

    public DemoStories(Instant start, long seed) {
        this.start = start;
        this.random = new Random(seed);
    }

    public List<Scheduled> build(int backgroundCases) {
        walletStall();
        accountTakeoverBeforeHoliday();
        paymentFailureThreeChannels();
        quickButReopened();
        for (int i = 0; i < backgroundCases; i++) {
            background(i);
        }
        events.sort(Comparator.comparing(Scheduled::at));
        return events;
    }

    /** A wallet refund dispute answered only with "正在处理中" for months. */
    private void walletStall() {
        String id = "wallet-dispute-0001";
        Instant t = start.plus(Duration.ofHours(1));
        complaint(id, "m-wallet", ComplaintEventType.OPENED, t, "CN", Category.REFUND);
        String[] holding = {"您的问题正在处理中，请耐心等待。", "您好，您反馈的问题正在处理中，请您耐心等待。",
            "已反馈给相关部门，正在处理中，请耐心等待。", "您的问题正在处理中，请耐心等待，感谢理解。"};
        for (int round = 0; round < 30; round++) {
            Instant ask = t.plus(Duration.ofDays(2L * round)).plus(Duration.ofHours(3));
            contact(id, Direction.INBOUND, Actor.CUSTOMER, ask, "我的退款到底什么时候到账？", "zh-Hans", null, Channel.APP);
            contact(id, Direction.OUTBOUND, Actor.AGENT, ask.plus(Duration.ofHours(2)), holding[round % holding.length],
                    "zh-Hans", null, Channel.APP);
        }
    }

    /** Account taken over, reported at 23:00 local the night before China's National Day week. */
    private void accountTakeoverBeforeHoliday() {
        Instant t = Instant.parse("2026-09-30T15:00:00Z");
        if (t.isBefore(start)) {
            t = start.plus(Duration.ofHours(2));
        }
        complaint("ato-0001", "m-wallet", ComplaintEventType.OPENED, t, "CN", Category.ACCOUNT_SECURITY);
        contact("ato-0001", Direction.OUTBOUND, Actor.BOT, t.plusSeconds(5), "我们已收到您的反馈，正在处理中，请耐心等待。", "zh-Hans",
                "bot-ack-1", Channel.APP);
    }

    /** A failed payment; the customer tries chat, phone and email within one hour: one case. */
    private void paymentFailureThreeChannels() {
        Instant t = start.plus(Duration.ofHours(5));
        complaint("payfail-0001", "m-001", ComplaintEventType.OPENED, t, "GB", Category.PAYMENT_FAILURE);
        contact("payfail-0001", Direction.INBOUND, Actor.CUSTOMER, t.plus(Duration.ofMinutes(1)), "My payment failed but money left my account", "en", null, Channel.CHAT);
        contact("payfail-0001", Direction.INBOUND, Actor.CUSTOMER, t.plus(Duration.ofMinutes(25)), "Called about failed payment", "en", null, Channel.PHONE);
        contact("payfail-0001", Direction.INBOUND, Actor.CUSTOMER, t.plus(Duration.ofMinutes(50)), "Third time asking: where is my money?", "en", null, Channel.EMAIL);
    }

    /** A merchant that resolves fast on paper while the same case keeps coming back. */
    private void quickButReopened() {
        String id = "reopen-0001";
        Instant t = start.plus(Duration.ofHours(3));
        complaint(id, "m-fastclose", ComplaintEventType.OPENED, t, "US", Category.FEES);
        contact(id, Direction.OUTBOUND, Actor.AGENT, t.plus(Duration.ofHours(2)), "We reversed the $35 fee today.", "en", null, Channel.EMAIL);
        for (int i = 0; i < 3; i++) {
            Instant r = t.plus(Duration.ofDays(1 + 3L * i));
            resolved(id, "m-fastclose", r);
            complaint(id, "m-fastclose", ComplaintEventType.REOPENED, r.plus(Duration.ofDays(1)), "US", Category.FEES);
        }
    }

    private void background(int i) {
        int m = (int) Math.min(39, Math.floor(Math.pow(random.nextDouble(), 2.5) * 40));
        String merchant = String.format("m-%03d", m + 1);
        String id = String.format("case-%05d", i);
        String[] jurisdictions = {"CN", "GB", "DE", "US", null};
        String j = jurisdictions[random.nextInt(jurisdictions.length)];
        Category cat = Category.values()[random.nextInt(Category.values().length)];
        Instant t = start.plus(Duration.ofMinutes(random.nextInt(30 * 24 * 60)));
        complaint(id, merchant, ComplaintEventType.OPENED, t, j, cat);
        contact(id, Direction.INBOUND, Actor.CUSTOMER, t.plus(Duration.ofMinutes(2)), "Please help with my complaint", "en", null, Channel.APP);
        if (random.nextDouble() < 0.85) {
            Instant reply = t.plus(Duration.ofMinutes(30 + random.nextInt(40 * 60)));
            contact(id, Direction.OUTBOUND, Actor.AGENT, reply, "We refunded 20 EUR to your card today.", "en", null, Channel.EMAIL);
        }
        if (random.nextDouble() < 0.8) {
            resolved(id, merchant, t.plus(Duration.ofHours(12 + random.nextInt(24 * 20))));
        }
    }

    private void complaint(String id, String merchant, ComplaintEventType type, Instant at, String jurisdiction, Category category) {
        events.add(new Scheduled(at, ComplaintEvent.newBuilder().setEventId("demo-" + (++seq)).setCaseId(id).setMerchantId(merchant)
                .setOccurredAt(at).setType(type).setJurisdiction(jurisdiction).setCategory(category).setChannel(Channel.APP)
                .setCustomerRef("cref-" + Integer.toHexString(id.hashCode())).build()));
    }

    private void resolved(String id, String merchant, Instant at) {
        events.add(new Scheduled(at, ComplaintEvent.newBuilder().setEventId("demo-" + (++seq)).setCaseId(id).setMerchantId(merchant)
                .setOccurredAt(at).setType(ComplaintEventType.RESOLVED).setOutcome(Outcome.UPHELD).build()));
    }

    private void contact(String id, Direction dir, Actor actor, Instant at, String text, String lang, String template, Channel channel) {
        events.add(new Scheduled(at, ContactEvent.newBuilder().setEventId("demo-" + (++seq)).setCaseId(id).setOccurredAt(at)
                .setDirection(dir).setActor(actor).setChannel(channel).setLanguage(lang).setText(text).setTemplateId(template).build()));
    }
}
