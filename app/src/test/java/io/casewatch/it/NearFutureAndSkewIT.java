package io.casewatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import io.casewatch.app.AppConfig;
import io.casewatch.app.Pipeline;
import io.casewatch.broker.LocalKafka;
import io.casewatch.schema.Alert;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.CaseStatus;
import io.casewatch.schema.serde.RecordSerdes;
import io.casewatch.testing.Events;

/**
 * Issue 18, item 4: events stamped in the near future (within {@code casewatch.max.future}) and producers whose
 * clocks run ahead, on a real broker with the instance's own heartbeats (as {@code run} runs). What is decided
 * (docs/reliability.md, "Near-future events and producer clock skew"):
 * <ul>
 *   <li>a record stamped up to {@code casewatch.max.future} ahead of the deployment's clock is an ordinary event:
 *       applied, counted; beyond it, dead-lettered {@code TIME_OUT_OF_RANGE}; more than an hour ahead, the broker
 *       itself refuses it (Kafka 4's {@code message.timestamp.after.max.ms} default), and only the producer knows;</li>
 *   <li>it moves only its own partition's time: deadlines fired by time passing wait for the least of the task's
 *       input partitions (docs/time.md), which heartbeats hold at the real "now", so other cases' deadlines do not
 *       fire early while any input topic of the task is on time;</li>
 *   <li>on its own case it is judged at the instant it carries: a reply stamped after the case's deadline is a
 *       breach at the deadline, even if the producer's clock was fast and the reply was really in time — casewatch
 *       has no other time for it than the one the producer wrote.</li>
 * </ul>
 * One partition, so that every case is on the same task.
 */
class NearFutureAndSkewIT {

