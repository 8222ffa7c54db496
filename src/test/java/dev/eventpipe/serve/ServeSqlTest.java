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
        // the first bucket's start, each event, start, end, platform
        assertThat(marks(sql.counts(ServeSql.Counted.EVENTS, Granularity.DAY, 3, true))).isEqualTo(1 + 3 + 2 + 1);
        assertThat(marks(sql.counts(ServeSql.Counted.EVENTS, Granularity.MONTH, 3, true))).isEqualTo(3 + 2 + 1);
        assertThat(marks(sql.eventNames(ServeSql.Counted.EVENTS, false))).isEqualTo(2);
        // Fri 13 .. Thu 26 November: 14 days, 3 weeks, 1 month, all in the first mask
        ActiveDays twoWeeks = new ActiveDays(new DateRange(LocalDate.parse("2026-11-13"), LocalDate.parse("2026-11-26")));
        assertThat(marks(sql.activeDevices(twoWeeks, true))).isEqualTo(1 + 2 + 1 + 14 + 3 + 1);
        assertThat(marks(sql.activeDevices(twoWeeks, false))).isEqualTo(1 + 2 + 14 + 3 + 1);
        // each column's period start and days, then the first period's start, the end[, platform]
        List<ActiveDays.Kept> kept = twoWeeks.kept();
        List<ActiveDays.Kept> weekly = kept.stream().filter(k -> !k.monthly()).toList();
        assertThat(marks(sql.activeKept(weekly, false, true))).isEqualTo(2 * (14 + 3) + 2 + 1);
        assertThat(marks(sql.activeKept(kept.subList(kept.size() - 1, kept.size()), true, false))).isEqualTo(2 + 2);
        assertThat(sql.activeKept(weekly, false, false)).contains("FROM eventpipe_device_weeks", "scope = 0", "GROUP BY period_start, days");
        // step 1: event, start, end; the later steps' rows: each later event, start, end + window, window; each later event again
        assertThat(marks(sql.funnel(3, false))).isEqualTo(3 + (2 + 3) + 2);
        assertThat(marks(sql.funnel(3, true))).isEqualTo(4 + (2 + 4) + 2);
        assertThat(marks(sql.funnel(1, true))).isEqualTo(4);
        assertThat(sql.counts(ServeSql.Counted.EVENTS, Granularity.WEEK, 1, false)).contains("\"timestamp\" >= ? AND \"timestamp\" < ?");
    }

    @Test
    void theHourlyCountsAreAddedUpOverTheirHourColumnWithTheSamePlaceholders() {
        ServeSql sql = new ServeSql(new DuckDbDialect(Path.of("w.duckdb")));
        String week = sql.counts(ServeSql.Counted.HOURLY, Granularity.WEEK, 2, true);
        assertThat(week).contains("FROM eventpipe_hourly_counts", "hour >= ? AND hour < ?", "epoch_us(hour)", "sum(n)")
                .doesNotContain("\"timestamp\"", "count(*)");
        assertThat(marks(week)).isEqualTo(marks(sql.counts(ServeSql.Counted.EVENTS, Granularity.WEEK, 2, true)));
        assertThat(sql.eventNames(ServeSql.Counted.HOURLY, true)).contains("sum(n)", "FROM eventpipe_hourly_counts");
        assertThat(sql.platforms(ServeSql.Counted.HOURLY)).contains("sum(n)", "FROM eventpipe_hourly_counts");
        ServeSql redshift = new ServeSql(new RedshiftDialect("arn:aws:iam::123456789012:role/copy"));
        assertThat(redshift.counts(ServeSql.Counted.HOURLY, Granularity.MONTH, 1, false)).contains("date_trunc('month', hour)");
    }

    @Test
    void redshiftAddsSecondsWithDateadd() {
        ServeSql sql = new ServeSql(new RedshiftDialect("arn:aws:iam::123456789012:role/copy"));
        assertThat(sql.funnel(2, false)).contains("DATEADD(second, CAST(? AS INTEGER), s1.t)").doesNotContain("INTERVAL");
        assertThat(new ServeSql(new DuckDbDialect(Path.of("w.duckdb"))).funnel(2, false))
                .contains("(s1.t + CAST(? AS INTEGER) * INTERVAL '1 second')");
    }

    @Test
    void aFunnelReadsEventsTwiceWhateverItsSteps() {
        for (ServeSql sql : List.of(new ServeSql(new DuckDbDialect(Path.of("w.duckdb"))),
                new ServeSql(new RedshiftDialect("arn:aws:iam::123456789012:role/copy")))) {
            for (int steps = 2; steps <= 6; steps++) {
                String text = sql.funnel(steps, true);
                assertThat(text.split(" events\\b", -1)).as(text).hasSize(3);
                assertThat(text).contains(", s" + steps + " AS (").doesNotContain(", s" + (steps + 1) + " AS (");
            }
        }
    }

    @Test
    void hoursDaysAndWeeksAreNumberedFromTheFirstBucketWhileMonthsAreTruncated() {
        ServeSql duckdb = new ServeSql(new DuckDbDialect(Path.of("w.duckdb")));
        assertThat(duckdb.counts(ServeSql.Counted.EVENTS, Granularity.WEEK, 2, false))
                .contains("CAST((epoch_us(\"timestamp\") - CAST(? AS BIGINT) * 1000000) // 604800000000 AS INTEGER)")
                .contains("\"event\" IN (SELECT ? UNION ALL SELECT ?)").doesNotContain("date_trunc");
        assertThat(duckdb.counts(ServeSql.Counted.EVENTS, Granularity.HOUR, 1, false)).contains("// 3600000000 AS INTEGER)");
        ServeSql redshift = new ServeSql(new RedshiftDialect("arn:aws:iam::123456789012:role/copy"));
        assertThat(redshift.counts(ServeSql.Counted.EVENTS, Granularity.DAY, 1, true))
                .contains("CAST(floor((extract(epoch FROM \"timestamp\") - ?) / 86400) AS INTEGER)").doesNotContain("epoch_us");
        assertThat(redshift.counts(ServeSql.Counted.EVENTS, Granularity.MONTH, 1, false)).contains("date_trunc('month', \"timestamp\")");
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
