package dev.eventpipe.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A table as the engine describes it in {@code information_schema} (DuckDB, PostgreSQL and Redshift
 * all have it), in the connection's current schema: its columns in order and its primary key.
 *
 * @param columns    by lower-case name, in order; empty when the table does not exist
 * @param primaryKey the primary key's columns, lower case; empty when it has none
 */
record TableShape(Map<String, Found> columns, List<String> primaryKey) {

    /**
     * One column found.
     *
     * @param dataType {@code information_schema.columns.data_type} ({@code character varying}, {@code INTEGER}, ...)
     * @param width    {@code character_maximum_length}, or 0 when unbounded or not text
     */
    record Found(String name, String dataType, int width, boolean notNull) {

        /** The type as DDL can repeat it: {@code character varying(36)}, {@code integer}. */
        String sqlType() {
            return dataType.toLowerCase(Locale.ROOT) + (width > 0 ? "(" + width + ")" : "");
        }
    }

    TableShape {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        primaryKey = List.copyOf(primaryKey);
    }

    boolean exists() {
        return !columns.isEmpty();
    }

    /** Reads {@code table} of the current schema. */
    static TableShape read(Connection c, String table) throws SQLException {
        Map<String, Found> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type, character_maximum_length, is_nullable "
                + "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    columns.put(name.toLowerCase(Locale.ROOT),
                            new Found(name, rs.getString(2), rs.getInt(3), "NO".equalsIgnoreCase(rs.getString(4))));
                }
            }
        }
        List<String> key = new ArrayList<>();
        if (!columns.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT k.column_name FROM information_schema.table_constraints t "
                    + "JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name "
                    + "AND k.table_schema = t.table_schema AND k.table_name = t.table_name "
                    + "WHERE t.table_schema = current_schema() AND t.table_name = ? AND t.constraint_type = 'PRIMARY KEY' "
                    + "ORDER BY k.ordinal_position")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        key.add(rs.getString(1).toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return new TableShape(columns, key);
    }
}
