package io.casewatch.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.casewatch.policy.PolicyFile;
import io.casewatch.schema.Category;
import io.casewatch.schema.ClockKind;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

/**
 * Every preset through the topology: the case is matched to the preset and its statutory deadline, as published on
 * cases.status.v1, is the one the cited rule gives (worked out by hand in the comments of each row).
 */
class PresetDeadlinesTopologyTest {

    private static final Instant RECEIVED = Instant.parse("2026-03-02T10:00:00Z"); // a Monday everywhere below

    @ParameterizedTest(name = "{0} {1} {2} -> {3} due {4}")
    @CsvSource({
        // 8 weeks after the day of receipt: 28 April 00:00 London (BST)
        "GB, SERVICE,         m-1,       UK-DISP,         2026-04-27T23:00:00Z",
        // 15 business days from Tue 3 March: ends with Mon 23 March, London still on GMT
        "GB, PAYMENT_FAILURE, m-1,       UK-PSD-EMONEY,   2026-03-24T00:00:00Z",
        // 3 business days after receipt: Tue, Wed, Thu; ends at Friday 00:00
        "GB, SERVICE,         m-summary, UK-SUMMARY,      2026-03-06T00:00:00Z",
        // 15 business days on Germany's calendar: ends with Mon 23 March, Berlin on CET
        "DE, FEES,            m-1,       EU-PSD2,         2026-03-23T23:00:00Z",
        // 15 calendar days from 3 March in New York (EDT from 8 March): 18 March 00:00 EDT
        "US, FEES,            m-1,       US-CFPB,         2026-03-18T04:00:00Z",
        // 15 days from 3 March in Shanghai: 18 March 00:00 local; 17 March is a working day, no roll
        "CN, REFUND,          m-1,       CN-BANKING-2020, 2026-03-17T16:00:00Z"
    })
    void presetIsMatchedAndItsStatutoryDeadlineFollowsItsRule(String jurisdiction, Category category, String merchant,
            String policyId, Instant statutoryDeadline) {
        var policies = PolicyFile.parse("{\"merchantTiers\": {\"m-summary\": \"SUMMARY\"}}");
        try (CaseDriver d = new CaseDriver(policies)) {
            d.pipe(Events.complaint("preset-1", io.casewatch.schema.ComplaintEventType.OPENED, RECEIVED)
                    .setJurisdiction(jurisdiction).setCategory(category).setMerchantId(merchant).build());

            var status = d.lastStatus();
            assertThat(status.getPolicyId()).isEqualTo(policyId);
            assertThat(status.getClocks()).filteredOn(c -> c.getClock() == ClockKind.STATUTORY).singleElement()
                    .satisfies(c -> assertThat(c.getDeadline()).isEqualTo(statutoryDeadline));
        }
    }
}
