package dev.eventpipe.serve;

import dev.eventpipe.warehouse.Dialect;
import dev.eventpipe.warehouse.DeviceActivity;
import dev.eventpipe.warehouse.Schema;
import java.util.Collections;
import java.util.List;

/**
 * The dashboard's SQL. Every value is a bound parameter; only names this class writes itself (a
 * {@code date_trunc} unit from {@link Granularity}, a count of placeholders) are part of the text.
 * Every read of {@code events} is bounded by {@code "timestamp"} with plain comparisons, which
 * DuckDB turns into row-group pruning (its zone maps: rows are loaded roughly in time order) and
 * Redshift into block skipping on its sort key. It runs on DuckDB and PostgreSQL; Redshift's
 * variant (date arithmetic) is generated but not run here.
 */
final class ServeSql {

    static final String TS = "\"timestamp\"";
    static final String EVENT = "\"event\"";
    static final String PLATFORM = "context_device_type";
    static final String DEVICE = "anonymous_id";
    static final String IN_RANGE = TS + " >= ? AND " + TS + " < ?";

    /**
     * When a row reached the pipeline, by the pipeline's own clocks (as the static report measures it):
     * the queue's acceptance, else the consumer's receipt, else the load. Never a client-sent time.
     */
    static final String ARRIVAL = "coalesce(queued_at, consumed_at, loaded_at)";

    /**
     * Where the dashboard's row counts come from: {@code events} itself, or the counts per UTC hour,
     * event and platform that every load keeps ({@link Schema#HOURLY_COUNTS}), which answer any range of
     * whole days exactly from a few thousand rows.
     *
     * @param time  the column a range bounds
     * @param inner what each row adds, as a column {@code n} of {@link #counts}'s inner query ("" when every row is one)
     * @param count the total of a group, over the table or that inner query
     */
    record Counted(String table, String time, String inner, String count) {
        static final Counted EVENTS = new Counted(Schema.EVENTS, TS, "", "count(*)");
        static final Counted HOURLY = new Counted(Schema.HOURLY_COUNTS, "hour", ", n", "CAST(sum(n) AS BIGINT)");

        String inRange() {
            return time + " >= ? AND " + time + " < ?";
        }
    }

    /** Whether the loads' device activity exists in the schema connections read (created by schema version 4). */
    static final String ACTIVITY_EXISTS = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
            + "AND table_name = '" + DeviceActivity.MONTHS + "'";

    /** Whether the hourly counts exist in the schema connections read (created by schema version 3). */
    static final String HOURLY_EXISTS = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
            + "AND table_name = '" + Schema.HOURLY_COUNTS + "'";

    /**
     * The rows of a range by the hourly counts and by {@code events}, to use the counts only where they
     * agree: a row written into {@code events} by anything but a load is not in them.
     * Parameters: start, end, start, end.
     */
    static final String HOURLY_AGREES = "SELECT (SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM " + Schema.HOURLY_COUNTS
            + " WHERE " + Counted.HOURLY.inRange() + "), (SELECT count(*) FROM " + Schema.EVENTS + " WHERE " + IN_RANGE + ")";

    private final Dialect dialect;

    ServeSql(Dialect dialect) {
        this.dialect = dialect;
    }

    private static String platformFilter(boolean platform) {
        return platform ? " AND " + PLATFORM + " = ?" : "";
    }

    static String bucket(Granularity g, String column) {
        return "date_trunc('" + g.unit() + "', " + column + ")";
    }

    /** Event names and their rows in the range, most first. Parameters: start, end[, platform]. */
    String eventNames(Counted from, boolean platform) {
        return "SELECT " + EVENT + ", " + from.count() + " AS n FROM " + from.table() + " WHERE " + from.inRange() + platformFilter(platform)
                + " GROUP BY " + EVENT + " ORDER BY n DESC, " + EVENT;
    }

    /** Platforms and their rows in the range, most first. Parameters: start, end. */
    String platforms(Counted from) {
        return "SELECT " + PLATFORM + ", " + from.count() + " AS n FROM " + from.table() + " WHERE " + from.inRange()
                + " GROUP BY " + PLATFORM + " ORDER BY n DESC, " + PLATFORM;
    }

