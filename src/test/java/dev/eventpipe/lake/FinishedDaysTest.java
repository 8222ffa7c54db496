package dev.eventpipe.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class FinishedDaysTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @Test
    void aDayIsFinishedOnceItsGraceHasPassedAfterItsUtcMidnight() {
        FinishedDays f = new FinishedDays(Duration.ofMinutes(60));
        assertThat(f.finished(DAY, Instant.parse("2026-11-24T23:59:59Z"))).isFalse();
        assertThat(f.finished(DAY, Instant.parse("2026-11-25T00:59:59Z"))).isFalse();
        assertThat(f.finished(DAY, Instant.parse("2026-11-25T01:00:00Z"))).isTrue();
        assertThat(f.finished(DAY.plusDays(1), Instant.parse("2026-11-25T01:00:00Z"))).as("today").isFalse();
    }

    @Test
    void withNoGraceADayIsFinishedAtMidnightAndANegativeGraceIsRefused() {
        assertThat(new FinishedDays(Duration.ZERO).finished(DAY, Instant.parse("2026-11-25T00:00:00Z"))).isTrue();
        assertThatThrownBy(() -> new FinishedDays(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
