package dev.eventpipe.warehouse;

import dev.eventpipe.event.EventField;
import dev.eventpipe.event.FieldType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The warehouse schema (DESIGN.md): {@code events} (the event fields, {@code extra},
 * {@code loaded_at}, {@code source_file}), {@code eventpipe_loaded_files}, {@code eventpipe_job_runs},
 * and {@code eventpipe_schema}, which records the version so later changes can migrate.
 *
 * <p>Versions: 1 (eventpipe 0.1) had {@code context_traits_language}; 2 has the prototype's name for
 * it, {@code context_traits_taxfix_language}, and {@code context_device_token}, {@code queued_at},
 * {@code consumed_at}; 3 adds {@code eventpipe_hourly_counts}; 4 adds the devices' activity per
 * week and month ({@link DeviceActivity}); 5 indexes {@code events.loaded_at} where the engine needs an
 * index to find a load's rows (PostgreSQL; see {@link Dialect#eventsIndexes()}).
 */
public final class Schema {

    public static final String EVENTS = "events";
    public static final String LEDGER = "eventpipe_loaded_files";
    public static final String JOB_RUNS = "eventpipe_job_runs";
    public static final String VERSION_TABLE = "eventpipe_schema";
    /** The temporary table a load stages its files in. */
    public static final String STAGE = "eventpipe_stage";
    /** Where adopting a table with repeated ids moves every row of an id but the first. */
    public static final String ADOPTED_DUPLICATES = "eventpipe_prototype_duplicates";
    /**
     * The {@code source_file} of rows that were in an {@code events} table eventpipe adopted (the
     * original prototype's), and the key of their entry in the ledger.
     */
    public static final String ADOPTED_SOURCE = "prototype:events";
    /**
     * Rows of {@code events} per UTC hour, event and platform, kept by each load in the transaction that
     * inserts the rows (see {@link #hourlyCountsUpdate}): the dashboard's counts over any whole hours,
     * days, weeks or months add up a few thousand of these instead of scanning millions of rows.
     */
    public static final String HOURLY_COUNTS = "eventpipe_hourly_counts";
    /** The index of {@code events.loaded_at}, where the engine needs one (see {@link Dialect#eventsIndexes()}). */
    public static final String EVENTS_LOADED_AT_INDEX = "eventpipe_events_loaded_at";
    /** The temporary table a load adds up its hours in. */
    static final String HOURLY_STAGE = "eventpipe_hourly_stage";
    public static final int VERSION = 5;

    private Schema() {
    }

    /** The staged and stored event columns, in order: the event fields, then {@code extra}. */
    public static List<String> eventColumns() {
        List<String> cols = new ArrayList<>();
        for (EventField f : EventField.values()) {
            cols.add(f.jsonName());
        }
        cols.add(EventField.EXTRA);
        return cols;
    }

    public static String columnList(Dialect d, String prefix) {
        return eventColumns().stream().map(c -> prefix + d.quote(c)).collect(Collectors.joining(", "));
    }

    /** Column definitions of the event columns plus {@code source_file}: the staging table's shape. */
    public static String stageColumns(Dialect d) {
        List<String> defs = new ArrayList<>();
        for (EventField f : EventField.values()) {
            defs.add(d.quote(f.jsonName()) + " " + d.columnType(f));
        }
        defs.add(d.quote(EventField.EXTRA) + " " + d.textType());
        defs.add("source_file " + d.textType(1024));
        return String.join(", ", defs);
    }

    /** The columns of {@code events} in this version, as {@code d} declares them, in order. */
    public static List<ColumnDef> eventsTable(Dialect d) {
        List<ColumnDef> cols = new ArrayList<>();
        for (EventField f : EventField.values()) {
            cols.add(field(d, f));
        }
        cols.add(new ColumnDef(EventField.EXTRA, d.textType(), FieldType.TEXT, false));
        cols.add(new ColumnDef("loaded_at", "TIMESTAMP", FieldType.TIMESTAMP, true));
        cols.add(new ColumnDef("source_file", d.textType(1024), FieldType.TEXT, true));
        return cols;
    }

