package dev.eventpipe.warehouse;

import dev.eventpipe.event.EventField;
import dev.eventpipe.store.ObjectStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that differs between warehouse engines: column types, how files are bulk-staged, and
 * the load lock. {@link JdbcWarehouse} does the rest with SQL all of them speak.
 */
public interface Dialect {

    /** {@code duckdb}, {@code postgres} or {@code redshift}. */
    String name();

    /** The column type of an event field. */
    String columnType(EventField field);

    /** Unbounded (or the largest) text. */
    String textType();

    /** Text up to {@code chars} characters. */
    default String textType(int chars) {
        return textType();
    }

    /** Clauses after the events table's column list (Redshift: distribution and sort keys). */
    default String eventsTableOptions() {
        return "";
    }

    /**
     * Indexes of {@code events} beyond its key. Every load pass finds its own rows by {@code loaded_at}
     * (rows per file, hourly counts, device activity) and the freshness figures read the latest ones:
     * DuckDB and Redshift skip the rest by their per-block minimum and maximum (rows are appended in
     * load order), PostgreSQL needs an index or scans the whole table each time.
     */
    default List<String> eventsIndexes() {
        return List.of();
    }

    /** Whether {@code events.id} gets an enforced primary key (an index used by the duplicate check). */
    default boolean primaryKeyOnEvents() {
        return true;
    }

    /**
     * Loads the events of {@code fileKeys} into {@code events} inside the caller's transaction, in
     * bulk: a row whose id is already stored, or came earlier in the batch (by file), is skipped.
     * New rows are stamped {@code loadedAt}.
     *
     * @return the rows of each file, and the rows inserted per file (null where the engine cannot tell)
     * @throws UnreadableFileException naming the first file that cannot be read
     */
    LoadedRows loadFiles(Connection c, List<String> fileKeys, ObjectStore store, Timestamp loadedAt) throws SQLException;

    /** Rows per file in a batch, and rows inserted per file (null when unknown per file). */
    record LoadedRows(Map<String, Long> rows, Map<String, Long> inserted) {
    }

    /**
     * Statements that change columns of {@code table} inside the caller's transaction, keeping every
     * value: each to its target type, and without NOT NULL where the change says so.
     */
    default List<String> changeColumns(String table, List<ColumnDef.Change> changes) {
        List<String> out = new ArrayList<>();
        for (ColumnDef.Change change : changes) {
            String column = quote(change.target().name());
            String type = change.target().type();
            if (change.retype()) {
                out.add("ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE " + type + " USING CAST(" + column + " AS " + type + ")");
            }
            if (change.dropNotNull()) {
                out.add("ALTER TABLE " + table + " ALTER COLUMN " + column + " DROP NOT NULL");
            }
        }
        return out;
    }

    /**
     * Statements that add {@code column} to {@code table} inside the caller's transaction; the rows
     * already there get {@code fill} (a SQL literal), or null when {@code fill} is null.
     *
     * @throws IllegalArgumentException for a NOT NULL column without a fill
     */
    default List<String> addColumn(String table, ColumnDef column, String fill) {
        String add = "ALTER TABLE " + table + " ADD COLUMN " + quote(column.name()) + " " + column.type();
        if (fill == null) {
            if (column.notNull()) {
                throw new IllegalArgumentException("NOT NULL column '" + column.name() + "' needs a value for the rows already there");
            }
            return List.of(add);
        }
        String name = quote(column.name());
        List<String> out = new ArrayList<>();
        out.add(add + " DEFAULT " + fill);
        if (column.notNull()) {
            out.add("ALTER TABLE " + table + " ALTER COLUMN " + name + " SET NOT NULL");
        }
        // eventpipe writes the column on every insert: a default would only hide a writer that forgot it.
        out.add("ALTER TABLE " + table + " ALTER COLUMN " + name + " DROP DEFAULT");
        return out;
    }

    /** The statement that puts a primary key on {@code column} of {@code table}. */
    default String addPrimaryKey(String table, String column) {
        return "ALTER TABLE " + table + " ADD PRIMARY KEY (" + quote(column) + ")";
    }

    /**
     * Statements that OR the {@code days} of each row of {@code stage} into the row of {@code table} with
     * the same {@code keys}, and insert the rows {@code table} lacks: an UPDATE joined to the stage, then
     * an INSERT of the keys not found (plain SQL on every engine; where {@code table} has a key, both
     * find their rows by it).
     */
    default List<String> orDays(String table, String stage, List<String> keys) {
        String match = keys.stream().map(k -> "t." + k + " = s." + k).collect(java.util.stream.Collectors.joining(" AND "));
        String cols = String.join(", ", keys) + ", days";
        return List.of(
                "UPDATE " + table + " t SET days = t.days | s.days FROM " + stage + " s WHERE " + match,
                "INSERT INTO " + table + " (" + cols + ") SELECT " + cols + " FROM " + stage + " s WHERE NOT EXISTS (SELECT 1 FROM "
                        + table + " t WHERE " + match + ")");
    }

    /** Statements that keep every other writer and reader off {@code table} until the transaction ends (none where the engine has one writer). */
    default List<String> lockTable(String table) {
        return List.of();
    }

    /** Locks the ledger for the rest of the transaction, where the engine can; a concurrent load then waits. */
    default void lockLedger(Connection c) throws SQLException {
    }

    /** Takes the lock of a load pass; empty when another pass holds it. */
    Optional<Warehouse.LoadLock> tryLoadLock(ConnectionSource connections) throws SQLException;

    /**
     * Whether a failure of this engine may pass if the same work is tried again later (another
     * process holds a lock, the connection was lost, a serialization conflict), walking the cause
     * chain. Everything else (syntax, permission, a missing table, bad data) is fatal. The one place
     * that decides, so no caller reads an engine's error text.
     */
    boolean isRetriable(SQLException e);

    /** Quotes an identifier ({@code timestamp} is a keyword in several engines). */
    default String quote(String identifier) {
        return "\"" + identifier + "\"";
    }

    /** Opens connections. */
    @FunctionalInterface
    interface ConnectionSource {
        Connection open() throws SQLException;
    }
}
