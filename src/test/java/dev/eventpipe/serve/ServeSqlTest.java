package dev.eventpipe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import dev.eventpipe.warehouse.dialect.RedshiftDialect;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServeSqlTest {

    private static long marks(String sql) {
        return sql.chars().filter(c -> c == '?').count();
    }

    @Test
    void everyValueIsAPlaceholderInTheOrderTheApiBindsThem() {
        ServeSql sql = new ServeSql(new DuckDbDialect(Path.of("w.duckdb")));
        assertThat(marks(sql.counts(Granularity.DAY, 3, true))).isEqualTo(3 + 2 + 1);
        assertThat(marks(sql.eventNames(false))).isEqualTo(2);
        // Fri 13 .. Thu 26 November: 14 days, 3 weeks, 1 month, all in the first mask
        ActiveDays twoWeeks = new ActiveDays(new DateRange(LocalDate.parse("2026-11-13"), LocalDate.parse("2026-11-26")));
        assertThat(marks(sql.activeDevices(twoWeeks, true))).isEqualTo(1 + 2 + 1 + 14 + 3 + 1);
        assertThat(marks(sql.activeDevices(twoWeeks, false))).isEqualTo(1 + 2 + 14 + 3 + 1);
        // step 1: event, start, end; each later step: event, start, end + window, window
        assertThat(marks(sql.funnel(3, false))).isEqualTo(3 + 2 * 4);
        assertThat(marks(sql.funnel(3, true))).isEqualTo(4 + 2 * 5);
        assertThat(sql.counts(Granularity.WEEK, 1, false)).contains("date_trunc('week', \"timestamp\")")
                .contains("\"timestamp\" >= ? AND \"timestamp\" < ?");
    }

    @Test
    void redshiftAddsSecondsWithDateadd() {
        ServeSql sql = new ServeSql(new RedshiftDialect("arn:aws:iam::123456789012:role/copy"));
        assertThat(sql.funnel(2, false)).contains("DATEADD(second, CAST(? AS INTEGER), p.t0)").doesNotContain("INTERVAL");
        assertThat(new ServeSql(new DuckDbDialect(Path.of("w.duckdb"))).funnel(2, false))
                .contains("(p.t0 + CAST(? AS INTEGER) * INTERVAL '1 second')");
    }

    @Test
    void activeDevicesReadTheRangeOnceWithOneMaskPer62Days() {
        ActiveDays seventyDays = new ActiveDays(new DateRange(LocalDate.parse("2026-09-01"), LocalDate.parse("2026-11-09")));
        for (ServeSql sql : List.of(new ServeSql(new DuckDbDialect(Path.of("w.duckdb"))),
                new ServeSql(new RedshiftDialect("arn:aws:iam::123456789012:role/copy")))) {
            String text = sql.activeDevices(seventyDays, true);
            assertThat(text.split("FROM events", -1)).as(text).hasSize(2);
            assertThat(text).contains("\"timestamp\" >= ? AND \"timestamp\" < ? AND context_device_type = ?")
                    .contains(" AS m0").contains(" AS m1").doesNotContain(" AS m2").contains("(m0 & ?) <> 0 OR (m1 & ?) <> 0")
                    .doesNotContainIgnoringCase("DISTINCT").doesNotContainIgnoringCase("approx");
        }
    }
}