    /**
     * Rows per bucket, event and platform. The bucket of an hour, a day or a week is its index from the
     * first bucket's start (integer arithmetic on the epoch); a month's is its {@code date_trunc}. The
     * events are a semi-join against the names asked rather than {@code IN (?, ...)}: over 50,000,000 rows
     * DuckDB's {@code IN} compared each row's string with each name and took 1.19 s against 1.02 s
     * (see docs/BENCHMARKS.md).
     * Parameters: [the first bucket's start in epoch seconds (hour, day, week),] each event, start, end[, platform].
     */
    String counts(Counted from, Granularity g, int events, boolean platform) {
        String b = g.seconds().isPresent() ? bucketIndex(g.seconds().getAsLong(), from.time()) : bucket(g, from.time());
        return "SELECT b, ev, pl, " + from.count() + " FROM (SELECT " + b + " AS b, " + EVENT + " AS ev, " + PLATFORM + " AS pl" + from.inner()
                + " FROM " + from.table() + " WHERE " + EVENT + " IN (" + String.join(" UNION ALL ", Collections.nCopies(events, "SELECT ?"))
                + ") AND " + from.inRange() + platformFilter(platform) + ") r GROUP BY b, ev, pl";
    }

    /**
     * Which bucket of {@code seconds} a row's {@code column} falls in, counted from a bound start in
     * epoch seconds that is no later than the row (so the division never meets a negative number).
     * On DuckDB the microseconds as an integer: over 50,000,000 rows {@code date_trunc('week', ...)} made the
     * counts call 1.30 s, this 1.08 s. Elsewhere the epoch's seconds, floored: the same index.
     */
    String bucketIndex(long seconds, String column) {
        if (dialect.name().equals("duckdb")) {
            return "CAST((epoch_us(" + column + ") - CAST(? AS BIGINT) * 1000000) // " + seconds * 1_000_000 + " AS INTEGER)";
        }
        return "CAST(floor((extract(epoch FROM " + column + ") - ?) / " + seconds + ") AS INTEGER)";
    }

    /**
     * Distinct devices per bucket of {@code plan}, one column each, in one row: the range's rows grouped
     * once by device into day bits, then per bucket the devices with any of its bits (see {@link ActiveDays}).
     * Parameters: each column's bits in order (a BIGINT per mask it touches), then the range's start in
     * epoch seconds, start, end[, platform].
     */
    String activeDevices(ActiveDays plan, boolean platform) {
        String day = "CAST((extract(epoch FROM " + bucket(Granularity.DAY, TS) + ") - ?) / 86400 AS INTEGER)";
        StringBuilder sql = new StringBuilder("SELECT ");
        List<ActiveDays.Column> columns = plan.columns();
        for (int c = 0; c < columns.size(); c++) {
            sql.append(c > 0 ? ", " : "").append("count(CASE WHEN ");
            int terms = 0;
            for (int mask : columns.get(c).bits().keySet()) {
                sql.append(terms++ > 0 ? " OR " : "").append("(m").append(mask).append(" & ?) <> 0");
            }
            sql.append(" THEN 1 END)");
        }
        sql.append(" FROM (SELECT ");
        for (int m = 0; m < plan.masks(); m++) {
            int low = m * ActiveDays.BITS;
            sql.append(m > 0 ? ", " : "").append("bit_or(CASE WHEN i >= ").append(low).append(" AND i < ").append(low + ActiveDays.BITS)
                    .append(" THEN CAST(1 AS BIGINT) << (i - ").append(low).append(") ELSE 0 END) AS m").append(m);
        }
        sql.append(" FROM (SELECT ").append(DEVICE).append(" AS device, ").append(day).append(" AS i FROM ").append(Schema.EVENTS)
                .append(" WHERE ").append(IN_RANGE).append(platformFilter(platform)).append(") r GROUP BY device) p");
        return sql.toString();
    }

