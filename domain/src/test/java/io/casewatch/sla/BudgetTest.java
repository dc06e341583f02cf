package io.casewatch.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link Budget#parse} is how policy files (and the shipped presets) write their allowances, so each spelling the
 * presets use must land on the right {@link TimeBasis} and amount unit (minutes for the time bases, days for the day
 * bases).
 */
class BudgetTest {

    @Test
    void fifteenBusinessDaysIsABusinessDayBudgetCountedInDays() {
        // PSD2 Art. 101(2) and DISP 1.6.2AR: "15 business days".
        assertThat(Budget.parse("15 business days")).isEqualTo(new Budget(TimeBasis.BUSINESS_DAYS, 15));
    }

    @Test
    void oneBusinessDaysAsThePresetsWriteItIsStillOneBusinessDay() {
        // The presets write "1 business days"; the plural must not matter.
        assertThat(Budget.parse("1 business days")).isEqualTo(Budget.businessDays(1));
        assertThat(Budget.parse("1 business day")).isEqualTo(Budget.businessDays(1));
    }

    @Test
    void workingDaysIsASynonymForBusinessDays() {
        assertThat(Budget.parse("10 working days")).isEqualTo(new Budget(TimeBasis.BUSINESS_DAYS, 10));
    }

    @Test
    void eightWeeksIsFiftySixCalendarDays() {
        // DISP 1.6.2R: "eight weeks after receipt" is counted as whole calendar days ending at local midnight.
        Budget b = Budget.parse("8 weeks");
        assertThat(b.basis()).isEqualTo(TimeBasis.CALENDAR_DAYS);
        assertThat(b.amount()).isEqualTo(56);
    }

    @Test
    void plainDaysAreCalendarDaysNotExactHours() {
        // CFPB "15 calendar days" and 民法典 day counting: whole days, not 15 * 24 hours.
        assertThat(Budget.parse("15 days")).isEqualTo(new Budget(TimeBasis.CALENDAR_DAYS, 15));
        assertThat(Budget.parse("15 calendar days")).isEqualTo(new Budget(TimeBasis.CALENDAR_DAYS, 15));
    }

    @Test
    void hoursAreExactCalendarTimeInMinutes() {
        Budget b = Budget.parse("24 hours");
        assertThat(b.basis()).isEqualTo(TimeBasis.CALENDAR);
        assertThat(b.amount()).isEqualTo(24 * 60);
    }

    @Test
    void businessHoursAreCountedInMinutesOfBusinessTime() {
        Budget b = Budget.parse("4 business hours");
        assertThat(b.basis()).isEqualTo(TimeBasis.BUSINESS_HOURS);
        assertThat(b.amount()).isEqualTo(240);
        assertThat(b).isEqualTo(Budget.businessHours(4));
    }

    @Test
    void businessMinutesAreBusinessHoursBasisInMinutes() {
        assertThat(Budget.parse("90 business minutes")).isEqualTo(new Budget(TimeBasis.BUSINESS_HOURS, 90));
    }

    @Test
    void isoDurationIsExactCalendarTime() {
        assertThat(Budget.parse("PT30M")).isEqualTo(new Budget(TimeBasis.CALENDAR, 30));
        // An ISO day is exactly 24 hours, not a calendar day.
        assertThat(Budget.parse("P1D")).isEqualTo(new Budget(TimeBasis.CALENDAR, 24 * 60));
        assertThat(Budget.parse("pt2h")).isEqualTo(Budget.calendar(Duration.ofHours(2)));
    }

    @Test
    void parsingIgnoresCaseAndSurroundingBlanks() {
        assertThat(Budget.parse("  15 Business Days ")).isEqualTo(Budget.businessDays(15));
    }

    @Test
    void aMisspelledBasisIsRejectedWithAMessageNamingTheTextAndTheAcceptedForms() {
        // A typo in a policy file must fail loudly rather than silently become calendar days.
        assertThatThrownBy(() -> Budget.parse("15 bizness days"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'15 bizness days'")
                .hasMessageContaining("15 business days");
    }

    @Test
    void businessWeeksAreRejectedBecauseTheirLengthDependsOnTheCalendar() {
        assertThatThrownBy(() -> Budget.parse("2 business weeks"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("business days");
    }

    @Test
    void aMalformedIsoDurationIsRejected() {
        assertThatThrownBy(() -> Budget.parse("P3X"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void textWithoutANumberOrUnitIsRejected() {
        assertThatThrownBy(() -> Budget.parse("soon")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Budget.parse("15")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Budget.parse("-3 days")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDurationThatIsNotWholeMinutesIsRefusedRatherThanTruncated() {
        // 'PT20S' used to become a zero budget (Duration.toMinutes), under which every case breached on arrival.
        assertThatThrownBy(() -> Budget.parse("PT20S")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole minutes");
        assertThatThrownBy(() -> Budget.parse("PT1M30S")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole minutes");
        assertThatThrownBy(() -> Budget.parse("PT30M0.5S")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Budget.parse("PT1H30M")).isEqualTo(new Budget(TimeBasis.CALENDAR, 90));
        assertThat(Budget.parse("P1DT0S")).isEqualTo(new Budget(TimeBasis.CALENDAR, 24 * 60));
    }

    @Test
    void aZeroBudgetIsRefusedInEverySpelling() {
        for (String zero : List.of("PT0S", "PT0M", "0 hours", "0 business days", "0 weeks", "0 minutes")) {
            assertThatThrownBy(() -> Budget.parse(zero)).as(zero).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("zero");
        }
        assertThatThrownBy(() -> Budget.parse("PT-30M")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void aNegativeAmountCannotBeConstructed() {
        assertThatThrownBy(() -> new Budget(TimeBasis.CALENDAR, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    @Test
    void toStringIsParseableBackToTheSameBudget() {
        // Compliance records print budgets with toString; reading them back must give the same allowance.
        List<String> texts = List.of("15 business days", "8 weeks", "15 days", "24 hours", "4 business hours", "PT30M",
                "90 business minutes", "35 business days", "60 days", "48 hours", "PT90M");
        for (String text : texts) {
            Budget b = Budget.parse(text);
            assertThat(Budget.parse(b.toString())).as("round trip of '%s' via '%s'", text, b).isEqualTo(b);
        }
    }

    @Test
    void toStringWritesWholeHoursAsHoursAndOtherwiseMinutes() {
        assertThat(Budget.parse("24 hours")).hasToString("24 hours");
        assertThat(Budget.parse("PT30M")).hasToString("30 minutes");
        assertThat(Budget.parse("8 weeks")).hasToString("56 days");
        assertThat(Budget.parse("15 business days")).hasToString("15 business days");
        assertThat(Budget.parse("4 business hours")).hasToString("4 business hours");
        assertThat(Budget.parse("90 business minutes")).hasToString("90 business minutes");
    }

    @Test
    void onlyTheTwoDayBasesAreDayBased() {
        // Day bases start counting at the local midnight after receipt and end at a local midnight.
        assertThat(Budget.parse("15 business days").dayBased()).isTrue();
        assertThat(Budget.parse("15 days").dayBased()).isTrue();
        assertThat(Budget.parse("24 hours").dayBased()).isFalse();
        assertThat(Budget.parse("4 business hours").dayBased()).isFalse();
    }
}
