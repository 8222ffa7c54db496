package dev.eventpipe.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The time ranges one report covers, all in UTC: the daily charts' calendar days ({@code days} of
 * them, ending today) and the hourly charts' 48 hours (ending with the current, unfinished hour).
 *
 * @param now   the report's "now"
 * @param today the UTC calendar day of {@code now}
 * @param days  every day charted, oldest first, today last
 * @param hours the start of every hour charted, oldest first, the current hour last
 */
record ReportWindow(Instant now, LocalDate today, List<LocalDate> days, List<Instant> hours) {

    /** How many hourly buckets the hourly charts show. */
    public static final int HOURS = 48;

    public ReportWindow {
        days = List.copyOf(days);
        hours = List.copyOf(hours);
    }

    /** The window of a report run at {@code clock.instant()} over {@code dayCount} days. */
    public static ReportWindow of(Clock clock, int dayCount) {
        if (dayCount < 1) {
            throw new IllegalArgumentException("days < 1: " + dayCount);
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<LocalDate> days = new ArrayList<>(dayCount);
        for (int i = dayCount - 1; i >= 0; i--) {
            days.add(today.minusDays(i));
        }
        Instant currentHour = now.truncatedTo(ChronoUnit.HOURS);
        List<Instant> hours = new ArrayList<>(HOURS);
        for (int i = HOURS - 1; i >= 0; i--) {
            hours.add(currentHour.minus(Duration.ofHours(i)));
        }
        return new ReportWindow(now, today, days, hours);
    }

    /** The start of the first day charted (inclusive). */
    public Instant daysFrom() {
        return startOf(days.get(0));
    }

    /** The end of today (exclusive). */
    public Instant daysTo() {
        return startOf(today.plusDays(1));
    }

    /** The start of today (inclusive). */
    public Instant todayFrom() {
        return startOf(today);
    }

    /** The start of the first hour charted (inclusive). */
    public Instant hoursFrom() {
        return hours.get(0);
    }

    /** The end of the current hour (exclusive). */
    public Instant hoursTo() {
        return hours.get(hours.size() - 1).plus(Duration.ofHours(1));
    }

    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
