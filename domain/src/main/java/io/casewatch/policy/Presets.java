package io.casewatch.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.casewatch.schema.Category;
import io.casewatch.schema.Level;
import io.casewatch.sla.Budget;

/**
 * The policies casewatch ships (SPEC section 5). Statutory clocks follow the cited rules; first-response,
 * next-reply and resolution clocks are platform service levels that an operator is expected to tune in a policy
 * file. Each preset's {@link Policy#source()} cites its rule and goes into every compliance record.
 */
public final class Presets {

    /** Where every preset takes effect: before any event casewatch will see. */
    static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    static final Set<String> EU_MEMBER_STATES = Set.of("EU", "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
            "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE");

    private Presets() {
    }

    /** Used when no other policy matches: plain calendar service levels, no statutory clock. */
    public static Policy fallback() {
        return new Policy("DEFAULT", "casewatch default service levels (no statutory rule)", EPOCH, Match.ANY, "UTC",
                ClockSpec.of(Budget.parse("24 hours")),
                Budget.parse("48 hours"),
                ClockSpec.of(Budget.parse("15 days")),
                null,
                false, false, false, Set.of(), true, Policy.DEFAULT_ACK_TIMES, StallRule.DEFAULT, 2, Map.of(), Level.L1);
    }

    /**
     * EU payment services, PSD2 (Directive (EU) 2015/2366) Art. 101(2): reply on paper or another durable medium
     * addressing all points within 15 business days of receipt; in exceptional situations a holding reply giving the
     * reasons and a date, with the final reply within 35 business days. Business days of the member state
     * (calendar DE by default, Art. 4(37)).
     */
    public static Policy euPsd2() {
        return fallback().toBuilder().id("EU-PSD2")
                .match(new Match(EU_MEMBER_STATES, Set.of(), Set.of(), Set.of()))
                .firstResponse(ClockSpec.of(Budget.parse("1 business days")))
                .nextReply(Budget.parse("2 business days"))
                .resolution(ClockSpec.of(Budget.parse("15 business days")).withExtensions(Budget.parse("35 business days")))
                .statutory(ClockSpec.of(Budget.parse("15 business days")).withExtensions(Budget.parse("35 business days")))
                .build()
                .withSource("PSD2 Directive (EU) 2015/2366 Art. 101(2): final reply within 15 business days; holding reply with reasons: 35 business days", "DE");
    }

    /** UK, FCA Handbook DISP 1.6.2R: final response within eight weeks after receipt. */
    public static Policy ukDisp() {
        return fallback().toBuilder().id("UK-DISP")
                .match(Match.jurisdictions("GB", "UK"))
                .firstResponse(ClockSpec.of(Budget.parse("1 business days")))
                .nextReply(Budget.parse("2 business days"))
                .resolution(ClockSpec.of(Budget.parse("8 weeks")))
                .statutory(ClockSpec.of(Budget.parse("8 weeks")))
                .build()
                .withSource("FCA Handbook DISP 1.6.2R: final response by the end of eight weeks after receipt", "GB");
    }

    /**
     * UK payment services and e-money complaints, FCA DISP 1.6.2AR: final response by the end of 15 business days
     * after receipt; in exceptional circumstances a holding response and the final response by the end of 35 business
     * days. Matched here for payment-failure complaints; operators match it by merchant tier as fits their licence.
     */
    public static Policy ukPaymentServices() {
        return ukDisp().toBuilder().id("UK-PSD-EMONEY")
                .match(new Match(Set.of("GB", "UK"), Set.of(Category.PAYMENT_FAILURE), Set.of(), Set.of()))
                .resolution(ClockSpec.of(Budget.parse("15 business days")).withExtensions(Budget.parse("35 business days")))
                .statutory(ClockSpec.of(Budget.parse("15 business days")).withExtensions(Budget.parse("35 business days")))
                .build()
                .withSource("FCA Handbook DISP 1.6.2AR (payment services and e-money): 15 business days; holding response: 35 business days", "GB");
    }

    /**
     * UK summary resolution, FCA DISP 1.5.1R / 1.6.1R: a complaint resolved by close of business on the third business
     * day after receipt may receive a summary resolution communication. Not matched automatically: select it by
     * merchant tier SUMMARY or extend it in a policy file.
     */
    public static Policy ukSummaryResolution() {
        return ukDisp().toBuilder().id("UK-SUMMARY")
                .match(new Match(Set.of("GB", "UK"), Set.of(), Set.of(), Set.of("SUMMARY")))
                .resolution(ClockSpec.of(Budget.parse("3 business days")))
                .statutory(ClockSpec.of(Budget.parse("3 business days")))
                .build()
                .withSource("FCA Handbook DISP 1.5: summary resolution by close of the third business day after receipt", "GB");
    }

    /**
     * US consumer finance, CFPB complaint portal practice: the company responds within 15 calendar days of the date
     * the complaint was sent to it; a response marked "in progress" is followed by a final response within 60 days.
     * The clock starts at OPENED, which for CFPB-sourced cases is the date sent to the company.
     */
    public static Policy usCfpb() {
        return fallback().toBuilder().id("US-CFPB")
                .match(Match.jurisdictions("US"))
                .firstResponse(ClockSpec.of(Budget.parse("15 days")))
                .nextReply(Budget.parse("2 business days"))
                .resolution(ClockSpec.of(Budget.parse("15 days")).withExtensions(Budget.parse("60 days")))
                .statutory(ClockSpec.of(Budget.parse("15 days")).withExtensions(Budget.parse("60 days")))
                .build()
                .withSource("CFPB complaint process: response within 15 calendar days of being sent to the company; in progress: final response within 60 days", "US");
    }

    /**
     * China, banking and insurance consumer complaints: 银行保险机构消费投诉处理管理办法 (CBIRC Order 2020 No. 3),
     * Art. 21: decide and inform within 15 days of receipt; complex cases may be extended to 30 days, and with the
     * approval of the institution's senior management by up to 30 more (60 at most); time for external appraisal,
     * inspection or expert opinion is excluded; new facts or reasons restart the clock. Days are calendar days
     * counted from the day after receipt (民法典 第201条), and a period ending on a holiday ends on the next working day
     * (民法典 第203条), make-up working days included. Platform clocks count CN business days.
     */
    public static Policy cnBanking2020() {
        Policy p = fallback().toBuilder().id("CN-BANKING-2020")
                .match(Match.jurisdictions("CN"))
                .firstResponse(ClockSpec.of(Budget.parse("1 business days")))
                .nextReply(Budget.parse("1 business days"))
                .resolution(ClockSpec.of(Budget.parse("10 business days")).withExtensions(Budget.parse("20 business days"), Budget.parse("40 business days")))
                .statutory(ClockSpec.of(Budget.parse("15 days")).withExtensions(Budget.parse("30 days"), Budget.parse("60 days")).rolling())
                .build();
        Policy.Builder b = p.toBuilder();
        b.exclusionReasons = Set.of("EXTERNAL_APPRAISAL");
        b.restartOnReopen = true;
        return b.build().withSource("银行保险机构消费投诉处理管理办法 (2020) 第二十一条: 15 days; complex: 30; with approval: 30 more (60 at most); external appraisal excluded; new facts restart", "CN");
    }

    public static List<Policy> all() {
        return List.of(fallback(), euPsd2(), ukDisp(), ukPaymentServices(), ukSummaryResolution(), usCfpb(), cnBanking2020());
    }
}
