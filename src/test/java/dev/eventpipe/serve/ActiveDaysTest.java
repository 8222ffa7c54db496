package dev.eventpipe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActiveDaysTest {

    private static ActiveDays of(String from, String to) {
        return new ActiveDays(new DateRange(LocalDate.parse(from), LocalDate.parse(to)));
    }

    private static List<ActiveDays.Column> columns(ActiveDays plan, Granularity width) {
        return plan.columns().stream().filter(c -> c.width() == width).toList();
    }

    @Test
    void eachDayIsOneBitAndAWeekCutByTheRangeHasOnlyItsDaysInside() {
        // Wednesday 4 .. Tuesday 24 November 2026
        ActiveDays plan = of("2026-11-04", "2026-11-24");
        assertThat(plan.masks()).isEqualTo(1);
        assertThat(columns(plan, Granularity.DAY)).hasSize(21);
        assertThat(columns(plan, Granularity.DAY).get(3).bits()).isEqualTo(Map.of(0, 1L << 3));
        List<ActiveDays.Column> weeks = columns(plan, Granularity.WEEK);
        assertThat(weeks).hasSize(4);
        assertThat(weeks.get(0).bits()).as("Wed 4 .. Sun 8").isEqualTo(Map.of(0, 0b11111L));
        assertThat(weeks.get(1).bits()).as("Mon 9 .. Sun 15").isEqualTo(Map.of(0, 0b1111111L << 5));
        assertThat(weeks.get(3).bits()).as("Mon 23 .. Tue 24").isEqualTo(Map.of(0, 0b11L << 19));
        assertThat(columns(plan, Granularity.MONTH)).singleElement().extracting(ActiveDays.Column::bits)
                .isEqualTo(Map.of(0, (1L << 21) - 1));
        assertThat(plan.startEpochSecond()).isEqualTo(LocalDate.parse("2026-11-04").toEpochDay() * 86_400);
    }

    @Test
    void aWeekAcrossTheSixtySecondDaySpansTwoMasksAndEveryDayIsCountedOnce() {
        ActiveDays plan = of("2026-09-01", "2026-11-09");
        assertThat(plan.masks()).isEqualTo(2);
        // day 62 (2 November, a Monday) is bit 0 of mask 1; Monday 26 October .. Sunday 1 November are days 55..61
        assertThat(columns(plan, Granularity.DAY).get(62).bits()).isEqualTo(Map.of(1, 1L));
        assertThat(columns(plan, Granularity.WEEK).stream().filter(c -> c.bits().containsKey(1)).findFirst().orElseThrow().bits())
                .isEqualTo(Map.of(1, 0b1111111L));
        assertThat(columns(plan, Granularity.MONTH).get(1).bits()).as("October: days 30..60")
                .isEqualTo(Map.of(0, ((1L << 31) - 1) << 30));
        for (Granularity width : ActiveDays.WIDTHS) {
            long[] seen = new long[2];
            for (ActiveDays.Column c : columns(plan, width)) {
                c.bits().forEach((mask, bits) -> {
                    assertThat(seen[mask] & bits).as(width + " buckets overlap").isZero();
                    seen[mask] |= bits;
                });
            }
            assertThat(seen).as(width + " covers all 70 days").containsExactly((1L << 62) - 1, (1L << 8) - 1);
        }
    }

    @Test
    void asTheLoadsKeepThemADayIsItsBitInItsWeeksRowAndAWeekOrMonthItsDaysInTheRange() {
        // Sunday 8 .. Wednesday 25 November 2026 (8 is the last day of the week of Monday 2 November)
        List<ActiveDays.Kept> kept = of("2026-11-08", "2026-11-25").kept();
        assertThat(kept).hasSize(18 + 4 + 1);
        assertThat(kept.get(0)).satisfies(k -> {
            assertThat(k.periodStart()).hasToString("2026-11-02T00:00:00Z");
            assertThat(k.days()).as("Sunday: bit 6").isEqualTo(1 << 6);
        });
        assertThat(kept.get(1).periodStart()).hasToString("2026-11-09T00:00:00Z");
        assertThat(kept.get(1).days()).as("Monday: bit 0").isEqualTo(1);
        List<ActiveDays.Kept> weeks = kept.stream().filter(k -> k.column().width() == Granularity.WEEK).toList();
        assertThat(weeks).extracting(ActiveDays.Kept::days).containsExactly(1 << 6, 0b1111111, 0b1111111, 0b111);
        assertThat(weeks).noneMatch(ActiveDays.Kept::monthly);
        ActiveDays.Kept month = kept.get(kept.size() - 1);
        assertThat(month.monthly()).isTrue();
        assertThat(month.periodStart()).hasToString("2026-11-01T00:00:00Z");
        assertThat(month.days()).as("the 8th .. 25th: bits 7..24").isEqualTo(((1 << 25) - 1) & ~((1 << 7) - 1));
        assertThat(of("2026-10-31", "2026-10-31").kept().get(2).days()).as("the 31st: bit 30").isEqualTo(1 << 30);
    }
}
