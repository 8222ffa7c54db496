package dev.eventpipe.report;

import dev.eventpipe.warehouse.Schema;
import dev.eventpipe.warehouse.Warehouse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's SQL. It runs unchanged on DuckDB, PostgreSQL and Redshift: {@code CAST(... AS DATE)},
 * {@code date_trunc('hour', ...)}, {@code count(DISTINCT ...)} and {@code SUM(CASE ...)} (Redshift
 * has no {@code FILTER}); sums are cast to BIGINT (DuckDB would return HUGEINT). Every value, event
 * names and time bounds alike, is a bound parameter; time bounds are {@link Timestamp}s of UTC
 * instants (the JVM runs in UTC, and the columns hold UTC wall times).
 */
final class KpiQueries {

    /** The funnel's first and last step. */
    static final String FUNNEL_FROM = "registration_initiated";
    static final String FUNNEL_TO = "submission_success";

    private static final String DAY = "CAST(\"timestamp\" AS DATE)";
    private static final String HOUR = "date_trunc('hour', \"timestamp\")";
    private static final String IN_RANGE = "\"timestamp\" >= ? AND \"timestamp\" < ?";

    static final String EVENT_PER_DAY_AND_PLATFORM = "SELECT " + DAY + ", context_device_type, count(*) FROM "
            + Schema.EVENTS + " WHERE \"event\" = ? AND " + IN_RANGE + " GROUP BY " + DAY + ", context_device_type";

    static final String DEVICES_PER_DAY_AND_PLATFORM = "SELECT " + DAY + ", context_device_type, count(DISTINCT anonymous_id) FROM "
            + Schema.EVENTS + " WHERE " + IN_RANGE + " GROUP BY " + DAY + ", context_device_type";

    static final String FUNNEL_PER_DAY = "SELECT " + DAY + ", "
            + "CAST(SUM(CASE WHEN \"event\" = ? THEN 1 ELSE 0 END) AS BIGINT), "
            + "CAST(SUM(CASE WHEN \"event\" = ? THEN 1 ELSE 0 END) AS BIGINT) FROM " + Schema.EVENTS
            + " WHERE \"event\" IN (?, ?) AND " + IN_RANGE + " GROUP BY " + DAY;

    static final String EVENTS_PER_HOUR = "SELECT " + HOUR + ", count(*) FROM " + Schema.EVENTS
            + " WHERE " + IN_RANGE + " GROUP BY " + HOUR;

    /** From the ledger (one row per file, so cheap): rows the files held, by the hour they were loaded. */
    static final String ROWS_LOADED_PER_HOUR = "SELECT date_trunc('hour', loaded_at), CAST(SUM(row_count) AS BIGINT) FROM "
            + Schema.LEDGER + " WHERE loaded_at >= ? AND loaded_at < ? GROUP BY date_trunc('hour', loaded_at)";

    static final String TODAY = "SELECT count(*), count(DISTINCT anonymous_id) FROM " + Schema.EVENTS + " WHERE " + IN_RANGE;

    /**
     * The only read without a time range, and a cheap one: the row count and the ledger (one row per
     * file), in one statement so both come from one snapshot. Not {@link Warehouse#stats()}, whose
     * {@code count(DISTINCT id)} over every row the report does not show (1.1 s of a 2.4 s report on
     * 5,000,000 rows in DuckDB).
     */
    static final String TOTALS = "SELECT (SELECT count(*) FROM " + Schema.EVENTS + "), count(*), "
            + "CAST(coalesce(sum(row_count), 0) AS BIGINT), max(loaded_at) FROM " + Schema.LEDGER;

    /**
     * When a row reached the pipeline, by the pipeline's own clocks: the queue's acceptance, else the
     * consumer's receipt (rows from before those were stamped have neither), else its load. Never a
     * client-sent time: a device's clock, or a hostile client, would move the lag.
     */
    private static final String ARRIVAL = "coalesce(queued_at, consumed_at, loaded_at)";

    static final String NEWEST_ARRIVAL = "SELECT max(" + ARRIVAL + ") FROM " + Schema.EVENTS;

    /**
     * The same over the rows loaded since a time: an engine with block zone maps (Redshift) skips
     * older blocks. DuckDB is as fast either way (23 and 25 ms on 5,000,000 rows).
     */
    static final String NEWEST_ARRIVAL_LOADED_SINCE = NEWEST_ARRIVAL + " WHERE loaded_at >= ?";

    private final Warehouse warehouse;