    private static ColumnDef field(Dialect d, EventField f) {
        return new ColumnDef(f.jsonName(), d.columnType(f), f.type(), f.required());
    }

    /** The DDL of a new warehouse at this version. */
    public static List<String> create(Dialect d) {
        List<String> defs = new ArrayList<>();
        for (ColumnDef c : eventsTable(d)) {
            defs.add(c.definition(d));
        }
        if (d.primaryKeyOnEvents()) {
            defs.add("PRIMARY KEY (" + d.quote("id") + ")");
        }
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TABLE IF NOT EXISTS " + EVENTS + " (" + String.join(", ", defs) + ")" + d.eventsTableOptions());
        ddl.addAll(d.eventsIndexes());
        ddl.addAll(supportTables(d));
        ddl.addAll(hourlyCounts(d));
        ddl.addAll(DeviceActivity.create(d));
        return ddl;
    }

    /**
     * {@link #HOURLY_COUNTS}, where missing, counted from the rows {@code events} holds now: a new
     * warehouse (none), an upgraded or an adopted one (one {@code GROUP BY} over them, in the
     * migration's transaction: 2.2 s for 50,000,000 rows on DuckDB, 2 cores).
     */
    static List<String> hourlyCounts(Dialect d) {
        return List.of("CREATE TABLE IF NOT EXISTS " + HOURLY_COUNTS + " (" + hourlyColumns(d) + ")", hourlyBackfill(d));
    }

    /** Counts every row of {@code events} into {@link #HOURLY_COUNTS} if it is empty (for a warehouse filled by other means). */
    public static String hourlyBackfill(Dialect d) {
        return "INSERT INTO " + HOURLY_COUNTS + " (hour, " + d.quote("event") + ", context_device_type, n) "
                + hourlyOf(d, "") + " AND NOT EXISTS (SELECT 1 FROM " + HOURLY_COUNTS + ")" + hourlyGroups(d);
    }

    private static String hourlyGroups(Dialect d) {
        return " GROUP BY date_trunc('hour', " + d.quote("timestamp") + "), " + d.quote("event") + ", context_device_type";
    }

    private static String hourlyColumns(Dialect d) {
        return "hour TIMESTAMP NOT NULL, " + d.quote("event") + " " + d.columnType(EventField.EVENT) + ", context_device_type "
                + d.columnType(EventField.CONTEXT_DEVICE_TYPE) + ", n BIGINT NOT NULL";
    }

    /** The counts of the rows of {@code events} that match {@code filter} (" AND ..."), without its GROUP BY. */
    private static String hourlyOf(Dialect d, String filter) {
        String ts = d.quote("timestamp");
        return "SELECT date_trunc('hour', " + ts + "), " + d.quote("event") + ", context_device_type, count(*) FROM " + EVENTS
                + " WHERE " + ts + " IS NOT NULL" + filter;
    }

    /**
     * Adds the rows a load stamped {@code loaded_at} (parameter 1) to {@link #HOURLY_COUNTS}, inside the
     * load's transaction: each hour the load touched is replaced by its old counts plus the new ones. A
     * file's rows are counted once because they are stamped once: a file already in the ledger is not
     * loaded again, and rows skipped as repeated ids were never stamped with this load's time.
     */
    public static List<String> hourlyCountsUpdate(Dialect d) {
        String cols = "hour, " + d.quote("event") + ", context_device_type";
        return List.of(
                "CREATE TEMP TABLE " + HOURLY_STAGE + " (" + hourlyColumns(d) + ")",
                "INSERT INTO " + HOURLY_STAGE + " (" + cols + ", n) " + hourlyOf(d, " AND loaded_at = ?") + hourlyGroups(d),
                "INSERT INTO " + HOURLY_STAGE + " (" + cols + ", n) SELECT " + cols + ", n FROM " + HOURLY_COUNTS
                        + " WHERE hour IN (SELECT DISTINCT hour FROM " + HOURLY_STAGE + ")",
                "DELETE FROM " + HOURLY_COUNTS + " WHERE hour IN (SELECT DISTINCT hour FROM " + HOURLY_STAGE + ")",
                "INSERT INTO " + HOURLY_COUNTS + " (" + cols + ", n) SELECT " + cols + ", sum(n) FROM " + HOURLY_STAGE
                        + " GROUP BY " + cols,
                "DROP TABLE " + HOURLY_STAGE);
    }

