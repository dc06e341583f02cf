package io.casewatch.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import io.casewatch.policy.PolicyFile;
import io.casewatch.policy.PolicySet;
import io.casewatch.schema.AlertKind;
import io.casewatch.schema.AlertStatus;
import io.casewatch.schema.ComplaintEventType;
import io.casewatch.testing.CaseDriver;
import io.casewatch.testing.Events;

/**
 * Random event sequences through the topology and through a minute-by-minute reference model of the first-response
 * and resolution clocks (calendar time, pauses while awaiting the customer): the breaches must be the same. The
 * model is deliberately naive — it walks every minute — so that it is obviously right.
 */
class ClocksMatchReferenceModelProperties {

    private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");
    private static final int FIRST_RESPONSE_MIN = 24 * 60;
    private static final int RESOLUTION_MIN = 72 * 60;
    private static final int HORIZON_MIN = 40 * 24 * 60;

    private static final PolicySet POLICY = PolicyFile.parse("""
            {"replacePresets": true, "policies": [{"id": "DEFAULT", "calendar": "UTC",
              "firstResponse": {"budget": "PT24H", "atRisk": []},
              "nextReply": null,
              "resolution": {"budget": "PT72H", "atRisk": []},
              "statutory": null}]}
            """);

    enum Act { AGENT_REPLY, BOT_REPLY, INBOUND, AWAIT_CUSTOMER, RESUME, RESOLVE }

    record Step(int minute, Act act) {
    }

    @Provide
    Arbitrary<List<Step>> scripts() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(1, 8 * 24 * 60), Arbitraries.of(Act.class))
                .as(Step::new);
        return step.list().ofMinSize(0).ofMaxSize(12).map(steps -> {
            List<Step> sorted = new ArrayList<>(steps);
            sorted.sort((a, b) -> Integer.compare(a.minute(), b.minute()));
            List<Step> out = new ArrayList<>();
            Set<Integer> used = new TreeSet<>();
            for (Step s : sorted) {
                if (used.add(s.minute())) {
                    out.add(s);
                }
                if (s.act() == Act.RESOLVE) {
                    break;
                }
            }
            return out;
        });
    }

    @Property(tries = 150)
    void topologyBreachesEqualTheReferenceModel(@ForAll("scripts") List<Step> script) {
        Set<AlertKind> expected = reference(script);
        Set<AlertKind> actual = new TreeSet<>();
        try (CaseDriver d = new CaseDriver(POLICY)) {
            d.pipe(Events.opened("p-1", T0, null));
            for (Step s : script) {
                Instant at = T0.plus(Duration.ofMinutes(s.minute()));
                switch (s.act()) {
                    case AGENT_REPLY -> d.pipe(Events.agentReply("p-1", at, "We refunded $5 today.", "en"));
                    case BOT_REPLY -> d.pipe(Events.contact("p-1", io.casewatch.schema.Direction.OUTBOUND,
                            io.casewatch.schema.Actor.BOT, at).setText("Thanks, ticket 77 was created.").build());
                    case INBOUND -> d.pipe(Events.inbound("p-1", at));
                    case AWAIT_CUSTOMER -> d.pipe(Events.complaint("p-1", ComplaintEventType.AWAITING_CUSTOMER, at).build());
                    case RESUME -> d.pipe(Events.complaint("p-1", ComplaintEventType.RESUMED, at).build());
                    case RESOLVE -> d.pipe(Events.resolved("p-1", at));
                }
            }
            d.tick(T0.plus(Duration.ofMinutes(HORIZON_MIN)));
            d.alerts().stream()
                    .filter(a -> a.getStatus() == AlertStatus.OPEN)
                    .filter(a -> a.getKind() == AlertKind.FIRST_RESPONSE_BREACH || a.getKind() == AlertKind.RESOLUTION_BREACH)
                    .forEach(a -> actual.add(a.getKind()));
        }
        assertThat(actual).as("script %s", script).isEqualTo(expected);
    }

    /** Walks minute by minute: counts unpaused unresolved minutes, notes whether a goal came in time. */
    static Set<AlertKind> reference(List<Step> script) {
        Set<AlertKind> out = new TreeSet<>();
        Integer firstResponse = null;
        Integer resolvedAt = null;
        for (Step s : script) {
            if ((s.act() == Act.AGENT_REPLY || s.act() == Act.RESOLVE) && firstResponse == null) {
                firstResponse = s.minute();
            }
            if (s.act() == Act.RESOLVE) {
                resolvedAt = s.minute();
            }
        }
        if (firstResponse == null || firstResponse > FIRST_RESPONSE_MIN) {
            out.add(AlertKind.FIRST_RESPONSE_BREACH);
        }
        boolean paused = false;
        int counted = 0;
        int next = 0;
        for (int minute = 0; minute < HORIZON_MIN; minute++) {
            while (next < script.size() && script.get(next).minute() == minute) {
                Act act = script.get(next).act();
                if (act == Act.AWAIT_CUSTOMER) {
                    paused = true;
                } else if (act == Act.RESUME || act == Act.INBOUND) {
                    paused = false;
                }
                next++;
            }
            if (resolvedAt != null && minute >= resolvedAt) {
                break;
            }
            if (!paused) {
                counted++;
            }
            if (counted > RESOLUTION_MIN || (counted == RESOLUTION_MIN && (resolvedAt == null || resolvedAt > minute + 1))) {
                out.add(AlertKind.RESOLUTION_BREACH);
                break;
            }
        }
        return out;
    }
}