    @Test
    void nearFutureEventsAreAppliedMoveOnlyTheirOwnCaseAndTooFarFutureOnesAreDeadLettered() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // x's and z's first-response deadline: 12 minutes from now.
        Instant xOpened = now.minus(Duration.ofHours(24)).plus(Duration.ofMinutes(12));
        try (LocalKafka kafka = ItSupport.brokerWithTopics(1)) {
            var topics = ItSupport.TOPICS;
            List<String> sent = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> p = ItSupport.producer(kafka)) {
                // x: nothing of its own comes.
                p.send(ItSupport.record(topics.complaints().name(), "x", RecordSerdes.COMPLAINT_EVENT.toBytes(Events.opened("x", xOpened, null)), xOpened));
                // z: the same deadline; its reply comes from a producer whose clock is 18 minutes fast.
                p.send(ItSupport.record(topics.complaints().name(), "z", RecordSerdes.COMPLAINT_EVENT.toBytes(Events.opened("z", xOpened, null)), xOpened));
                Instant fast = now.plus(Duration.ofMinutes(18));
                var zReply = Events.agentReply("z", fast, "We refunded $10 to your card today.", "en");
                p.send(ItSupport.record(topics.contacts().name(), "z", RecordSerdes.CONTACT_EVENT.toBytes(zReply), fast));
                // y: opened an hour ago, a contact stamped 15 minutes ahead (within max.future, 20 minutes here).
                Instant yOpened = now.minus(Duration.ofHours(1));
                p.send(ItSupport.record(topics.complaints().name(), "y", RecordSerdes.COMPLAINT_EVENT.toBytes(Events.opened("y", yOpened, null)), yOpened));
                Instant ahead = now.plus(Duration.ofMinutes(15));
                var yContact = Events.contact("y", io.casewatch.schema.Direction.INBOUND, io.casewatch.schema.Actor.CUSTOMER, ahead)
                        .setText("Any news?").setLanguage("en").build();
                p.send(ItSupport.record(topics.contacts().name(), "y", RecordSerdes.CONTACT_EVENT.toBytes(yContact), ahead));
                // w: opened 15 minutes ahead (the complaints topic runs ahead too).
                p.send(ItSupport.record(topics.complaints().name(), "w", RecordSerdes.COMPLAINT_EVENT.toBytes(Events.opened("w", ahead, null)), ahead));
                // v: a contact 50 minutes ahead: beyond max.future, within what the broker accepts (1 hour).
                p.send(ItSupport.record(topics.complaints().name(), "v", RecordSerdes.COMPLAINT_EVENT.toBytes(Events.opened("v", yOpened, null)), yOpened));
                Instant tooFar = now.plus(Duration.ofMinutes(50));
                var vContact = Events.contact("v", io.casewatch.schema.Direction.INBOUND, io.casewatch.schema.Actor.CUSTOMER, tooFar)
                        .setText("Hello?").setLanguage("en").build();
                p.send(ItSupport.record(topics.contacts().name(), "v", RecordSerdes.CONTACT_EVENT.toBytes(vContact), tooFar));
                p.flush();
                sent.addAll(List.of("x", "z", "y", "w", "v"));
            }
            // Two hours ahead: Kafka 4's brokers refuse it themselves (message.timestamp.after.max.ms, 1 hour by default),
            // so it never reaches casewatch; the producer is told.
            try (KafkaProducer<byte[], byte[]> p = ItSupport.producer(kafka)) {
                Instant refused = now.plus(Duration.ofHours(2));
                var uContact = Events.contact("y", io.casewatch.schema.Direction.INBOUND, io.casewatch.schema.Actor.CUSTOMER, refused)
                        .setText("Later?").setLanguage("en").build();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.send(ItSupport.record(topics.contacts().name(), "y",
                        RecordSerdes.CONTACT_EVENT.toBytes(uContact), refused)).get())
                        .hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidTimestampException.class);
            }
            Map<String, String> flags = new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("casewatch-future-").toString(),
                    StreamsConfig.APPLICATION_ID_CONFIG, "casewatch-future-it", AppConfig.MAX_FUTURE, "PT20M"));
            try (Pipeline pipeline = Pipeline.start(AppConfig.load(null, Map.of(), flags), Clock.systemUTC());
                 OutputAccounting accounting = new OutputAccounting(kafka.bootstrapServers(), 1);
                 KafkaConsumer<String, Alert> alerts = ItSupport.alertConsumer(kafka, "future-alerts")) {
                OutputAccounting.Figures[] last = {null};
                ItSupport.await(Duration.ofSeconds(60), () -> "all five cases' statuses and every record accounted for: " + last[0], () -> {
                    last[0] = accounting.figures();
                    return last[0].balanced() && last[0].statuses().keySet().containsAll(List.of("x", "y", "z", "w", "v"));
                });
                OutputAccounting.Figures f = last[0];
                System.out.println("future IT: accounting " + f + ", statuses " + f.statuses().keySet());
                assertThat(f.unexplained()).as("every record applied or dead-lettered: %s", f).isEmpty();
                Map<String, CaseStatus> st = f.statuses();
                assertThat(st.get("y").getEventsApplied()).as("y's near-future contact is applied").isEqualTo(2);
                assertThat(st.get("w").getEventsApplied()).as("w's near-future opening is applied").isEqualTo(1);
                assertThat(st.get("v").getEventsApplied()).as("v's contact 50 minutes ahead is not").isEqualTo(1);
                assertThat(f.deadLetterReasons()).as("only the contact beyond max.future is dead-lettered").isEqualTo(Map.of("TIME_OUT_OF_RANGE", 1L));

                // Heartbeats keep proving "now": give them time to move the gate (condition: a dozen more read).
                long ticks = pipeline.runtime().counters().ticks();
                ItSupport.await(Duration.ofSeconds(60), () -> "heartbeats read", () -> pipeline.runtime().counters().ticks() >= ticks + 12);
                List<Alert> seen = new ArrayList<>();
                // z's reply, stamped after z's deadline, makes z's first-response breach at the deadline (its own time).
                ItSupport.await(Duration.ofSeconds(30), () -> "z's breach, alerts " + seen, () -> {
                    alerts.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                    return seen.stream().anyMatch(a -> a.getCaseId().equals("z") && a.getKind() == AlertKind.FIRST_RESPONSE_BREACH);
                });
                long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < settle) {
                    alerts.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                }
                Alert zBreach = seen.stream().filter(a -> a.getCaseId().equals("z") && a.getKind() == AlertKind.FIRST_RESPONSE_BREACH)
                        .findFirst().orElseThrow();
                assertThat(zBreach.getDetectedAt()).as("z's breach at its deadline").isEqualTo(xOpened.plus(Duration.ofHours(24)));
                // x's deadline is still 12 minutes away in real time, and behind the future-stamped records of y, w and
                // z on both the complaints and the contacts topics: stream time alone would fire it. The acks partition
                // is proven only to "now", so the gate holds it.
                assertThat(seen).as("x's deadline has not passed: no breach for x")
                        .noneMatch(a -> a.getCaseId().equals("x") && a.getKind() == AlertKind.FIRST_RESPONSE_BREACH);
                System.out.printf("future IT: alerts %s; statuses applied x=%d y=%d w=%d v=%d z=%d; dead letters %s%n",
                        seen.stream().map(a -> a.getCaseId() + ":" + a.getKind()).toList(), st.get("x").getEventsApplied(),
                        st.get("y").getEventsApplied(), st.get("w").getEventsApplied(), st.get("v").getEventsApplied(),
                        st.get("z").getEventsApplied(), f.deadLetterReasons());
                assertThat(sent).hasSize(5);
            }
        }
    }
}
