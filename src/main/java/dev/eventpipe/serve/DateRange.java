package dev.eventpipe.serve;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Whole UTC days, {@code from} through {@code to}: what every chart of the dashboard covers.
 *
 * @param from the first day
 * @param to   the last day (included)
 */
record DateRange(LocalDate from, LocalDate to) {

    DateRange {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to < from: " + to + " < " + from);
        }
    }

    /** The start of {@code from} (inclusive). */
    Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The start of the day after {@code to} (exclusive). */
    Instant end() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }
}
