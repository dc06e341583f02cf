package io.casewatch.compliance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.casewatch.cases.ClockView;
import io.casewatch.policy.Policy;
import io.casewatch.schema.ClockKind;
import io.casewatch.schema.ClockState;
import io.casewatch.schema.ComplianceRecord;
import io.casewatch.schema.DeadlineOutcome;
import io.casewatch.schema.OpenAlert;
import io.casewatch.schema.TimelineEntry;
import io.casewatch.schema.internal.AlertState;
import io.casewatch.schema.internal.CaseData;
import io.casewatch.schema.internal.LifecycleStep;
import io.casewatch.sla.BusinessCalendar;
import io.casewatch.sla.ClockMath;

/**
 * The compliance record of a case that has just reached RESOLVED, CLOSED or WITHDRAWN (SPEC section 6): what a
 * complaints return or a regulator's file needs, computed from the case's state, never from raw message text.
 */
public final class ComplianceRecords {

    private ComplianceRecords() {
    }

    /**
     * A clock met its deadline unless it breached it (a case closed before its deadline met it too); a clock that
     * never ran (no deadline) has no verdict.
     */
    static Boolean met(ClockView v) {
        if (v.state() == ClockState.BREACHED) {
            return Boolean.FALSE;
        }
        if (v.state() == ClockState.MET || v.state() == ClockState.STOPPED) {
            return Boolean.TRUE;
        }
        return v.deadline() == ClockMath.NEVER ? null : Boolean.TRUE;
    }

    public static ComplianceRecord of(CaseData c, Policy p, BusinessCalendar cal, List<ClockView> views, String terminalType, long at) {
        List<DeadlineOutcome> deadlines = new ArrayList<>(views.size());
        Boolean statutoryMet = null;
        for (ClockView v : views) {
            Boolean met = met(v);
            deadlines.add(new DeadlineOutcome(v.kind(), v.deadline() == ClockMath.NEVER ? null : Instant.ofEpochMilli(v.deadline()), met));
            if (v.kind() == ClockKind.STATUTORY) {
                statutoryMet = met;
            }
        }
        List<TimelineEntry> timeline = new ArrayList<>(c.getSteps().size());
        for (LifecycleStep s : c.getSteps()) {
            timeline.add(new TimelineEntry(s.getType(), Instant.ofEpochMilli(s.getAt()), s.getReason()));
        }
        List<OpenAlert> alerts = new ArrayList<>(c.getAlerts().size());
        for (AlertState a : c.getAlerts()) {
            alerts.add(new OpenAlert(a.getAlertId(), a.getKind(), a.getLevel()));
        }
        long received = c.getReceivedAt() == null ? c.getFirstSeenAt() : c.getReceivedAt();
        return ComplianceRecord.newBuilder()
                .setCaseId(c.getCaseId())
                .setMerchantId(c.getMerchantId() == null ? "" : c.getMerchantId())
                .setJurisdiction(c.getJurisdiction())
                .setCategory(c.getCategory())
                .setCustomerRef(c.getCustomerRef())
                .setPolicyId(p.id())
                .setPolicySource(p.source() == null ? "" : p.source())
                .setTerminalEvent(terminalType)
                .setOutcome(c.getOutcome())
                .setReceivedAt(Instant.ofEpochMilli(received))
                .setFirstResponseAt(c.getFirstResponseAt() == null ? null : Instant.ofEpochMilli(c.getFirstResponseAt()))
                .setTerminalAt(Instant.ofEpochMilli(at))
                .setBusinessDaysTaken(ClockMath.businessDaysBetween(cal, received, at))
                .setCalendarDaysTaken(calendarDays(cal, received, at))
                .setTimeline(timeline)
                .setDeadlines(deadlines)
                .setStatutoryMet(statutoryMet)
                .setReopens(c.getReopens())
                .setExtensions(c.getExtensions())
                .setInboundContacts(c.getInbound())
                .setHoldingReplies(c.getHolding())
                .setAlerts(alerts)
                .build();
    }

    /** Local calendar days from receipt to the terminal event, in the calendar's zone. */
    static int calendarDays(BusinessCalendar cal, long from, long to) {
        return (int) ChronoUnit.DAYS.between(Instant.ofEpochMilli(from).atZone(cal.zone()).toLocalDate(),
                Instant.ofEpochMilli(to).atZone(cal.zone()).toLocalDate());
    }
}
