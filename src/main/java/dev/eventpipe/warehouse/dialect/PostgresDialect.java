package dev.eventpipe.warehouse.dialect;

import dev.eventpipe.event.EventField;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.CopyText;
import dev.eventpipe.warehouse.Dialect;
import dev.eventpipe.warehouse.Schema;
import dev.eventpipe.warehouse.UnreadableFileException;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.WarehouseException;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * PostgreSQL: files are streamed by eventpipe (from a folder or S3), checked and turned into COPY
 * text, and sent with {@code COPY ... FROM STDIN} (pgjdbc {@code CopyManager}); {@code events} has a
 * primary key on {@code id}, which decides what is new. A session advisory lock keeps load passes apart.
 */
public final class PostgresDialect implements Dialect {

    /** The advisory lock key of load passes (any fixed number shared by every eventpipe). */
    static final int LOAD_LOCK_KEY = 0x65766e74;
    private static final Pattern COPY_LINE = Pattern.compile("COPY \\w+, line (\\d+)");
    /** Serialization failure, deadlock, too many connections, and the server shutting down, crashed or starting. */
    private static final Set<String> RETRIABLE_STATES = Set.of("40001", "40P01", "53300", "57P01", "57P02", "57P03");

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String columnType(EventField field) {
        return switch (field.type()) {
            case TEXT -> "varchar(" + field.maxLength() + ")";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMP_TZ -> "timestamptz";
            case BOOLEAN -> "boolean";
        };
    }

    @Override
    public String textType() {
        return "text";
    }

    /** {@code loaded_at}: without it each load pass scanned all of {@code events} three times (1.5 s each at 5,000,000 rows). */
    @Override
    public List<String> eventsIndexes() {
        return List.of("CREATE INDEX IF NOT EXISTS " + Schema.EVENTS_LOADED_AT_INDEX + " ON " + Schema.EVENTS + " (loaded_at)");
    }

    /**
     * Connection failures (SQLState class 08: refused, lost, broken), serialization failures and
     * deadlocks (40001, 40P01), too many connections (53300), and a server shutting down or starting
     * (57P01-57P03) pass on a later try; syntax (42601), permission (42501), a missing table (42P01)
     * or bad data (22xxx, 23xxx) do not.
     */
    @Override
    public boolean isRetriable(SQLException e) {
        return retriableState(e);
    }

    /** PostgreSQL's SQLStates, which Redshift shares. */
    static boolean retriableState(SQLException e) {
        for (Throwable t : Errors.chain(e)) {
            String state = t instanceof SQLException s ? s.getSQLState() : null;
            if (state != null && (state.startsWith("08") || RETRIABLE_STATES.contains(state))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The rows go straight into {@code events} by COPY, under a savepoint: for a batch with no id seen
     * before (nearly all) that is the whole load. If the primary key refuses a row, the batch goes
     * the longer way: COPY into a temporary table, then insert the new ids with ON CONFLICT.
     */
    @Override
    public LoadedRows loadFiles(Connection c, List<String> fileKeys, ObjectStore store, Timestamp loadedAt) throws SQLException {
        String trailer = "\t" + loadedAt.toLocalDateTime().toString().replace('T', ' ');
        Savepoint direct = c.setSavepoint();
        try {
            Map<String, Long> rows = copy(c, Schema.EVENTS, ", loaded_at", fileKeys, store, trailer);
            c.releaseSavepoint(direct);
            return new LoadedRows(rows, rows);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(direct);
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE " + Schema.STAGE + " (" + Schema.stageColumns(this) + ") ON COMMIT DROP");
        }
        Map<String, Long> rows = copy(c, Schema.STAGE, "", fileKeys, store, "");
        return new LoadedRows(rows, insertNewFromStage(c, loadedAt));
    }

    private static final String UNIQUE_VIOLATION = "23505";

    /** COPYs the files' rows into {@code table}; returns the rows per file. */
    private Map<String, Long> copy(Connection c, String table, String moreColumns, List<String> fileKeys, ObjectStore store,
                                   String trailer) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        List<long[]> lineRanges = new ArrayList<>();
        CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));
        String columns = Schema.columnList(this, "") + ", source_file" + moreColumns;
        CopyIn in = copy.copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
        long lines = 0;
        try {
            for (String key : fileKeys) {
                CopyText.Converted file;
                try (InputStream gz = store.open(key)) {
                    file = CopyText.convert(key, gz, trailer);
                } catch (IOException e) {
                    throw new UnreadableFileException(key, e.getMessage(), e);
                }
                in.writeToCopy(file.text(), 0, file.text().length);
                rows.put(key, file.rows());
                lineRanges.add(new long[] {lines + 1, lines + file.rows()});
                lines += file.rows();
            }
            in.endCopy();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            // The server names the line it refused: find the file that line came from.
            Matcher m = COPY_LINE.matcher(String.valueOf(e.getMessage()));
            if (m.find()) {
                long line = Long.parseLong(m.group(1));
                for (int i = 0; i < lineRanges.size(); i++) {
                    if (line >= lineRanges.get(i)[0] && line <= lineRanges.get(i)[1]) {
                        throw new UnreadableFileException(fileKeys.get(i), firstLine(e.getMessage()), e);
                    }
                }
            }
            throw e;
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
        return rows;
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return s == null ? "refused by the server" : nl < 0 ? s : s.substring(0, nl);
    }

    /** New ids only: the first of equal ids in the batch, and none already stored (the primary key decides). */
    private Map<String, Long> insertNewFromStage(Connection c, Timestamp loadedAt) throws SQLException {
        String cols = Schema.columnList(this, "");
        String sql = "WITH inserted AS (INSERT INTO " + Schema.EVENTS + " (" + cols + ", loaded_at, source_file) "
                + "SELECT DISTINCT ON (" + quote("id") + ") " + cols + ", ?, source_file FROM " + Schema.STAGE
                + " ORDER BY " + quote("id") + ", source_file "
                + "ON CONFLICT (" + quote("id") + ") DO NOTHING RETURNING source_file) "
                + "SELECT source_file, count(*) FROM inserted GROUP BY source_file";
        Map<String, Long> inserted = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, loadedAt);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return inserted;
    }

    @Override
    public List<String> lockTable(String table) {
        return List.of("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
    }

    @Override
    public void lockLedger(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE " + Schema.LEDGER + " IN EXCLUSIVE MODE");
        }
    }

    @Override
    public Optional<Warehouse.LoadLock> tryLoadLock(ConnectionSource connections) throws SQLException {
        Connection held = connections.open();
        // One lock per schema: two warehouses in one database (one schema each) do not exclude each other.
        try (PreparedStatement ps = held.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(current_schema()))")) {
            ps.setInt(1, LOAD_LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    held.close();
                    return Optional.empty();
                }
            }
        } catch (SQLException | RuntimeException e) {
            held.close();
            throw e;
        }
        return Optional.of(() -> {
            // Closing the session releases its advisory locks.
            try {
                held.close();
            } catch (SQLException e) {
                throw new WarehouseException("could not release the load lock: " + e.getMessage(), e);
            }
        });
    }
}
