package dev.eventpipe.bench;

import dev.eventpipe.warehouse.Schema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Synthetic history for the flat-cost benchmarks, written by DuckDB itself from {@code range()}
 * (generating JSON files and loading them would take hours at these sizes): ledger rows of files
 * loaded long ago, and event rows in time order ending now, as a warehouse that has loaded for a
 * year holds them.
 */
public final class WarehouseSeed {

    private WarehouseSeed() {
    }

    /**
     * {@code files} ledger rows, one per file, one file a minute over the days before {@code until},
     * with keys shaped as the consumer names them.
     */
    public static void ledger(Connection c, long files, Instant until) throws SQLException {
        String start = timestamp(until.minus(Duration.ofMinutes(files + 1)));
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + Schema.LEDGER + " (file_key, row_count, duplicates_skipped, loaded_at) "
                    + "SELECT 'incoming/events/dt=' || strftime(" + start + " + to_minutes(i), '%Y-%m-%d') || '/seed-host-'"
                    + " || (i % 7) || '-' || lpad(CAST(i AS VARCHAR), 9, '0') || '.ndjson.gz', 1000, 0, "
                    + start + " + to_minutes(i) FROM range(" + files + ") t(i)");
        }
    }

    /**
     * {@code rows} events in time order over {@code days} days ending at {@code until}: 2,000 to 200,000
     * devices' worth of anonymous ids, 60% android, the funnel's two events among others, loaded a
     * minute after they happened.
     */
    public static void events(Connection c, long rows, int days, Instant until) throws SQLException {
        Instant from = until.minus(Duration.ofDays(days));
        double stepMicros = Duration.ofDays(days).toNanos() / 1000.0 / rows;
        Map<String, String> values = new LinkedHashMap<>();
        values.put("id", "'seed-' || CAST(i AS VARCHAR)");
        values.put("anonymous_id", "'anon-' || CAST(hash(i) % 200000 AS VARCHAR)");
        values.put("event", "CASE i % 20 WHEN 0 THEN 'registration_initiated' WHEN 1 THEN 'submission_success' "
                + "WHEN 2 THEN 'login' WHEN 3 THEN 'logout' ELSE 'screen_view' END");
        values.put("timestamp", "ts");
        values.put("original_timestamp", "CAST(ts AS TIMESTAMPTZ)");
        values.put("sent_at", "ts + INTERVAL 200 MILLISECOND");
        values.put("received_at", "ts + INTERVAL 300 MILLISECOND");
        values.put("context_device_type", "CASE WHEN hash(i) % 10 < 6 THEN 'android' ELSE 'ios' END");
        values.put("context_app_version", "'4.2.' || CAST(i % 10 AS VARCHAR)");
        values.put("context_locale", "'de-DE'");
        values.put("queued_at", "ts + INTERVAL 1 SECOND");
        values.put("consumed_at", "ts + INTERVAL 2 SECOND");
        values.put("loaded_at", "ts + INTERVAL 60 SECOND");
        values.put("source_file", "'incoming/events/dt=' || strftime(ts, '%Y-%m-%d') || '/seed-' || CAST(i // 5000 AS VARCHAR) || '.ndjson.gz'");
        String cols = String.join(", ", values.keySet().stream().map(k -> "\"" + k + "\"").toList());
        String select = values.values().stream().collect(Collectors.joining(", "));
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + Schema.EVENTS + " (" + cols + ") SELECT " + select + " FROM (SELECT i, " + timestamp(from)
                    + " + to_microseconds(CAST(i * " + stepMicros + " AS BIGINT)) AS ts FROM range(" + rows + ") t(i))");
        }
    }

    /** Writes everything into the database file itself (not its write-ahead log), so the file alone can be copied. */
    public static void checkpoint(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        }
    }

    private static String timestamp(Instant t) {
        return "TIMESTAMP '" + t.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString().replace('T', ' ').replace("Z", "") + "'";
    }
}
