package io.casewatch.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The deadline arithmetic, on the shipped calendars, with every expected instant worked out by hand from the
 * calendar data and written in UTC. Day bases start at the local midnight after the day of receipt and end at a local
 * midnight; business hours count only opening hours of business days.
 */
class ClockMathTest {

    private static final BusinessCalendar CN = Calendars.presets().get("CN");
    private static final BusinessCalendar GB = Calendars.presets().get("GB");
    private static final BusinessCalendar DE = Calendars.presets().get("DE");
    private static final BusinessCalendar UTC = Calendars.presets().get("UTC");

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static long local(BusinessCalendar cal, String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(cal.zone()).toInstant().toEpochMilli();
    }

    private static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }

    /** The deadline of a complaint received at {@code receivedAt}, counting from {@link ClockMath#countingStart}. */
    private static long deadlineOf(Budget budget, BusinessCalendar cal, long receivedAt, List<Interval> pauses,
            boolean roll) {
        long start = ClockMath.countingStart(budget, cal, receivedAt, false);
        return ClockMath.deadline(budget, cal, start, pauses, roll);
    }

    // ---- countingStart ----------------------------------------------------------------------------------------------

    @Test
    void dayBasesStartAtTheShanghaiMidnightAfterAReceiptAt23hLocal() {
        // 2026-09-30 23:00 in Shanghai is 15:00Z, still 30 September in both zones; the day of receipt does not count
        // (民法典 第201条), so counting starts at 1 October 00:00 Shanghai = 30 September 16:00Z, not at UTC midnight.
        long received = at("2026-09-30T15:00:00Z");
        assertThat(instant(ClockMath.countingStart(Budget.businessDays(1), CN, received, false)))
                .isEqualTo(Instant.parse("2026-09-30T16:00:00Z"));
        assertThat(instant(ClockMath.countingStart(Budget.calendarDays(15), CN, received, false)))
                .isEqualTo(Instant.parse("2026-09-30T16:00:00Z"));
    }

    @Test
    void aReceiptEarlyInTheShanghaiMorningBelongsToThatLocalDayNotThePreviousUtcDay() {
        // 2026-09-30T23:00Z is 1 October 07:00 in Shanghai: the day of receipt is 1 October, so counting starts at
        // 2 October 00:00 local (1 October 16:00Z).
        long received = at("2026-09-30T23:00:00Z");
        assertThat(instant(ClockMath.countingStart(Budget.businessDays(1), CN, received, false)))
                .isEqualTo(Instant.parse("2026-10-01T16:00:00Z"));
    }

    @Test
    void calendarAndBusinessHourBasesStartAtTheReceiptItself() {
        long received = at("2026-09-30T15:00:00Z");
        assertThat(ClockMath.countingStart(Budget.parse("24 hours"), CN, received, false)).isEqualTo(received);
        // Without the after-hours rule a business-hours clock also starts at receipt; the windows skip closed time.
        assertThat(ClockMath.countingStart(Budget.businessHours(4), CN, received, false)).isEqualTo(received);
    }

    @Test
    void afterHoursReceiptOnAFridayEveningIsTakenAsReceivedAtMondaysOpening() {
        // Friday 6 March 2026, 20:00 London (GMT); Monday 9 March is an ordinary working day.
        long friday20 = at("2026-03-06T20:00:00Z");
        assertThat(instant(ClockMath.countingStart(Budget.parse("24 hours"), GB, friday20, true)))
                .isEqualTo(Instant.parse("2026-03-09T09:00:00Z"));
        assertThat(instant(ClockMath.countingStart(Budget.businessHours(8), GB, friday20, true)))
                .isEqualTo(Instant.parse("2026-03-09T09:00:00Z"));
        // Without the rule the receipt stands.
        assertThat(ClockMath.countingStart(Budget.parse("24 hours"), GB, friday20, false)).isEqualTo(friday20);
    }

    @Test
    void afterHoursRollUsesLondonSummerTime() {
        // Friday 5 June 2026 20:00 BST = 19:00Z; Monday 8 June 09:00 BST = 08:00Z.
        assertThat(instant(ClockMath.countingStart(Budget.businessHours(8), GB, at("2026-06-05T19:00:00Z"), true)))
                .isEqualTo(Instant.parse("2026-06-08T08:00:00Z"));
    }

    @Test
    void afterHoursRollLeavesAReceiptWithinHoursAloneAndMovesAnEarlyOneToThatMorningsOpening() {
        long thursdayNoon = at("2026-03-05T12:00:00Z");
        assertThat(ClockMath.countingStart(Budget.businessHours(8), GB, thursdayNoon, true)).isEqualTo(thursdayNoon);
        assertThat(instant(ClockMath.countingStart(Budget.businessHours(8), GB, at("2026-03-05T07:00:00Z"), true)))
                .isEqualTo(Instant.parse("2026-03-05T09:00:00Z"));
    }

    @Test
    void afterHoursRollMakesADayBudgetCountFromTheDayAfterTheRolledReceipt() {
        // Received Friday 20:00, taken as received Monday 09:00: Monday is the day of receipt, counting starts Tuesday.
        long friday20 = at("2026-03-06T20:00:00Z");
        assertThat(instant(ClockMath.countingStart(Budget.businessDays(3), GB, friday20, true)))
                .isEqualTo(Instant.parse("2026-03-10T00:00:00Z"));
        // Without the rule Friday is the day of receipt and counting starts Saturday 00:00.
        assertThat(instant(ClockMath.countingStart(Budget.businessDays(3), GB, friday20, false)))
                .isEqualTo(Instant.parse("2026-03-07T00:00:00Z"));
    }

    @Test
    void nextBusinessInstantSkipsChristmasAndTheBoxingDaySubstitute() {
        // Thursday 24 December 2026 18:00: 25 (Fri) holiday, weekend, 28 (Mon) substitute holiday → Tuesday 29 09:00.
        assertThat(instant(ClockMath.nextBusinessInstant(GB, at("2026-12-24T18:00:00Z"))))
                .isEqualTo(Instant.parse("2026-12-29T09:00:00Z"));
    }

    @Test
    void nextBusinessInstantLandsOnChinasMakeUpSaturday() {
        // Friday 9 October 2026 20:00 Shanghai (12:00Z): the next opening is the make-up Saturday 10 October 09:00.
        assertThat(instant(ClockMath.nextBusinessInstant(CN, at("2026-10-09T12:00:00Z"))))
                .isEqualTo(Instant.parse("2026-10-10T01:00:00Z"));
    }

    @Test
    void nextBusinessInstantTreatsClosingTimeAsClosed() {
        // Hours are [opens, closes): 17:00 on a Thursday is after hours, so the next instant is Friday 09:00.
        assertThat(instant(ClockMath.nextBusinessInstant(GB, at("2026-03-05T17:00:00Z"))))
                .isEqualTo(Instant.parse("2026-03-06T09:00:00Z"));
    }

    // ---- budgetMillis -----------------------------------------------------------------------------------------------

    @Test
    void businessDayBudgetIsWholeDaysOfCountedTime() {
        assertThat(ClockMath.budgetMillis(Budget.businessDays(15), GB, at("2026-03-03T00:00:00Z"))).isEqualTo(15 * DAY);
        assertThat(ClockMath.budgetMillis(Budget.businessHours(4), GB, at("2026-03-03T00:00:00Z"))).isEqualTo(4 * HOUR);
    }

    @Test
    void calendarDayBudgetIsShorterByAnHourWhenItSpansTheSpringClockChange() {
        // London clocks go forward on Sunday 29 March 2026: 15 local days from 21 March are 359 hours.
        assertThat(ClockMath.budgetMillis(Budget.calendarDays(15), GB, at("2026-03-21T00:00:00Z")))
                .isEqualTo(15 * DAY - HOUR);
        // Shanghai has no daylight saving time.
        assertThat(ClockMath.budgetMillis(Budget.calendarDays(15), CN, at("2026-03-20T16:00:00Z"))).isEqualTo(15 * DAY);
    }

    // ---- deadline: business days ------------------------------------------------------------------------------------

    @Test
    void oneBusinessDayFromTheEveBeforeNationalDayEndsWithThe8thOfOctober() {
        // SPEC story: received Wednesday 30 September 2026 23:00 Shanghai (15:00Z). 1-7 October are holidays, so the
        // first business day after the day of receipt is Thursday 8 October; it ends at 9 October 00:00 local = 8 Oct 16:00Z.
        long received = at("2026-09-30T15:00:00Z");
        assertThat(instant(deadlineOf(Budget.businessDays(1), CN, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-10-08T16:00:00Z"));
    }

    @Test
    void businessDaysSkipChinasNationalDayWeekAndCountTheMakeUpSaturday() {
        // Same receipt: the three business days are Thu 8, Fri 9 and the make-up Saturday 10 October, so the deadline
        // is the end of Saturday 10 October local (11 October 00:00 Shanghai = 10 October 16:00Z), not Tuesday 13th.
        long received = at("2026-09-30T15:00:00Z");
        assertThat(instant(deadlineOf(Budget.businessDays(3), CN, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-10-10T16:00:00Z"));
    }

    @Test
    void rollingHasNoEffectOnABusinessDayDeadlineBecauseItAlwaysEndsABusinessDay() {
        long received = at("2026-09-30T15:00:00Z");
        assertThat(deadlineOf(Budget.businessDays(3), CN, received, List.of(), true))
                .isEqualTo(deadlineOf(Budget.businessDays(3), CN, received, List.of(), false));
    }

    @Test
    void businessDaysAcrossSpringFestivalCountBothMakeUpSaturdays() {
        // Received Friday 13 February 2026 10:00 Shanghai. Business days: Sat 14 Feb (make-up) 1; 15-23 Feb off;
        // 24, 25, 26, 27 Feb 2-5; Sat 28 Feb (make-up) 6; 2, 3, 4, 5 March 7-10. End of 5 March local = 16:00Z.
        long received = local(CN, "2026-02-13T10:00");
        assertThat(instant(deadlineOf(Budget.businessDays(10), CN, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-03-05T16:00:00Z"));
    }

    @Test
    void psd2FifteenBusinessDaysOnTheGermanCalendarSkipGoodFridayAndEasterMonday() {
        // Received Wednesday 25 March 2026 10:00 Berlin. Business days: 26, 27, 30, 31 Mar, 1, 2 Apr (1-6);
        // Good Friday 3 Apr and Easter Monday 6 Apr are holidays; 7-10 Apr (7-10); 13-17 Apr (11-15).
        // End of Friday 17 April in Berlin (CEST, UTC+2) is 17 April 22:00Z. The Sunday clock change does not matter.
        long received = local(DE, "2026-03-25T10:00");
        assertThat(instant(deadlineOf(Budget.parse("15 business days"), DE, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-04-17T22:00:00Z"));
    }

    @Test
    void psd2ThirtyFiveBusinessDayExtensionSkipsLabourDayAndAscension() {
        // Continuing the count above: 20-24 Apr (16-20), 27-30 Apr (21-24), 1 May holiday, 4-8 May (25-29),
        // 11-13 May (30-32), 14 May Ascension, 15 May (33), 18 May (34), 19 May (35). End of 19 May Berlin = 22:00Z.
        long received = local(DE, "2026-03-25T10:00");
        assertThat(instant(deadlineOf(Budget.parse("35 business days"), DE, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-05-19T22:00:00Z"));
    }

    @Test
    void ukSummaryResolutionThreeBusinessDaysFromAFridayEndWithTheFollowingWednesday() {
        // DISP 1.5: third business day after receipt. Received Friday 6 March 2026 14:00 GMT; the weekend does not
        // count: Mon 9, Tue 10, Wed 11 March. The day basis ends at local midnight, 12 March 00:00 GMT.
        long received = at("2026-03-06T14:00:00Z");
        assertThat(instant(deadlineOf(Budget.parse("3 business days"), GB, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-03-12T00:00:00Z"));
    }

    @Test
    void ukThreeBusinessDaysFromTheFridayBeforeTheSpringBankHolidayEndOnThursday() {
        // Received Friday 22 May 2026 14:00 BST; Monday 25 May is the Spring bank holiday: Tue 26, Wed 27, Thu 28.
        // End of Thursday 28 May BST = 28 May 23:00Z.
        long received = local(GB, "2026-05-22T14:00");
        assertThat(instant(deadlineOf(Budget.parse("3 business days"), GB, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-05-28T23:00:00Z"));
    }

    // ---- deadline: calendar days ------------------------------------------------------------------------------------

    @Test
    void fifteenCalendarDaysEndingOnNationalDayRollToTheEndOfTheFirstWorkingDayAfterTheHoliday() {
        // CN statutory clock (民法典 第203条). Received Friday 18 September 2026: day 1 is 19 September, day 15 is
        // Saturday 3 October, inside the 1-7 October holiday, so the period ends on Thursday 8 October (end = 16:00Z).
        long received = local(CN, "2026-09-18T10:00");
        assertThat(instant(deadlineOf(Budget.parse("15 days"), CN, received, List.of(), true)))
                .isEqualTo(Instant.parse("2026-10-08T16:00:00Z"));
    }

    @Test
    void fifteenCalendarDaysWithoutRollingEndOnTheHolidayItself() {
        // Same receipt without 第203条 (as for CFPB-style calendar days): the end of 3 October local.
        long received = local(CN, "2026-09-18T10:00");
        assertThat(instant(deadlineOf(Budget.parse("15 days"), CN, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-10-03T16:00:00Z"));
    }

    @Test
    void fifteenCalendarDaysEndingOnAnOrdinarySundayRollToMonday() {
        // Received Saturday 7 March 2026: day 1 is 8 March, day 15 is Sunday 22 March → Monday 23 March.
        long received = local(CN, "2026-03-07T10:00");
        assertThat(instant(deadlineOf(Budget.parse("15 days"), CN, received, List.of(), true)))
                .isEqualTo(Instant.parse("2026-03-23T16:00:00Z"));
        assertThat(instant(deadlineOf(Budget.parse("15 days"), CN, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-03-22T16:00:00Z"));
    }

    @Test
    void fifteenCalendarDaysEndingOnAMakeUpSaturdayDoNotRollBecauseThatSaturdayIsAWorkingDay() {
        // Received 25 September 2026: day 1 is 26 September, day 15 is the make-up Saturday 10 October.
        long received = local(CN, "2026-09-25T10:00");
        assertThat(instant(deadlineOf(Budget.parse("15 days"), CN, received, List.of(), true)))
                .isEqualTo(Instant.parse("2026-10-10T16:00:00Z"));
    }

    @Test
    void calendarDaysAcrossTheSpringClockChangeEndAtLocalMidnightNotAfterNTimes24Hours() {
        // Received Friday 20 March 2026 12:00 GMT; counting starts 21 March 00:00 GMT. London moves to BST on
        // 29 March, so the end of day 15 (4 April) is 5 April 00:00 BST = 4 April 23:00Z: one hour earlier than
        // start + 15 * 24h.
        long received = at("2026-03-20T12:00:00Z");
        long start = ClockMath.countingStart(Budget.calendarDays(15), GB, received, false);
        long deadline = ClockMath.deadline(Budget.calendarDays(15), GB, start, List.of(), false);
        assertThat(instant(deadline)).isEqualTo(Instant.parse("2026-04-04T23:00:00Z"));
        assertThat(start + 15 * DAY - deadline).isEqualTo(HOUR);
        assertThat(Instant.ofEpochMilli(deadline).atZone(GB.zone()).toLocalTime()).isEqualTo(LocalTime.MIDNIGHT);
    }

    @Test
    void calendarDaysAcrossTheAutumnClockChangeEndAnHourLaterThanNTimes24Hours() {
        // Received Monday 19 October 2026 13:00 BST; counting starts 20 October 00:00 BST (19 October 23:00Z). London
        // returns to GMT on 25 October, so the end of day 15 (3 November) is 4 November 00:00 GMT.
        long received = local(GB, "2026-10-19T13:00");
        long start = ClockMath.countingStart(Budget.calendarDays(15), GB, received, false);
        assertThat(instant(start)).isEqualTo(Instant.parse("2026-10-19T23:00:00Z"));
        long deadline = ClockMath.deadline(Budget.calendarDays(15), GB, start, List.of(), false);
        assertThat(instant(deadline)).isEqualTo(Instant.parse("2026-11-04T00:00:00Z"));
        assertThat(deadline - (start + 15 * DAY)).isEqualTo(HOUR);
    }

    @Test
    void ukDispEightWeeksEndAtLondonMidnightFiftySixDaysAfterTheDayOfReceipt() {
        // DISP 1.6.2R. Received Monday 2 March 2026; day 1 is 3 March, day 56 is Monday 27 April (BST by then):
        // 28 April 00:00 BST = 27 April 23:00Z.
        long received = at("2026-03-02T10:00:00Z");
        assertThat(instant(deadlineOf(Budget.parse("8 weeks"), GB, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-04-27T23:00:00Z"));
    }

    // ---- deadline: business hours -----------------------------------------------------------------------------------

    @Test
    void eightBusinessHoursFromFridayAfternoonEndOnMondayAfternoon() {
        // Friday 6 March 2026 15:00 GMT: 2 hours on Friday (15-17), 6 more from Monday 09:00 → Monday 15:00.
        long received = at("2026-03-06T15:00:00Z");
        assertThat(instant(deadlineOf(Budget.businessHours(8), GB, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-03-09T15:00:00Z"));
    }

    @Test
    void businessHoursFollowLocalOpeningHoursAcrossTheSpringClockChange() {
        // Friday 27 March 2026 15:00 GMT: 2 hours Friday, 6 from Monday 30 March 09:00 BST → 15:00 BST = 14:00Z.
        long received = at("2026-03-27T15:00:00Z");
        assertThat(instant(deadlineOf(Budget.businessHours(8), GB, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-03-30T14:00:00Z"));
    }

    @Test
    void businessHoursForAReceiptOnChristmasDayCountFromTheNextOpening() {
        // Received Friday 25 December 2026 10:00; 28 December is the substitute holiday, so the clock first runs on
        // Tuesday 29 December 09:00 and 4 business hours end at 13:00.
        long received = at("2026-12-25T10:00:00Z");
        assertThat(instant(deadlineOf(Budget.parse("4 business hours"), GB, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-12-29T13:00:00Z"));
    }

    @Test
    void chineseBusinessHoursRunNineHoursADay() {
        // CN hours are 09:00-18:00: 10 business hours from Monday 2 March 2026 09:00 Shanghai use all 9 of Monday and
        // end Tuesday 10:00 Shanghai = 02:00Z.
        long received = local(CN, "2026-03-02T09:00");
        assertThat(instant(deadlineOf(Budget.businessHours(10), CN, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-03-03T02:00:00Z"));
    }

    @Test
    void businessHoursThatRunOutExactlyAtClosingEndAtClosingNotTheNextMorning() {
        long mondayOpening = at("2026-03-09T09:00:00Z");
        assertThat(instant(deadlineOf(Budget.businessHours(8), GB, mondayOpening, List.of(), false)))
                .isEqualTo(Instant.parse("2026-03-09T17:00:00Z"));
    }

    // ---- pauses -----------------------------------------------------------------------------------------------------

    @Test
    void anAwaitingCustomerPauseOnABusinessDayPushesTheDeadlineToTheEndOfTheDayItNowRunsOutIn() {
        // Received Monday 2 March 2026; 3 business days = Tue 3, Wed 4, Thu 5 → end of Thursday (6 March 00:00Z).
        long received = at("2026-03-02T10:00:00Z");
        Budget budget = Budget.businessDays(3);
        assertThat(instant(deadlineOf(budget, GB, received, List.of(), false)))
                .isEqualTo(Instant.parse("2026-03-06T00:00:00Z"));
        // Six hours awaiting the customer on Wednesday: the budget now runs out at Friday 06:00, and the day basis
        // rounds that up to the end of Friday.
        List<Interval> pause = List.of(new Interval(at("2026-03-04T12:00:00Z"), at("2026-03-04T18:00:00Z")));
        long start = ClockMath.countingStart(budget, GB, received, false);
        assertThat(instant(ClockMath.runOut(budget.basis(), GB, start, ClockMath.budgetMillis(budget, GB, start), pause)))
                .isEqualTo(Instant.parse("2026-03-06T06:00:00Z"));
        assertThat(instant(deadlineOf(budget, GB, received, pause, false)))
                .isEqualTo(Instant.parse("2026-03-07T00:00:00Z"));
    }

    @Test
    void aPauseOverAWholeBusinessDayPushesTheDeadlineByExactlyOneBusinessDay() {
        long received = at("2026-03-02T10:00:00Z");
        List<Interval> wednesday = List.of(new Interval(at("2026-03-04T00:00:00Z"), at("2026-03-05T00:00:00Z")));
        // Tue 3, (Wed paused), Thu 5, Fri 6 → end of Friday.
        assertThat(instant(deadlineOf(Budget.businessDays(3), GB, received, wednesday, false)))
                .isEqualTo(Instant.parse("2026-03-07T00:00:00Z"));
    }

    @Test
    void aPauseOverTheWeekendDoesNotPushABusinessDayDeadline() {
        // Paused time that is not business time uses none of the budget, so excluding it changes nothing.
        long received = at("2026-03-02T10:00:00Z");
        List<Interval> weekend = List.of(new Interval(at("2026-03-07T00:00:00Z"), at("2026-03-09T00:00:00Z")));
        // Tue 3 .. Fri 6, Mon 9 → end of Monday 9 March.
        assertThat(instant(deadlineOf(Budget.businessDays(5), GB, received, weekend, false)))
                .isEqualTo(Instant.parse("2026-03-10T00:00:00Z"));
        assertThat(deadlineOf(Budget.businessDays(5), GB, received, weekend, false))
                .isEqualTo(deadlineOf(Budget.businessDays(5), GB, received, List.of(), false));
    }

    @Test
    void anOpenPauseReachedBeforeTheBudgetRunsOutMeansTheClockCannotRunOut() {
        long received = at("2026-03-02T10:00:00Z");
        List<Interval> open = List.of(new Interval(at("2026-03-04T12:00:00Z"), Interval.OPEN));
        assertThat(deadlineOf(Budget.businessDays(3), GB, received, open, false)).isEqualTo(ClockMath.NEVER);
        assertThat(deadlineOf(Budget.parse("24 hours"), GB, at("2026-03-04T00:00:00Z"), open, false))
                .isEqualTo(ClockMath.NEVER);
    }

    @Test
    void anOpenPauseStartingAfterTheBudgetRanOutLeavesTheDeadlineAlone() {
        long received = at("2026-03-02T10:00:00Z");
        List<Interval> late = List.of(new Interval(at("2026-03-10T00:00:00Z"), Interval.OPEN));
        assertThat(instant(deadlineOf(Budget.businessDays(3), GB, received, late, false)))
                .isEqualTo(Instant.parse("2026-03-06T00:00:00Z"));
    }

    @Test
    void overlappingPausesAreMergedNotSubtractedTwice() {
        // 8 business hours from Monday 2 March 09:00; paused 10-12 and 11-13 = 3 hours of pause (10-13), not 4.
        // Monday gives 5 counted hours, Tuesday the remaining 3: 09:00-12:00.
        long monday9 = at("2026-03-02T09:00:00Z");
        List<Interval> pauses = List.of(
                new Interval(at("2026-03-02T11:00:00Z"), at("2026-03-02T13:00:00Z")),
                new Interval(at("2026-03-02T10:00:00Z"), at("2026-03-02T12:00:00Z")));
        assertThat(instant(ClockMath.deadline(Budget.businessHours(8), GB, monday9, pauses, false)))
                .isEqualTo(Instant.parse("2026-03-03T12:00:00Z"));
        assertThat(ClockMath.counted(TimeBasis.BUSINESS_HOURS, GB, monday9, at("2026-03-02T17:00:00Z"), pauses))
                .isEqualTo(5 * HOUR);
    }

    @Test
    void overlappingPausesOnABusinessDayClockAreCountedOnce() {
        // Business-day windows are whole local days: Wednesday 4 March paused 10-16 and 14-20 → 10 hours out, not 12.
        List<Interval> pauses = List.of(
                new Interval(at("2026-03-04T10:00:00Z"), at("2026-03-04T16:00:00Z")),
                new Interval(at("2026-03-04T14:00:00Z"), at("2026-03-04T20:00:00Z")));
        long tuesday = at("2026-03-03T00:00:00Z");
        long friday = at("2026-03-06T00:00:00Z");
        assertThat(ClockMath.counted(TimeBasis.BUSINESS_DAYS, GB, tuesday, friday, pauses)).isEqualTo(3 * DAY - 10 * HOUR);
    }

    @Test
    void mergeSortsJoinsTouchingAndSwallowsNestedIntervals() {
        List<Interval> merged = ClockMath.merge(List.of(
                new Interval(5, 10), new Interval(1, 3), new Interval(2, 4), new Interval(6, 7), new Interval(10, 12)));
        assertThat(merged).containsExactly(new Interval(1, 4), new Interval(5, 12));
    }

    @Test
    void aPauseOnACalendarClockExtendsItByThePausedTime() {
        long start = at("2026-03-02T10:00:00Z");
        List<Interval> pause = List.of(new Interval(at("2026-03-02T12:00:00Z"), at("2026-03-02T14:00:00Z")));
        assertThat(instant(ClockMath.deadline(Budget.parse("24 hours"), UTC, start, pause, false)))
                .isEqualTo(Instant.parse("2026-03-03T12:00:00Z"));
    }

    // ---- counted ----------------------------------------------------------------------------------------------------

    @Test
    void businessDayCountedTimeOverAWeekendIsZero() {
        assertThat(ClockMath.counted(TimeBasis.BUSINESS_DAYS, GB,
                at("2026-03-07T00:00:00Z"), at("2026-03-09T00:00:00Z"), List.of())).isZero();
        // Friday noon to Monday noon: half of Friday plus half of Monday.
        assertThat(ClockMath.counted(TimeBasis.BUSINESS_DAYS, GB,
                at("2026-03-06T12:00:00Z"), at("2026-03-09T12:00:00Z"), List.of())).isEqualTo(DAY);
    }

    @Test
    void businessHourCountedTimeOverChinasNationalDayWeekIsZero() {
        assertThat(ClockMath.counted(TimeBasis.BUSINESS_HOURS, CN,
                at("2026-09-30T12:00:00Z"), at("2026-10-08T00:00:00Z"), List.of())).isZero();
    }

    @Test
    void countedIsZeroWhenTheEndIsNotAfterTheStart() {
        long t = at("2026-03-04T12:00:00Z");
        assertThat(ClockMath.counted(TimeBasis.CALENDAR, UTC, t, t, List.of())).isZero();
        assertThat(ClockMath.counted(TimeBasis.CALENDAR, UTC, t, t - HOUR, List.of())).isZero();
    }

    @Test
    void businessHoursCountedUpToTheDeadlineEqualTheBudgetOverTheChristmasHolidays() {
        // 20 business hours from Thursday 24 December 2026 14:00: 3 on Thursday, 25 and 28 December are holidays,
        // 8 on Tue 29, 8 on Wed 30, 1 on Thu 31 → 10:00 on 31 December.
        long start = at("2026-12-24T14:00:00Z");
        Budget budget = Budget.businessHours(20);
        long deadline = ClockMath.deadline(budget, GB, start, List.of(), false);
        assertThat(instant(deadline)).isEqualTo(Instant.parse("2026-12-31T10:00:00Z"));
        assertThat(ClockMath.counted(TimeBasis.BUSINESS_HOURS, GB, start, deadline, List.of()))
                .isEqualTo(ClockMath.budgetMillis(budget, GB, start));
    }

    @Test
    void calendarCountedUpToTheDeadlineEqualsTheBudget() {
        long start = at("2026-03-28T10:00:00Z");
        Budget budget = Budget.parse("24 hours");
        long deadline = ClockMath.deadline(budget, GB, start, List.of(), false);
        // Exact elapsed time: the London clock change on 29 March does not make the day 23 hours.
        assertThat(instant(deadline)).isEqualTo(Instant.parse("2026-03-29T10:00:00Z"));
        assertThat(ClockMath.counted(TimeBasis.CALENDAR, GB, start, deadline, List.of()))
                .isEqualTo(ClockMath.budgetMillis(budget, GB, start))
                .isEqualTo(24 * HOUR);
    }

    @Test
    void countedLeavesOutPausedTime() {
        long start = at("2026-03-02T09:00:00Z");
        List<Interval> pause = List.of(new Interval(at("2026-03-02T12:00:00Z"), at("2026-03-02T13:30:00Z")));
        assertThat(ClockMath.counted(TimeBasis.BUSINESS_HOURS, GB, start, at("2026-03-02T17:00:00Z"), pause))
                .isEqualTo(Duration.ofMinutes(6 * 60 + 30).toMillis());
    }

    // ---- lastBusinessDayStart ---------------------------------------------------------------------------------------

    @Test
    void lastBusinessDayOfADeadlineAtTheEndOfFridayStartsAtFridaysOpening() {
        assertThat(instant(ClockMath.lastBusinessDayStart(GB, at("2026-03-07T00:00:00Z"))))
                .isEqualTo(Instant.parse("2026-03-06T09:00:00Z"));
    }

    @Test
    void lastBusinessDayOfADeadlineAtTheEndOfASundayWalksBackToFridaysOpening() {
        assertThat(instant(ClockMath.lastBusinessDayStart(GB, at("2026-03-09T00:00:00Z"))))
                .isEqualTo(Instant.parse("2026-03-06T09:00:00Z"));
    }

    @Test
    void lastBusinessDayOfADeadlineEndingInsideNationalDayWeekIsTheDayBeforeTheHoliday() {
        // End of 7 October 2026 (a holiday) local: the last business day on or before it is Wednesday 30 September,
        // opening 09:00 Shanghai = 01:00Z.
        assertThat(instant(ClockMath.lastBusinessDayStart(CN, at("2026-10-07T16:00:00Z"))))
                .isEqualTo(Instant.parse("2026-09-30T01:00:00Z"));
        // End of 8 October local: 8 October itself.
        assertThat(instant(ClockMath.lastBusinessDayStart(CN, at("2026-10-08T16:00:00Z"))))
                .isEqualTo(Instant.parse("2026-10-08T01:00:00Z"));
    }

    @Test
    void lastBusinessDayStartForAMidDayDeadlineIsThatMorningsOpening() {
        assertThat(instant(ClockMath.lastBusinessDayStart(GB, at("2026-03-09T15:00:00Z"))))
                .isEqualTo(Instant.parse("2026-03-09T09:00:00Z"));
    }

    @Test
    void lastBusinessDayStartNeverLiesAfterTheDeadline() {
        // A deadline at 08:00 on a Monday falls before that day's opening: the result is clamped to the deadline.
        long deadline = at("2026-03-09T08:00:00Z");
        assertThat(ClockMath.lastBusinessDayStart(GB, deadline)).isEqualTo(deadline);
    }

    // ---- shareReached -----------------------------------------------------------------------------------------------

    @Test
    void threeQuartersOfATwentyFourHourCalendarBudgetIsReachedAfterEighteenHours() {
        long start = at("2026-03-02T10:00:00Z");
        assertThat(instant(ClockMath.shareReached(TimeBasis.CALENDAR, UTC, start, 24 * HOUR, 0.75, List.of())))
                .isEqualTo(Instant.parse("2026-03-03T04:00:00Z"));
    }

    @Test
    void halfOfEightBusinessHoursFromFridayAfternoonIsReachedMondayMorning() {
        // 2 hours on Friday 15-17, then 2 more from Monday 09:00.
        long start = at("2026-03-06T15:00:00Z");
        assertThat(instant(ClockMath.shareReached(TimeBasis.BUSINESS_HOURS, GB, start, 8 * HOUR, 0.5, List.of())))
                .isEqualTo(Instant.parse("2026-03-09T11:00:00Z"));
    }

    // ---- businessDaysBetween ----------------------------------------------------------------------------------------

    @Test
    void businessDaysBetweenCountsOnlyThreeDaysAcrossChinasNationalDayWeek() {
        // After 30 September up to 10 October (local dates): 8, 9 and the make-up Saturday 10 October.
        assertThat(ClockMath.businessDaysBetween(CN, at("2026-09-30T15:00:00Z"), at("2026-10-10T10:00:00Z"))).isEqualTo(3);
        assertThat(ClockMath.businessDaysBetween(CN, at("2026-09-30T15:00:00Z"), at("2026-10-07T15:00:00Z"))).isZero();
    }

    @Test
    void businessDaysBetweenUsesLocalDatesNotUtcDates() {
        // 2026-10-08T17:00Z is already 9 October 01:00 in Shanghai, so 9 October counts too.
        assertThat(ClockMath.businessDaysBetween(CN, at("2026-09-30T15:00:00Z"), at("2026-10-08T17:00:00Z"))).isEqualTo(2);
    }

    @Test
    void businessDaysBetweenOverBritishChristmasCountsOnlyTheTuesday() {
        assertThat(ClockMath.businessDaysBetween(GB, at("2026-12-24T12:00:00Z"), at("2026-12-29T12:00:00Z"))).isEqualTo(1);
    }

    // ---- properties -------------------------------------------------------------------------------------------------

    @Test
    void randomReceiptsGiveDeadlinesAfterStartThatUseExactlyTheBudgetAndNeverMoveBackwards() {
        Random random = new Random(20_260_930L);
        long from = at("2025-01-01T00:00:00Z");
        long span = at("2027-07-01T00:00:00Z") - from;
        List<Long> receipts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long r = from + Math.floorMod(random.nextLong(), span);
            // Every third receipt on a whole hour, so openings, closings and midnights are hit exactly.
            receipts.add(i % 3 == 0 ? r - Math.floorMod(r, HOUR) : r);
        }
        Collections.sort(receipts);
        List<Budget> budgets = List.of(Budget.businessDays(1), Budget.businessDays(3), Budget.businessDays(15),
                Budget.businessDays(35), Budget.businessHours(1), Budget.businessHours(8), Budget.businessHours(30),
                new Budget(TimeBasis.BUSINESS_HOURS, 95));
        for (BusinessCalendar cal : List.of(CN, GB)) {
            for (Budget budget : budgets) {
                long previous = Long.MIN_VALUE;
                for (long received : receipts) {
                    String what = budget + " on " + cal.id() + " received " + instant(received);
                    long start = ClockMath.countingStart(budget, cal, received, false);
                    long need = ClockMath.budgetMillis(budget, cal, start);
                    long deadline = ClockMath.deadline(budget, cal, start, List.of(), false);
                    assertThat(deadline).as(what).isGreaterThan(start).isGreaterThan(received);
                    long counted = ClockMath.counted(budget.basis(), cal, start, deadline, List.of());
                    ZonedDateTime end = instant(deadline).atZone(cal.zone());
                    if (budget.basis() == TimeBasis.BUSINESS_DAYS) {
                        // Rounded up to the end of the day the budget runs out in: never short, less than a day over.
                        assertThat(counted).as(what).isGreaterThanOrEqualTo(need).isLessThan(need + DAY);
                        assertThat(end.toLocalTime()).as(what).isEqualTo(LocalTime.MIDNIGHT);
                        assertThat(cal.isBusinessDay(end.toLocalDate().minusDays(1))).as(what).isTrue();
                    } else {
                        assertThat(counted).as(what).isEqualTo(need);
                        // A business-hours deadline lies within (opens, closes] of a business day.
                        assertThat(cal.isBusinessDay(end.toLocalDate())).as(what).isTrue();
                        assertThat(end.toLocalTime()).as(what).isAfter(cal.opens()).isBeforeOrEqualTo(cal.closes());
                    }
                    assertThat(ClockMath.lastBusinessDayStart(cal, deadline)).as(what).isLessThanOrEqualTo(deadline);
                    long threeQuarters = ClockMath.shareReached(budget.basis(), cal, start, need, 0.75, List.of());
                    assertThat(threeQuarters).as(what).isBetween(start, deadline);
                    assertThat(ClockMath.counted(budget.basis(), cal, start, threeQuarters, List.of()))
                            .as(what).isEqualTo((long) Math.ceil(need * 0.75));
                    assertThat(deadline).as(what + ": monotone in receipt time").isGreaterThanOrEqualTo(previous);
                    previous = deadline;
                }
            }
        }
    }

    @Test
    void randomReceiptsOnChinasRollingCalendarDayClockEndOnAWorkingDayNoEarlierThanWithoutRolling() {
        Random random = new Random(203L);
        long from = at("2025-01-01T00:00:00Z");
        long span = at("2027-06-01T00:00:00Z") - from;
        Budget budget = Budget.parse("15 days");
        for (int i = 0; i < 300; i++) {
            long received = from + Math.floorMod(random.nextLong(), span);
            String what = "received " + instant(received);
            long plain = deadlineOf(budget, CN, received, List.of(), false);
            long rolled = deadlineOf(budget, CN, received, List.of(), true);
            LocalDate receiptDay = instant(received).atZone(CN.zone()).toLocalDate();
            LocalDate plainLastDay = instant(plain).atZone(CN.zone()).toLocalDate().minusDays(1);
            LocalDate rolledLastDay = instant(rolled).atZone(CN.zone()).toLocalDate().minusDays(1);
            // Without rolling the period is exactly days 1..15 after the day of receipt.
            assertThat(plainLastDay).as(what).isEqualTo(receiptDay.plusDays(15));
            assertThat(rolled).as(what).isGreaterThanOrEqualTo(plain);
            assertThat(CN.isBusinessDay(rolledLastDay)).as(what).isTrue();
            if (CN.isBusinessDay(plainLastDay)) {
                assertThat(rolled).as(what).isEqualTo(plain);
            } else {
                // Every day from the original last day up to the rolled one, exclusive, is a rest day.
                for (LocalDate d = plainLastDay; d.isBefore(rolledLastDay); d = d.plusDays(1)) {
                    assertThat(CN.isBusinessDay(d)).as(what + " " + d).isFalse();
                }
            }
        }
    }

    @Test
    void aPauseOverTheAutumnClockChangeMovesACalendarDayDeadlineByExactlyTheLocalDaysPaused() {
        // Pausing the whole local Sunday of the change (25 hours long) must move the deadline by one day, as pausing
        // any ordinary day does: the budget must not lose the changed hour twice.
        BusinessCalendar gb = Calendars.presets().get("GB");
        long start = Instant.parse("2026-10-19T23:00:00Z").toEpochMilli();
        List<Interval> sunday = List.of(new Interval(Instant.parse("2026-10-24T23:00:00Z").toEpochMilli(),
                Instant.parse("2026-10-26T00:00:00Z").toEpochMilli()));

        long deadline = ClockMath.deadline(Budget.calendarDays(15), gb, start, sunday, false);

        assertThat(Instant.ofEpochMilli(deadline)).isEqualTo(Instant.parse("2026-11-05T00:00:00Z"));
    }
}
