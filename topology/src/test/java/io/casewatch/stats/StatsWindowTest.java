package io.casewatch.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class StatsWindowTest {

    private static final int DAY_0 = (int) LocalDate.parse("2026-03-01").toEpochDay();

    @Test
    void theKeyKeepsKindAndStartDayIncludingNegativeDays() {
        for (int start : new int[] {DAY_0, 0, -5, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            long k = StatsWindow.key(StatsWindow.ROLLING, start);
            assertThat(StatsWindow.kindOf(k)).isEqualTo(StatsWindow.ROLLING);
            assertThat(StatsWindow.startOf(k)).isEqualTo(start);
        }
    }

    @Test
    void aDayWindowHoldsOnlyItsDayAndA30DayWindowItsThirtyDays() {
        long day = StatsWindow.key(StatsWindow.DAY, DAY_0);
        long rolling = StatsWindow.key(StatsWindow.ROLLING, DAY_0);
        assertThat(StatsWindow.holds(day, DAY_0)).isTrue();
        assertThat(StatsWindow.holds(day, DAY_0 + 1)).isFalse();
        assertThat(StatsWindow.holds(rolling, DAY_0 - 1)).isFalse();
        assertThat(StatsWindow.holds(rolling, DAY_0)).isTrue();
        assertThat(StatsWindow.holds(rolling, DAY_0 + StatsDays.ROLLING_DAYS - 1)).isTrue();
        assertThat(StatsWindow.holds(rolling, DAY_0 + StatsDays.ROLLING_DAYS)).isFalse();
    }

    @Test
    void aWindowClosesAtItsLocalEndPlusTheGraceAcrossADstChange() {
        ZoneId london = ZoneId.of("Europe/London");
        int saturday = (int) LocalDate.parse("2026-03-28").toEpochDay(); // clocks go forward on Sunday 29 March
        long grace = Duration.ofHours(1).toMillis();
        long sundayStart = LocalDate.parse("2026-03-29").atStartOfDay(london).toInstant().toEpochMilli();
        long mondayStart = LocalDate.parse("2026-03-30").atStartOfDay(london).toInstant().toEpochMilli();
        assertThat(StatsWindow.closeAt(StatsWindow.DAY, saturday, london, grace)).isEqualTo(sundayStart + grace);
        assertThat(StatsWindow.closeAt(StatsWindow.DAY, saturday + 1, london, grace) - StatsWindow.closeAt(StatsWindow.DAY, saturday, london, grace))
                .as("Sunday 29 March has 23 hours in London").isEqualTo(mondayStart - sundayStart).isEqualTo(Duration.ofHours(23).toMillis());
        long rollingEnd = LocalDate.parse("2026-03-28").plusDays(StatsDays.ROLLING_DAYS).atStartOfDay(london).toInstant().toEpochMilli();
        assertThat(StatsWindow.closeAt(StatsWindow.ROLLING, saturday, london, grace)).isEqualTo(rollingEnd + grace);
    }
}