    KpiQueries(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    /** Reads everything one report shows. */
    ReportData collect(ReportWindow window, List<String> reportEvents, int jobRunsPerJob) {
        Map<String, DailyCounts> perEvent = new LinkedHashMap<>();
        for (String event : reportEvents) {
            perEvent.put(event, eventPerDay(window, event));
        }
        DailyConversion funnel = funnel(window);
        return new ReportData(window, perEvent, activeDevices(window), funnel, eventsPerHour(window),
                rowsLoadedPerHour(window), headline(window, funnel), warehouse.lastJobRuns(jobRunsPerJob));
    }

    DailyCounts eventPerDay(ReportWindow w, String event) {
        return DailyCounts.of(w.days(), warehouse.query(EVENT_PER_DAY_AND_PLATFORM,
                List.of(event, ts(w.daysFrom()), ts(w.daysTo())), KpiQueries::dayRow));
    }

    DailyCounts activeDevices(ReportWindow w) {
        return DailyCounts.of(w.days(), warehouse.query(DEVICES_PER_DAY_AND_PLATFORM,
                List.of(ts(w.daysFrom()), ts(w.daysTo())), KpiQueries::dayRow));
    }

    DailyConversion funnel(ReportWindow w) {
        Map<LocalDate, long[]> byDay = new HashMap<>();
        warehouse.query(FUNNEL_PER_DAY, List.of(FUNNEL_FROM, FUNNEL_TO, FUNNEL_FROM, FUNNEL_TO, ts(w.daysFrom()), ts(w.daysTo())),
                rs -> byDay.put(rs.getDate(1).toLocalDate(), new long[] {rs.getLong(2), rs.getLong(3)}));
        List<Long> started = w.days().stream().map(d -> byDay.getOrDefault(d, new long[2])[0]).toList();
        List<Long> completed = w.days().stream().map(d -> byDay.getOrDefault(d, new long[2])[1]).toList();
        return new DailyConversion(w.days(), started, completed);
    }

    HourlyCounts eventsPerHour(ReportWindow w) {
        return perHour(EVENTS_PER_HOUR, w);
    }

    HourlyCounts rowsLoadedPerHour(ReportWindow w) {
        return perHour(ROWS_LOADED_PER_HOUR, w);
    }

    private HourlyCounts perHour(String sql, ReportWindow w) {
        Map<Instant, Long> byHour = new HashMap<>();
        warehouse.query(sql, List.of(ts(w.hoursFrom()), ts(w.hoursTo())),
                rs -> byHour.put(rs.getTimestamp(1).toInstant(), rs.getLong(2)));
        return HourlyCounts.of(w.hours(), byHour);
    }

    Headline headline(ReportWindow w, DailyConversion funnel) {
        long[] today = warehouse.query(TODAY, List.of(ts(w.todayFrom()), ts(w.daysTo())),
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}).get(0);
        Totals totals = warehouse.query(TOTALS, List.of(),
                rs -> new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), instant(rs, 4))).get(0);
        Instant arrival = newestArrival(w);
        Duration lag = arrival == null ? null : Duration.between(arrival, w.now());
        return new Headline(totals.rows(), today[0], today[1], funnel.percent(w.today()).orElse(null), lag,
                totals.rowsInFiles(), totals.files(), totals.rowsInFiles() - totals.rows(), totals.lastLoad(), arrival);
    }

    /** Rows in {@code events}; files in the ledger, the rows they held and the latest load. */
    private record Totals(long rows, long files, long rowsInFiles, Instant lastLoad) {
    }

    /**
     * The newest arrival of any row, or null when there is none. Reads only the rows loaded within
     * the hourly window when one of them arrived within it: a row loaded before the window arrived
     * before its load, so no older row can be newer. Otherwise (nothing loaded lately) reads them all.
     */
    Instant newestArrival(ReportWindow w) {
        Instant recent = warehouse.query(NEWEST_ARRIVAL_LOADED_SINCE, List.of(ts(w.hoursFrom())), rs -> instant(rs, 1)).get(0);
        if (recent != null && !recent.isBefore(w.hoursFrom())) {
            return recent;
        }
        return warehouse.query(NEWEST_ARRIVAL, List.of(), rs -> instant(rs, 1)).get(0);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static DailyCounts.Row dayRow(ResultSet rs) throws SQLException {
        String key = rs.getString(2);
        return new DailyCounts.Row(rs.getDate(1).toLocalDate(), key == null || key.isBlank() ? "unknown" : key, rs.getLong(3));
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}