    /**
     * The columns of {@code plan} counted from the loads' device activity ({@link DeviceActivity}), in
     * one row: the days and weeks from the weekly rows, grouped first by their day bits (at most 128
     * groups a week) so each column adds up a few groups instead of testing millions of rows; or the
     * months, each a count of its monthly rows with any of the range's days.
     * Parameters: each column's period start and days, then the first period's start, the range's end[, platform].
     */
    String activeKept(List<ActiveDays.Kept> columns, boolean monthly, boolean platform) {
        String table = monthly ? DeviceActivity.MONTHS : DeviceActivity.WEEKS;
        String scope = platform ? " AND scope = 1 AND platform = ?" : " AND scope = 0";
        String where = " WHERE period_start >= ? AND period_start < ?" + scope;
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int c = 0; c < columns.size(); c++) {
            sql.append(c > 0 ? ", " : "").append(monthly ? "count(CASE WHEN " : "coalesce(sum(CASE WHEN ")
                    .append("period_start = ? AND (days & ?) <> 0 THEN ").append(monthly ? "1 END)" : "n ELSE 0 END), 0)");
        }
        if (monthly) {
            return sql.append(" FROM ").append(table).append(where).toString();
        }
        return sql.append(" FROM (SELECT period_start, days, count(*) AS n FROM ").append(table).append(where)
                .append(" GROUP BY period_start, days) g").toString();
    }

    /**
     * Devices reaching each step of a funnel. A device enters at its first step-1 event in the range;
     * it reaches step k at its first step-k event after the time it reached step k-1 and no later than
     * the window after it entered. Later steps may fall after the range (up to its end plus the window).
     * The entered devices are joined once to the rows of all later steps inside their window ({@code c});
     * each later step then reads only those few rows. At 50,000,000 rows this took 0.86 s where a join
     * of {@code events} per step took 1.34 s; reading the range once into a CTE for all steps took 1.12 s,
     * as materializing its millions of rows cost more than a second scan (see docs/BENCHMARKS.md).
     * Parameters: step 1, start, end[, platform]; each later step, start, end + window, window seconds
     * [, platform]; each later step again.
     */
    String funnel(int steps, boolean platform) {
        StringBuilder sql = new StringBuilder("WITH s1 AS (SELECT " + DEVICE + " AS d, min(" + TS + ") AS t FROM " + Schema.EVENTS
                + " WHERE " + EVENT + " = ? AND " + IN_RANGE + platformFilter(platform) + " GROUP BY " + DEVICE + ")");
        if (steps > 1) {
            sql.append(", c AS (SELECT s1.d, x.").append(EVENT).append(" AS ev, x.").append(TS).append(" AS t FROM s1 JOIN ")
                    .append(Schema.EVENTS).append(" x ON x.").append(DEVICE).append(" = s1.d WHERE x.").append(EVENT).append(" IN (")
                    .append(marks(steps - 1)).append(") AND x.").append(TS).append(" >= ? AND x.").append(TS).append(" < ? AND x.")
                    .append(TS).append(" > s1.t AND x.").append(TS).append(" <= ").append(plusSeconds("s1.t"))
                    .append(platform ? " AND x." + PLATFORM + " = ?" : "").append(")");
            sql.append(", s2 AS (SELECT d, min(t) AS t FROM c WHERE ev = ? GROUP BY d)");
        }
        for (int k = 3; k <= steps; k++) {
            sql.append(", s").append(k).append(" AS (SELECT p.d, min(c.t) AS t FROM s").append(k - 1)
                    .append(" p JOIN c ON c.d = p.d AND c.t > p.t WHERE c.ev = ? GROUP BY p.d)");
        }
        sql.append(" SELECT ");
        for (int k = 1; k <= steps; k++) {
            sql.append(k > 1 ? ", " : "").append("(SELECT count(*) FROM s").append(k).append(")");
        }
        return sql.toString();
    }

    /** {@code expression} plus a bound number of seconds. */
    String plusSeconds(String expression) {
        if (dialect.name().equals("redshift")) {
            return "DATEADD(second, CAST(? AS INTEGER), " + expression + ")";
        }
        return "(" + expression + " + CAST(? AS INTEGER) * INTERVAL '1 second')";
    }

    /** Files, rows in them and the latest load, from the ledger (one row per file: cheap). */
    static final String LEDGER_TOTALS = "SELECT count(*), CAST(coalesce(sum(row_count), 0) AS BIGINT), "
            + "CAST(coalesce(sum(duplicates_skipped), 0) AS BIGINT), max(loaded_at) FROM " + Schema.LEDGER;

    /** The newest arrival among rows loaded since a time (DuckDB prunes by {@code loaded_at}: rows are appended as loaded). */
    static final String NEWEST_ARRIVAL_LOADED_SINCE = "SELECT max(" + ARRIVAL + ") FROM " + Schema.EVENTS + " WHERE loaded_at >= ?";

    static final String NEWEST_ARRIVAL = "SELECT max(" + ARRIVAL + ") FROM " + Schema.EVENTS;

    /** Files and rows loaded per bucket of load time. Parameters: start, end. */
    static String loads(Granularity g) {
        String b = bucket(g, "loaded_at");
        return "SELECT " + b + ", count(*), CAST(sum(row_count) AS BIGINT) FROM " + Schema.LEDGER
                + " WHERE loaded_at >= ? AND loaded_at < ? GROUP BY " + b;
    }

    /** The latest job runs, newest first. */
    static final String JOB_RUNS = "SELECT job, started, finished, status, detail FROM " + Schema.JOB_RUNS
            + " ORDER BY started DESC, id DESC LIMIT 20";

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
