package dev.eventpipe.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ReportWindowTest {

    static ReportWindow at(String instant, int days) {
        // A clock in another zone: the window is UTC all the same.
        return ReportWindow.of(Clock.fixed(Instant.parse(instant), ZoneId.of("America/Los_Angeles")), days);
    }

    @Test
    void dailyChartsCoverTheGivenDaysEndingTodayInUtc() {
        ReportWindow w = at("2026-11-24T03:00:00Z", 3);

        assertThat(w.today()).isEqualTo(LocalDate.of(2026, 11, 24));
        assertThat(w.days()).containsExactly(LocalDate.of(2026, 11, 22), LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 24));
        assertThat(w.daysFrom()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
        assertThat(w.daysTo()).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(w.todayFrom()).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    }

    @Test
    void hourlyChartsCover48HoursEndingWithTheCurrentHour() {
        ReportWindow w = at("2026-11-24T15:42:10Z", 1);

        assertThat(w.hours()).hasSize(48);
        assertThat(w.hoursFrom()).isEqualTo(Instant.parse("2026-11-22T16:00:00Z"));
        assertThat(w.hours().get(47)).isEqualTo(Instant.parse("2026-11-24T15:00:00Z"));
        assertThat(w.hoursTo()).isEqualTo(Instant.parse("2026-11-24T16:00:00Z"));
    }

    @Test
    void midnightIsTheFirstInstantOfItsDay() {
        ReportWindow w = at("2026-11-25T00:00:00Z", 1);

        assertThat(w.days()).containsExactly(LocalDate.of(2026, 11, 25));
        assertThat(w.hours().get(47)).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    }

    @Test
    void atLeastOneDayIsNeeded() {
        assertThatThrownBy(() -> at("2026-11-24T00:00:00Z", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
