package io.casewatch.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped calendar data ({@code casewatch/calendars/*.json}) and {@link BusinessCalendar#isBusinessDay}: a wrong
 * date here silently moves every statutory deadline in that jurisdiction.
 */
class CalendarsTest {

    private static final Calendars PRESETS = Calendars.presets();

    private static LocalDate d(String iso) {
        return LocalDate.parse(iso);
    }

    // ---- loading -------------------------------------------------------------------------------------------------

    @Test
    void everyPresetLoadsWithItsZoneAndNamesANonEmptySource() {
        assertThat(PRESETS.ids()).contains("CN", "GB", "DE", "US", "UTC");
        assertThat(PRESETS.get("CN").zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(PRESETS.get("GB").zone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(PRESETS.get("DE").zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(PRESETS.get("US").zone()).isEqualTo(ZoneId.of("America/New_York"));
        // Every compliance record cites the calendar's source, so none may be blank.
        for (String id : PRESETS.ids()) {
            BusinessCalendar cal = PRESETS.get(id);
            assertThat(cal.id()).isEqualTo(id);
            assertThat(cal.source()).as("source of %s", id).isNotBlank();
            assertThat(cal.workingWeek()).as("working week of %s", id).isNotEmpty();
        }
    }

    @Test
    void theJsonPresetsCarryHolidaysForEveryYearTheyCover() {
        // A preset whose holiday list failed to load would make every weekday a business day.
        for (String id : Calendars.PRESETS) {
            BusinessCalendar cal = PRESETS.get(id);
            for (int year : new int[] {2025, 2026, 2027}) {
                assertThat(cal.holidays()).as("%s holidays in %d", id, year).anyMatch(h -> h.getYear() == year);
            }
        }
    }

    @Test
    void utcIsAPlainWeekdayCalendarWithoutHolidays() {
        BusinessCalendar utc = PRESETS.get("UTC");
        assertThat(utc.zone()).isEqualTo(java.time.ZoneOffset.UTC);
        assertThat(utc.holidays()).isEmpty();
        assertThat(utc.isBusinessDay(d("2026-12-25"))).isTrue(); // no holidays at all
        assertThat(utc.isBusinessDay(d("2026-12-26"))).isFalse(); // Saturday
    }

    @Test
    void chinaMarks2027AsProvisionalBecauseItsHolidayNoticeIsNotYetPublished() {
        BusinessCalendar cn = PRESETS.get("CN");
        assertThat(cn.provisionalYears()).containsExactly(2027);
        assertThat(cn.source()).contains("PROVISIONAL");
        // The other presets follow fixed rules and are not provisional.
        assertThat(PRESETS.get("GB").provisionalYears()).isEmpty();
        assertThat(PRESETS.get("DE").provisionalYears()).isEmpty();
        assertThat(PRESETS.get("US").provisionalYears()).isEmpty();
    }

    @Test
    void chinaKeepsBusinessHoursUntilSixInTheEvening() {
        BusinessCalendar cn = PRESETS.get("CN");
        assertThat(cn.opens()).isEqualTo(LocalTime.of(9, 0));
        assertThat(cn.closes()).isEqualTo(LocalTime.of(18, 0));
        assertThat(PRESETS.get("GB").closes()).isEqualTo(LocalTime.of(17, 0));
    }

    @Test
    void everyMakeUpWorkdayIsASaturdayOrSunday() {
        // 调休 moves work onto a weekend day; a make-up weekday would be a data error (it is a business day anyway).
        for (String id : PRESETS.ids()) {
            for (LocalDate m : PRESETS.get(id).makeUpWorkdays()) {
                assertThat(m.getDayOfWeek()).as("%s make-up day %s", id, m)
                        .isIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
            }
        }
        assertThat(PRESETS.get("CN").makeUpWorkdays()).hasSize(11);
    }

    @Test
    void noDateIsBothAHolidayAndAMakeUpWorkday() {
        for (String id : PRESETS.ids()) {
            BusinessCalendar cal = PRESETS.get(id);
            assertThat(cal.makeUpWorkdays()).as("%s make-up days that are also holidays", id)
                    .noneMatch(cal.holidays()::contains);
        }
    }

    @Test
    void unknownCalendarIsRejectedNamingTheKnownOnes() {
        assertThatThrownBy(() -> PRESETS.get("FR"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'FR'")
                .hasMessageContaining("CN");
        assertThat(PRESETS.find("FR")).isEmpty();
    }

    @Test
    void anOperatorFileAddsACalendarBesideThePresets(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("SG.json");
        Files.writeString(file, """
                {"id": "SG", "name": "Singapore", "zone": "Asia/Singapore", "source": "MOM public holidays 2026",
                 "holidays": ["2026-08-10"]}
                """);
        Calendars cals = PRESETS.with(file);
        BusinessCalendar sg = cals.get("SG");
        // Defaults: Monday to Friday, 09:00-17:00.
        assertThat(sg.isBusinessDay(d("2026-08-10"))).isFalse(); // the listed holiday, a Monday
        assertThat(sg.isBusinessDay(d("2026-08-11"))).isTrue();
        assertThat(sg.opens()).isEqualTo(LocalTime.of(9, 0));
        assertThat(cals.get("CN")).isEqualTo(PRESETS.get("CN"));
    }

    @Test
    void anOperatorFileWithAnUnknownFieldIsRejected(@TempDir Path dir) throws IOException {
        // A typo such as "holiday" instead of "holidays" must not silently drop every holiday.
        Path file = dir.resolve("XX.json");
        Files.writeString(file, """
                {"id": "XX", "zone": "UTC", "holiday": ["2026-08-10"]}
                """);
        assertThatThrownBy(() -> PRESETS.with(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void aCalendarThatClosesBeforeItOpensIsRejected() {
        assertThatThrownBy(() -> new BusinessCalendar("X", ZoneId.of("UTC"), java.util.Set.of(DayOfWeek.MONDAY),
                LocalTime.of(17, 0), LocalTime.of(9, 0), java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be before");
    }

    // ---- isBusinessDay -------------------------------------------------------------------------------------------

    @Test
    void chinasSpringFestivalMakeUpSaturdaysAreBusinessDays() {
        // 2026 notice: Saturday 14 and Saturday 28 February are worked (调休).
        BusinessCalendar cn = Calendars.presets().get("CN");
        assertThat(d("2026-02-14").getDayOfWeek()).isEqualTo(DayOfWeek.SATURDAY);
        assertThat(cn.isBusinessDay(d("2026-02-14"))).isTrue();
        assertThat(cn.isBusinessDay(d("2026-02-28"))).isTrue();
    }

    @Test
    void chinasSpringFestivalMondayIsNotABusinessDay() {
        BusinessCalendar cn = Calendars.presets().get("CN");
        assertThat(d("2026-02-16").getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
        assertThat(cn.isBusinessDay(d("2026-02-16"))).isFalse();
        // The whole break, 15 to 23 February, is off.
        for (LocalDate x = d("2026-02-15"); !x.isAfter(d("2026-02-23")); x = x.plusDays(1)) {
            assertThat(cn.isBusinessDay(x)).as("%s", x).isFalse();
        }
        assertThat(cn.isBusinessDay(d("2026-02-24"))).isTrue();
    }

    @Test
    void chinasNationalDayWeekIsOffAndTheFollowingSaturdayIsWorked() {
        BusinessCalendar cn = Calendars.presets().get("CN");
        for (LocalDate x = d("2026-10-01"); !x.isAfter(d("2026-10-07")); x = x.plusDays(1)) {
            assertThat(cn.isBusinessDay(x)).as("%s", x).isFalse();
        }
        assertThat(cn.isBusinessDay(d("2026-10-08"))).isTrue();
        assertThat(d("2026-10-10").getDayOfWeek()).isEqualTo(DayOfWeek.SATURDAY);
        assertThat(cn.isBusinessDay(d("2026-10-10"))).isTrue();
        // The Sunday after the make-up Saturday is an ordinary rest day.
        assertThat(cn.isBusinessDay(d("2026-10-11"))).isFalse();
        // The Sunday before National Day (20 September) is also worked.
        assertThat(cn.isBusinessDay(d("2026-09-20"))).isTrue();
    }

    @Test
    void chinas2027ProvisionalYearHasOnlyTheStatutoryDaysAndNoMakeUpDays() {
        BusinessCalendar cn = Calendars.presets().get("CN");
        assertThat(cn.makeUpWorkdays()).noneMatch(m -> m.getYear() == 2027);
        // Spring Festival 2027: 除夕 to 初三, 5 to 8 February.
        assertThat(cn.isBusinessDay(d("2027-02-05"))).isFalse();
        assertThat(cn.isBusinessDay(d("2027-02-08"))).isFalse();
        assertThat(cn.isBusinessDay(d("2027-02-09"))).isTrue();
    }

    @Test
    void britainsBoxingDaySubstituteMondayIsNotABusinessDay() {
        // 26 December 2026 is a Saturday, so the bank holiday moves to Monday 28 December.
        BusinessCalendar gb = Calendars.presets().get("GB");
        assertThat(d("2026-12-28").getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
        assertThat(gb.isBusinessDay(d("2026-12-28"))).isFalse();
        assertThat(gb.isBusinessDay(d("2026-12-25"))).isFalse();
        assertThat(gb.isBusinessDay(d("2026-12-29"))).isTrue();
    }

    @Test
    void americasObservedNewYear2028FallsOnFriday31December2027() {
        // 1 January 2028 is a Saturday; federal employees observe it on the preceding Friday.
        BusinessCalendar us = Calendars.presets().get("US");
        assertThat(d("2027-12-31").getDayOfWeek()).isEqualTo(DayOfWeek.FRIDAY);
        assertThat(us.isBusinessDay(d("2027-12-31"))).isFalse();
        // Christmas 2027 (Saturday) is observed on Friday 24 December.
        assertThat(us.isBusinessDay(d("2027-12-24"))).isFalse();
        assertThat(us.isBusinessDay(d("2027-12-27"))).isTrue();
    }

    @Test
    void germanEaster2026IsGoodFridayAndEasterMonday() {
        BusinessCalendar de = Calendars.presets().get("DE");
        assertThat(de.isBusinessDay(d("2026-04-03"))).isFalse();
        assertThat(de.isBusinessDay(d("2026-04-06"))).isFalse();
        assertThat(de.isBusinessDay(d("2026-04-02"))).isTrue();
        assertThat(de.isBusinessDay(d("2026-04-07"))).isTrue();
    }

    @Test
    void ordinaryWeekendsAreNotBusinessDaysInAnyPreset() {
        // 7-8 March 2026 is a plain weekend everywhere (no make-up day anywhere).
        for (String id : PRESETS.ids()) {
            BusinessCalendar cal = PRESETS.get(id);
            assertThat(cal.isBusinessDay(d("2026-03-07"))).as("%s Saturday", id).isFalse();
            assertThat(cal.isBusinessDay(d("2026-03-08"))).as("%s Sunday", id).isFalse();
            assertThat(cal.isBusinessDay(d("2026-03-09"))).as("%s Monday", id).isTrue();
        }
    }

    @Test
    void aMakeUpDayWinsEvenOverAHolidayListingInAHandMadeCalendar() {
        // Documented precedence: make-up working days win over the working week and the holiday list.
        LocalDate sat = d("2026-03-07");
        BusinessCalendar cal = new BusinessCalendar("T", ZoneId.of("UTC"),
                java.util.Set.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 0),
                java.util.Set.of(d("2026-03-09"), sat), java.util.Set.of(sat), java.util.Set.of(), "test");
        assertThat(cal.isBusinessDay(sat)).isTrue();
        assertThat(cal.isBusinessDay(d("2026-03-09"))).isFalse(); // listed holiday, a Monday
        assertThat(cal.isBusinessDay(d("2026-03-10"))).isFalse(); // Tuesday: not in this working week
        assertThat(cal.isBusinessDay(d("2026-03-13"))).isTrue(); // Friday
    }
}
