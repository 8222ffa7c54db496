package dev.eventpipe.warehouse;

import dev.eventpipe.event.EventField;
import dev.eventpipe.store.ObjectStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
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

    /** Whether {@code events.id} gets an enforced primary key (an index used by the duplicate check). */
    default boolean primaryKeyOnEvents() {
        return true;
    }

    /**
     * Creates the temporary table {@link Schema#STAGE} (the event columns and {@code source_file})
     * and fills it with the rows of {@code fileKeys}, in bulk.
     *
     * @return the rows of each file
     * @throws UnreadableFileException naming the first file that cannot be read
     */
    Map<String, Long> stage(Connection c, List<String> fileKeys, ObjectStore store) throws SQLException;

    /**
     * Inserts the staged rows whose id is new (the first of equal ids in the batch wins) into
     * {@code events}, stamped {@code loadedAt}.
     *
     * @return the rows inserted per file, or null when the engine cannot tell per file
     */
    default Map<String, Long> insertNew(Connection c, Timestamp loadedAt) throws SQLException {
        return Schema.insertNewGeneric(c, this, loadedAt);
    }

    /** Locks the ledger for the rest of the transaction, where the engine can; a concurrent load then waits. */
    default void lockLedger(Connection c) throws SQLException {
    }

    /** Takes the lock of a load pass; empty when another pass holds it. */
    Optional<Warehouse.LoadLock> tryLoadLock(ConnectionSource connections) throws SQLException;

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
