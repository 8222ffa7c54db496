package dev.eventpipe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class GranularityTest {

    private static final DateRange NOVEMBER_WEEK = new DateRange(LocalDate.parse("2026-11-18"), LocalDate.parse("2026-11-24"));

    @Test
    void weeksStartOnMondayAsDateTruncHasIt() {
        // 2026-11-18 is a Wednesday: its week began on Monday 16th.
        assertThat(Granularity.WEEK.buckets(NOVEMBER_WEEK)).extracting(Granularity.WEEK::label)
                .containsExactly("2026-11-16", "2026-11-23");
        assertThat(Granularity.WEEK.truncate(Instant.parse("2026-11-22T23:59:59Z"))).isEqualTo("2026-11-16T00:00:00Z");
    }

    @Test
    void everyDayAndHourOfTheRangeIsABucketEvenWithoutRows() {
        assertThat(Granularity.DAY.buckets(NOVEMBER_WEEK)).hasSize(7).first().isEqualTo(Instant.parse("2026-11-18T00:00:00Z"));
        assertThat(Granularity.HOUR.buckets(NOVEMBER_WEEK)).hasSize(7 * 24).last().isEqualTo(Instant.parse("2026-11-24T23:00:00Z"));
        assertThat(Granularity.HOUR.label(Instant.parse("2026-11-24T15:00:00Z"))).isEqualTo("2026-11-24T15:00:00Z");
        assertThat(Granularity.DAY.label(Instant.parse("2026-11-24T00:00:00Z"))).isEqualTo("2026-11-24");
    }

    @Test
    void monthsAreCalendarMonths() {
        DateRange r = new DateRange(LocalDate.parse("2026-01-30"), LocalDate.parse("2026-03-01"));
        assertThat(Granularity.MONTH.buckets(r)).extracting(Granularity.MONTH::label)
                .containsExactly("2026-01-01", "2026-02-01", "2026-03-01");
    }
}
