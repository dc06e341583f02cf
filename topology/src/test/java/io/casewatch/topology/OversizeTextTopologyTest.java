package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.Actor;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.Direction;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

/** SPEC section 8: a contact whose text is over {@code casewatch.max.text.chars} counts, read on its first characters. */
class OversizeTextTopologyTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    /** The length of the longest narrative in the CFPB sample. */
    private static final int CFPB_LONGEST = 21_928;

    @Test
    void oversizeComplaintNarrativeCountsAsAnInboundContact() {
        CasewatchTopology.Settings s = CasewatchTopology.Settings.defaults(Topics.defaults(), PolicySet.presets());
        try (CaseDriver d = new CaseDriver(s)) {
            d.pipe(Events.opened("long-1", T0, "US"));
            d.pipe(Events.contact("long-1", Direction.INBOUND, Actor.CUSTOMER, T0.plus(Duration.ofMinutes(5)))
                    .setText("My payment was never credited. ".repeat(CFPB_LONGEST / 31 + 1).substring(0, CFPB_LONGEST)).setLanguage("en").build());

            CaseStatus status = d.lastStatus();
            assertThat(d.deadLetters()).isEmpty();
            assertThat(status.getInboundContacts()).isEqualTo(1);
            assertThat(status.getTruncatedTexts()).isEqualTo(1);
            assertThat(d.counters().truncatedTexts()).isEqualTo(1);
        }
    }

    @Test
    void aTextExactlyAtTheLimitIsNotTruncated() {
        CasewatchTopology.Settings s = CasewatchTopology.Settings.defaults(Topics.defaults(), PolicySet.presets());
        int limit = Intake.Limits.DEFAULT.maxTextChars();
        try (CaseDriver d = new CaseDriver(s)) {
            d.pipe(Events.opened("limit-1", T0, "US"));
            d.pipe(Events.contact("limit-1", Direction.INBOUND, Actor.CUSTOMER, T0.plus(Duration.ofMinutes(5)))
                    .setText("x".repeat(limit)).build());

            assertThat(d.lastStatus().getTruncatedTexts()).isZero();
            assertThat(d.counters().truncatedTexts()).isZero();
        }
    }

    @Test
    void oversizeHoldingReplyIsClassifiedOnItsHead() {
        try (CaseDriver d = new CaseDriver(PolicySet.presets())) {
            d.pipe(Events.opened("long-2", T0, "CN"));
            d.pipe(Events.inbound("long-2", T0.plus(Duration.ofMinutes(5))));
            // A holding phrase first, then a pasted 20,000-character terms-and-conditions block.
            d.pipe(Events.agentReply("long-2", T0.plus(Duration.ofHours(1)), "您的问题正在处理中，请耐心等待。" + "条款".repeat(10_000), "zh-Hans"));

            CaseStatus status = d.lastStatus();
            assertThat(d.deadLetters()).isEmpty();
            assertThat(status.getOutboundContacts()).isEqualTo(1);
            assertThat(status.getHoldingReplies()).isEqualTo(1);
            assertThat(status.getTruncatedTexts()).isEqualTo(1);
        }
    }
}