    /** The ledger, the job history and the version table, where missing. */
    static List<String> supportTables(Dialect d) {
        return List.of(
                "CREATE TABLE IF NOT EXISTS " + LEDGER + " (file_key " + d.textType(1024) + " NOT NULL PRIMARY KEY, "
                        + "row_count BIGINT NOT NULL, duplicates_skipped BIGINT, loaded_at TIMESTAMP NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + JOB_RUNS + " (id BIGINT NOT NULL PRIMARY KEY, job " + d.textType(64)
                        + " NOT NULL, started TIMESTAMP NOT NULL, finished TIMESTAMP, status " + d.textType(16)
                        + " NOT NULL, detail " + d.textType(4096) + ")",
                "CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)");
    }

    /**
     * From version 1 to 2, every row kept: the prototype's column name for the language, its device
     * token, and the times the pipeline stamps (queue arrival, consumer receipt), null for old rows.
     */
    public static List<String> toVersion2(Dialect d) {
        List<String> sql = new ArrayList<>();
        sql.add("ALTER TABLE " + EVENTS + " RENAME COLUMN " + d.quote("context_traits_language") + " TO "
                + d.quote(EventField.CONTEXT_TRAITS_TAXFIX_LANGUAGE.jsonName()));
        for (EventField f : List.of(EventField.CONTEXT_DEVICE_TOKEN, EventField.QUEUED_AT, EventField.CONSUMED_AT)) {
            sql.addAll(d.addColumn(EVENTS, field(d, f), null));
        }
        return sql;
    }

    /** What each version changed, for the summary line. */
    static String describe(int version) {
        return switch (version) {
            case 2 -> "context_traits_language renamed to context_traits_taxfix_language; "
                    + "context_device_token, queued_at and consumed_at added";
            case 3 -> HOURLY_COUNTS + " added";
            case 4 -> DeviceActivity.WEEKS + " and " + DeviceActivity.MONTHS + " added";
            case 5 -> "events.loaded_at indexed where the engine needs an index to find a load's rows (PostgreSQL)";
            default -> "version " + version;
        };
    }

    /** The statements that take the schema from version {@code v - 1} to {@code v}. */
    static List<String> migration(Dialect d, int v) {
        if (v == 2) {
            return toVersion2(d);
        }
        if (v == 3) {
            return hourlyCounts(d);
        }
        if (v == 4) {
            return DeviceActivity.create(d);
        }
        if (v == 5) {
            return d.eventsIndexes();
        }
        throw new IllegalArgumentException("no migration to version " + v);
    }

    /** Rows of {@code events} stamped {@code loadedAt}, per file. */
    public static Map<String, Long> countByFile(Connection c, Timestamp loadedAt) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT source_file, count(*) FROM " + EVENTS + " WHERE loaded_at = ? GROUP BY source_file")) {
            ps.setTimestamp(1, loadedAt);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** The generic SQL text of the duplicate-skipping insert, for dialects that only generate it. */
    public static String insertNewSql(Dialect d, String loadedAtLiteral, String sourceFileExpression) {
        String cols = columnList(d, "");
        return "INSERT INTO " + EVENTS + " (" + cols + ", loaded_at, source_file) "
                + "SELECT " + cols + ", " + loadedAtLiteral + ", " + sourceFileExpression + " FROM ("
                + "SELECT s.*, ROW_NUMBER() OVER (PARTITION BY " + d.quote("id") + " ORDER BY " + d.quote("received_at") + ") AS eventpipe_rn "
                + "FROM " + STAGE + " s) t "
                + "WHERE eventpipe_rn = 1 AND NOT EXISTS (SELECT 1 FROM " + EVENTS + " e WHERE e." + d.quote("id") + " = t." + d.quote("id") + ")";
    }
}
