package dev.eventpipe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import dev.eventpipe.warehouse.dialect.RedshiftDialect;
import java.nio.file.Path;
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
        assertThat(marks(sql.activeDevices(Granularity.WEEK, true))).isEqualTo(3);
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
}
