package io.casewatch.cases;

import java.util.ArrayList;
import java.util.List;

import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.Pause;
import io.casewatch.schema.internal.PauseKind;

/** The stretches during which a case's clocks stop: open at most one of a kind at a time, closed never before they began. */
final class Pauses {

    private Pauses() {
    }

    static void open(CaseData c, PauseKind kind, long t) {
        for (Pause p : c.getPauses()) {
            if (p.getKind() == kind && p.getTo() == null) {
                return;
            }
        }
        List<Pause> pauses = new ArrayList<>(c.getPauses());
        pauses.add(new Pause(t, null, kind));
        c.setPauses(pauses);
    }

    static void closeAll(CaseData c, long t) {
        for (Pause p : c.getPauses()) {
            if (p.getTo() == null) {
                p.setTo(Math.max(t, p.getFrom()));
            }
        }
    }
}
