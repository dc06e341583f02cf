package io.casewatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.casewatch.cases.InvalidEventException.Reason;
import io.casewatch.policy.PolicySet;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.schema.ContactEvent;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

/**
 * SPEC section 8: a contact (or any event but OPENED) for a case that is not opened within the orphan grace goes to
 * the dead-letter topic as ORPHAN_CONTACT, with its original bytes; one that its OPENED follows in time is simply
 * counted. Every record ends up processed or dead-lettered, per input partition.
 */
class OrphanContactTopologyTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration GRACE = Duration.ofHours(1);

    private static CasewatchTopology.Settings settings() {
        return CasewatchTopology.Settings.defaults(Topics.defaults(), PolicySet.presets()).withOrphanGrace(GRACE);
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long processed(IntakeCounters c) {
        return c.partitions().values().stream().mapToLong(IntakeCounters.PartitionCounts::processed).sum();
    }

    private static long deadLettered(IntakeCounters c) {
        return c.partitions().values().stream().mapToLong(IntakeCounters.PartitionCounts::deadLettered).sum();
    }

    @Test
    void contactFollowedByItsOpenedWithinTheGraceIsCountedAndNotDeadLettered() {
        CasewatchTopology.Settings s = settings();
        try (CaseDriver d = new CaseDriver(s)) {
            d.pipe(Events.inbound("early", T0));
            d.pipe(Events.opened("early", T0.plus(Duration.ofMinutes(20)), "GB"));
            d.tick(T0.plus(Duration.ofHours(3)));

            assertThat(d.deadLetters()).isEmpty();
            assertThat(d.lastStatus().getInboundContacts()).as("the early contact counts on the case").isEqualTo(1);
            assertThat(processed(d.counters())).isEqualTo(2);
            assertThat(deadLettered(d.counters())).isZero();
        }
    }

    @Test
    void aContactReadWhenStreamTimeIsAlreadyPastItsGraceStillWaitsTheWholeGraceForItsOpened() {
        // A backlog: stream time is hours ahead (other cases, heartbeats) when an old contact is read, and its OPENED
        // is a few records behind on the complaints topic.
        CasewatchTopology.Settings s = settings();
        try (CaseDriver d = new CaseDriver(s)) {
            d.tick(T0.plus(Duration.ofHours(5)));
            d.pipe(Events.inbound("late-read", T0));
            d.tick(T0.plus(Duration.ofHours(5)).plusSeconds(30));
            d.pipe(Events.opened("late-read", T0.minusSeconds(60), "GB"));
            d.tick(T0.plus(Duration.ofHours(8)));

            assertThat(d.deadLetters()).isEmpty();
            assertThat(d.lastStatus().getInboundContacts()).isEqualTo(1);
        }
    }

    @Test
    void replyReadAheadOfItsOpenedWaitsWhileOtherCasesResolutionsRunDaysAhead() {
        // A backlog as a case-management system writes it: each case's OPENED and RESOLVED (40 hours later) one after
        // the other on the complaints topic, the replies on the contacts topic read ahead of their OPENED. The latest
        // complaint read is days past the reply; the OPENED events are not, and they are what the grace waits for.
        CasewatchTopology.Settings s = settings();
        try (CaseDriver d = new CaseDriver(s)) {
            d.pipe(Events.opened("a", T0, "GB"));
            d.pipe(Events.resolved("a", T0.plus(Duration.ofHours(40))));
            d.pipe(Events.agentReply("c", T0.plus(Duration.ofMinutes(150)), "We refunded $10 to your card today.", "en"));
            d.pipe(Events.opened("b", T0.plus(Duration.ofHours(1)), "GB"));
            d.pipe(Events.resolved("b", T0.plus(Duration.ofHours(41))));
            d.tick(T0.plus(Duration.ofHours(42)));
            d.pipe(Events.opened("c", T0.plus(Duration.ofHours(2)), "GB"));
            d.tick(T0.plus(Duration.ofDays(3)));

            assertThat(d.deadLetters()).isEmpty();
            assertThat(d.alerts()).as("c's reply counts: no first-response breach")
                    .noneMatch(a -> a.getCaseId().equals("c"));
            assertThat(processed(d.counters())).isEqualTo(6);
        }
    }

    @Test
    void contactNeverFollowedByOpenedIsDeadLetteredWithItsOriginalBytesOnceTheGracePasses() {
        CasewatchTopology.Settings s = settings();
        try (CaseDriver d = new CaseDriver(s)) {
            ContactEvent contact = Events.inbound("orphan", T0);
            byte[] original = RecordSerdes.CONTACT_EVENT.toBytes(contact);
            d.pipe(contact);
            d.tick(T0.plus(Duration.ofDays(1)));
            assertThat(d.deadLetters()).as("heartbeats alone do not expire it: events' time does").isEmpty();
            d.pipe(Events.opened("other", T0.plus(GRACE).minusSeconds(5), "GB"));
            d.tick(T0.plus(Duration.ofDays(1)).plusSeconds(1));
            assertThat(d.deadLetters()).as("still within the grace").isEmpty();
            assertThat(d.lastStatus().getCaseId()).as("not a case until OPENED: no status").isEqualTo("other");

            d.pipe(Events.opened("other-2", T0.plus(GRACE).plusSeconds(5), "GB"));
            d.tick(T0.plus(Duration.ofDays(1)).plusSeconds(2));
            List<TestRecord<byte[], byte[]>> dlq = d.deadLetters();
            assertThat(dlq).singleElement().satisfies(r -> {
                assertThat(header(r, DeadLetters.REASON)).isEqualTo(Reason.ORPHAN_CONTACT.name());
                assertThat(header(r, DeadLetters.TOPIC)).isEqualTo(Topics.defaults().contacts().name());
                assertThat(header(r, DeadLetters.PARTITION)).isEqualTo("0");
                assertThat(header(r, DeadLetters.OFFSET)).isEqualTo("0");
                assertThat(header(r, DeadLetters.TIMESTAMP)).isEqualTo(Long.toString(T0.toEpochMilli()));
                assertThat(r.key()).isEqualTo("orphan".getBytes(StandardCharsets.UTF_8));
                assertThat(r.value()).isEqualTo(original);
            });
            assertThat(d.counters().deadLettered(Reason.ORPHAN_CONTACT)).isEqualTo(1);
            assertThat(processed(d.counters())).as("the two other cases").isEqualTo(2);
            assertThat(deadLettered(d.counters())).isEqualTo(1);

            // The case was forgotten: a late OPENED starts it afresh and is not dead-lettered.
            d.pipe(Events.opened("orphan", T0.plus(Duration.ofHours(2)), "GB"));
            assertThat(d.deadLetters()).isEmpty();
            assertThat(d.lastStatus().getCaseId()).isEqualTo("orphan");
            assertThat(d.lastStatus().getInboundContacts()).isZero();
        }
    }

    @Test
    void duplicatesOfAnEarlyContactShareItsFate() {
        CasewatchTopology.Settings s = settings();
        try (CaseDriver d = new CaseDriver(s)) {
            ContactEvent contact = Events.inbound("dup", T0);
            d.pipe(contact).pipe(contact);
            ContactEvent opened = Events.inbound("dup-opened", T0);
            d.pipe(opened).pipe(opened);
            d.pipe(Events.opened("dup-opened", T0.plus(Duration.ofMinutes(5)), "GB"));
            d.pipe(Events.opened("later", T0.plus(Duration.ofHours(2)), "GB"));
            d.tick(T0.plus(Duration.ofHours(2)).plusSeconds(1));

            // dup never opens: the contact and its duplicate are both dead-lettered (issue 18: a case that never opens
            // leaves all of its records in the dead-letter topic). dup-opened: contact, duplicate and OPENED are
            // processed, and its status accounts for them; later.
            assertThat(d.deadLetters()).hasSize(2)
                    .allSatisfy(r -> assertThat(r.key()).isEqualTo("dup".getBytes(StandardCharsets.UTF_8)));
            assertThat(processed(d.counters())).isEqualTo(4);
            assertThat(deadLettered(d.counters())).isEqualTo(2);
            assertThat(d.counters().duplicates()).isEqualTo(2);
            CaseStatus status = d.statuses().stream().filter(st -> st.getCaseId().equals("dup-opened")).reduce((a, b) -> b).orElseThrow();
            assertThat(status.getEventsApplied()).isEqualTo(2);
            assertThat(status.getDuplicatesIgnored()).isEqualTo(1);
        }
    }

    @Test
    void anyEventButOpenedWaitsForTheCaseToo() {
        CasewatchTopology.Settings s = settings();
        try (CaseDriver d = new CaseDriver(s)) {
            d.pipe(Events.complaint("lifecycle", ComplaintEventType.ASSIGNED, T0).build());
            d.pipe(Events.agentReply("lifecycle", T0.plusSeconds(60), "We are looking at it.", "en"));
            d.pipe(Events.opened("later", T0.plus(GRACE).plusSeconds(61), "GB"));
            d.tick(T0.plus(GRACE).plusSeconds(62));

            assertThat(d.deadLetters()).hasSize(2)
                    .allSatisfy(r -> assertThat(header(r, DeadLetters.REASON)).isEqualTo(Reason.ORPHAN_CONTACT.name()));
        }
    }

    @Test
    void heldRecordsAreBoundedPerCaseAndTheRestIsDeadLetteredAtOnce() {
        CasewatchTopology.Settings s = settings();
        try (CaseDriver d = new CaseDriver(s)) {
            for (int i = 0; i < OrphanHold.MAX_RECORDS + 3; i++) {
                d.pipe(Events.inbound("flood", T0.plusSeconds(i)));
            }
            assertThat(d.deadLetters()).as("beyond the bound, at once").hasSize(3);
            d.pipe(Events.opened("flood", T0.plus(Duration.ofMinutes(10)), "GB"));
            d.tick(T0.plus(Duration.ofHours(2)));
            assertThat(d.deadLetters()).isEmpty();
            assertThat(d.lastStatus().getInboundContacts()).isEqualTo(OrphanHold.MAX_RECORDS);
            assertThat(processed(d.counters()) + deadLettered(d.counters())).isEqualTo(OrphanHold.MAX_RECORDS + 3 + 1);
        }
    }
}
