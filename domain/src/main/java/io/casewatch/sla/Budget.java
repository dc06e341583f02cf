package io.casewatch.sla;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time allowance: an amount in a {@link TimeBasis}. {@code amount} is in minutes for {@link TimeBasis#CALENDAR}
 * and {@link TimeBasis#BUSINESS_HOURS}, in days for the two day bases.
 *
 * <p>Written in policy files as text: {@code "15 business days"}, {@code "8 weeks"} (56 calendar days),
 * {@code "15 days"} (calendar days), {@code "24 hours"}, {@code "4 business hours"}, or an ISO-8601 duration
 * such as {@code "PT30M"} (exact calendar time).
 */
public record Budget(TimeBasis basis, long amount) {

    private static final Pattern TEXT = Pattern.compile(
            "(\\d+)\\s+(business|working|calendar)?\\s*(minutes?|hours?|days?|weeks?)");

    public Budget {
        Objects.requireNonNull(basis, "basis");
        if (amount < 0) {
            throw new IllegalArgumentException("a budget cannot be negative: " + amount);
        }
    }

    public static Budget calendar(Duration d) {
        return new Budget(TimeBasis.CALENDAR, d.toMinutes());
    }

    public static Budget calendarDays(int days) {
        return new Budget(TimeBasis.CALENDAR_DAYS, days);
    }

    public static Budget businessDays(int days) {
        return new Budget(TimeBasis.BUSINESS_DAYS, days);
    }

    public static Budget businessHours(int hours) {
        return new Budget(TimeBasis.BUSINESS_HOURS, hours * 60L);
    }

    public static Budget parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("p")) {
            Duration d;
            try {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration");
            }
            // Budgets are kept in whole minutes: a remainder would be dropped without a word ('PT20S' became a zero
            // budget, under which every case breaches the moment it opens).
            if (d.isNegative()) {
                throw new IllegalArgumentException("'" + text + "': a budget cannot be negative");
            }
            if (d.toSecondsPart() != 0 || d.toNanosPart() != 0) {
                throw new IllegalArgumentException("'" + text + "': budgets are counted in whole minutes (e.g. 'PT30M', 'PT1H30M')");
            }
            if (d.isZero()) {
                throw new IllegalArgumentException(zero(text));
            }
            return calendar(d);
        }
        Matcher m = TEXT.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a budget; write e.g. '15 business days', "
                    + "'8 weeks', '15 days', '24 hours', '4 business hours' or 'PT30M'");
        }
        long n = Long.parseLong(m.group(1));
        if (n == 0) {
            throw new IllegalArgumentException(zero(text));
        }
        boolean business = m.group(2) != null && !m.group(2).equals("calendar");
        String unit = m.group(3).replaceAll("s$", "");
        return switch (unit) {
            case "minute" -> business ? new Budget(TimeBasis.BUSINESS_HOURS, n) : new Budget(TimeBasis.CALENDAR, n);
            case "hour" -> business ? new Budget(TimeBasis.BUSINESS_HOURS, n * 60) : new Budget(TimeBasis.CALENDAR, n * 60);
            case "day" -> business ? new Budget(TimeBasis.BUSINESS_DAYS, n) : new Budget(TimeBasis.CALENDAR_DAYS, n);
            case "week" -> {
                if (business) {
                    throw new IllegalArgumentException("'" + text + "': write business weeks as business days");
                }
                yield new Budget(TimeBasis.CALENDAR_DAYS, n * 7);
            }
            default -> throw new IllegalArgumentException("'" + text + "': unknown unit");
        };
    }

    private static String zero(String text) {
        return "'" + text + "' is a budget of zero: every case would breach the moment it opens";
    }

    public boolean dayBased() {
        return basis == TimeBasis.CALENDAR_DAYS || basis == TimeBasis.BUSINESS_DAYS;
    }

    @Override
    public String toString() {
        return switch (basis) {
            case CALENDAR -> amount % 60 == 0 ? amount / 60 + " hours" : amount + " minutes";
            case CALENDAR_DAYS -> amount + " days";
            case BUSINESS_DAYS -> amount + " business days";
            case BUSINESS_HOURS -> amount % 60 == 0 ? amount / 60 + " business hours" : amount + " business minutes";
        };
    }
}
