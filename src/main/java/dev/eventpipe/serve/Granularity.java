package dev.eventpipe.serve;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The width of a chart's buckets, in UTC: an hour, a day, an ISO week (from Monday, as
 * {@code date_trunc('week', ...)} has it in DuckDB, PostgreSQL and Redshift) or a calendar month.
 * Each caps the range a chart may span, so its buckets and its scan stay bounded.
 */
enum Granularity {
    HOUR(31, 3_600),
    DAY(366, 86_400),
    WEEK(731, 7 * 86_400),
    MONTH(731, 0);

    private final int maxDays;
    private final long seconds;

    Granularity(int maxDays, long seconds) {
        this.maxDays = maxDays;
        this.seconds = seconds;
    }

    /** A bucket's length in seconds, the same for every bucket of this width; empty for a month (months differ). */
    OptionalLong seconds() {
        return seconds == 0 ? OptionalLong.empty() : OptionalLong.of(seconds);
    }

    /** {@code hour}, {@code day}, {@code week} or {@code month}: the API's name and SQL's {@code date_trunc} unit. */
    String unit() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The most days a range may span at this width. */
    int maxDays() {
        return maxDays;
    }

    /** The bucket holding {@code t}. */
    Instant truncate(Instant t) {
        if (this == HOUR) {
            return t.truncatedTo(ChronoUnit.HOURS);
        }
        return start(truncate(LocalDate.ofInstant(t, ZoneOffset.UTC)));
    }

    private LocalDate truncate(LocalDate d) {
        return switch (this) {
            case HOUR, DAY -> d;
            case WEEK -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> d.withDayOfMonth(1);
        };
    }

    private Instant next(Instant bucket) {
        return switch (this) {
            case HOUR -> bucket.plus(1, ChronoUnit.HOURS);
            case DAY -> bucket.plus(1, ChronoUnit.DAYS);
            case WEEK -> bucket.plus(7, ChronoUnit.DAYS);
            case MONTH -> start(LocalDate.ofInstant(bucket, ZoneOffset.UTC).plusMonths(1));
        };
    }

    /** Every bucket that overlaps {@code range}, oldest first (the first and last may reach beyond it). */
    List<Instant> buckets(DateRange range) {
        List<Instant> out = new ArrayList<>();
        for (Instant b = truncate(range.start()); b.isBefore(range.end()); b = next(b)) {
            out.add(b);
        }
        return out;
    }

    /** A bucket as the API names it: {@code 2026-11-24T15:00:00Z} for an hour, {@code 2026-11-24} for the rest. */
    String label(Instant bucket) {
        return this == HOUR ? bucket.toString() : LocalDate.ofInstant(bucket, ZoneOffset.UTC).toString();
    }

    /** The granularity named {@code name}, or null. */
    static Granularity named(String name) {
        for (Granularity g : values()) {
            if (g.unit().equals(name)) {
                return g;
            }
        }
        return null;
    }

    private static Instant start(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
