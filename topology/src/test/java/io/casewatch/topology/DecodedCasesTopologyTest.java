package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.EscalationAck;
import io.casewatch.schema.Level;
import io.casewatch.state.StoreKind;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

/**
 * Cases kept decoded between events ({@link DecodedCases}) must never carry what the store does not hold: the
 * engine changes a case in place, and an event dead-lettered half way has already marked its id as seen.
 */
class DecodedCasesTopologyTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void anEventIdSeenOnlyByADeadLetteredEventIsNotADuplicateLater() {
        for (StoreKind kind : StoreKind.values()) {
            CasewatchTopology.Settings s = CasewatchTopology.Settings.defaults(Topics.defaults(), PolicySet.presets()).withStores(kind);
            try (CaseDriver d = new CaseDriver(s)) {
                d.pipe(Events.opened("c-1", T0, "GB"));
                EscalationAck unknown = Events.ack("c-1", "no-such-alert", Level.L1, T0.plus(Duration.ofMinutes(5)));
                d.pipe(unknown);
                assertThat(d.deadLetters()).as("%s: the ack names an alert the case never raised", kind).hasSize(1);

                ContactEvent resent = ContactEvent.newBuilder(Events.inbound("c-1", T0.plus(Duration.ofMinutes(10))))
                        .setEventId(unknown.getEventId()).build();
                d.pipe(resent);
                d.pipe(Events.inbound("c-1", T0.plus(Duration.ofMinutes(15))));

                assertThat(d.lastStatus().getInboundContacts())
                        .as("%s: the contact reusing the dead-lettered event's id is counted", kind).isEqualTo(2);
            }
        }
    }
}
