package dev.eventpipe.lake;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Which event dates are finished, so compaction may rewrite them: a UTC day whose end lies at least
 * {@code grace} in the past. The grace covers what normally still arrives for a day after midnight:
 * a consumer's batch age (60 s by default), the next load (1 to 5 min on the default schedules) and
 * a retried load. What arrives later (a device that was offline, a consumer catching up on a long
 * backlog) is not lost: it lands in {@code archive/} after the day was compacted and the next
 * compaction adds it to the day as one more Parquet file.
 */
public record FinishedDays(Duration grace) {

    public FinishedDays {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace < 0: " + grace);
        }
    }

    /** Whether {@code day} ended at least {@code grace} before {@code now}. */
    public boolean finished(LocalDate day, Instant now) {
        Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return !now.isBefore(end.plus(grace));
    }
}
