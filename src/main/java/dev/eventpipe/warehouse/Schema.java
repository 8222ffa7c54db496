package dev.eventpipe.warehouse;

import dev.eventpipe.event.EventField;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 */
public final class Schema {

    public static final String EVENTS = "events";
    public static final String LEDGER = "eventpipe_loaded_files";
    public static final String JOB_RUNS = "eventpipe_job_runs";
    public static final String VERSION_TABLE = "eventpipe_schema";
    /** The temporary table a load stages its files in. */
    public static final String STAGE = "eventpipe_stage";
    public static final int VERSION = 1;

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

    /** The DDL of schema version 1. */
    static List<String> version1(Dialect d) {
        List<String> ddl = new ArrayList<>();
        List<String> defs = new ArrayList<>();
        for (EventField f : EventField.values()) {
            String def = d.quote(f.jsonName()) + " " + d.columnType(f);
            if (f.required()) {
                def += " NOT NULL";
            }
            defs.add(def);
        }
        defs.add(d.quote(EventField.EXTRA) + " " + d.textType());
        defs.add("loaded_at TIMESTAMP NOT NULL");
        defs.add("source_file " + d.textType(1024) + " NOT NULL");
        if (d.primaryKeyOnEvents()) {
            defs.add("PRIMARY KEY (" + d.quote("id") + ")");
        }
        ddl.add("CREATE TABLE IF NOT EXISTS " + EVENTS + " (" + String.join(", ", defs) + ")" + d.eventsTableOptions());
        ddl.add("CREATE TABLE IF NOT EXISTS " + LEDGER + " (file_key " + d.textType(1024) + " NOT NULL PRIMARY KEY, "
                + "row_count BIGINT NOT NULL, duplicates_skipped BIGINT, loaded_at TIMESTAMP NOT NULL)");
        ddl.add("CREATE TABLE IF NOT EXISTS " + JOB_RUNS + " (id BIGINT NOT NULL PRIMARY KEY, job " + d.textType(64)
                + " NOT NULL, started TIMESTAMP NOT NULL, finished TIMESTAMP, status " + d.textType(16)
                + " NOT NULL, detail " + d.textType(4096) + ")");
        return ddl;
    }

    /** Creates or migrates the schema; returns what was done. */
    static List<String> ensure(Connection c, Dialect d) throws SQLException {
        List<String> done = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)");
            int current = 0;
            try (ResultSet rs = st.executeQuery("SELECT max(version) FROM " + VERSION_TABLE)) {
                if (rs.next()) {
                    current = rs.getInt(1);
                }
            }
            if (current > VERSION) {
                throw new WarehouseException("the warehouse schema is version " + current + ", newer than this eventpipe ("
                        + VERSION + "): upgrade eventpipe", null);
            }
            if (current == VERSION) {
                done.add(d.name() + " schema version " + VERSION + " unchanged");
                return done;
            }
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                for (int v = current + 1; v <= VERSION; v++) {
                    for (String sql : migration(d, v)) {
                        st.execute(sql);
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + VERSION_TABLE + " VALUES (?, ?)")) {
                        ps.setInt(1, v);
                        ps.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
                        ps.executeUpdate();
                    }
                    done.add(d.name() + " schema version " + v + (v == 1 ? " created" : " applied"));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
        return done;
    }

    /** The statements that take the schema from version {@code v - 1} to {@code v}. */
    static List<String> migration(Dialect d, int v) {
        if (v == 1) {
            return version1(d);
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
