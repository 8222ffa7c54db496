package dev.eventpipe.warehouse.dialect;

import dev.eventpipe.event.EventField;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.Dialect;
import dev.eventpipe.warehouse.Schema;
import dev.eventpipe.warehouse.UnreadableFileException;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.WarehouseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * DuckDB: files are read in place by {@code read_ndjson} with explicit column types (objects of an
 * S3 store are first copied to temporary files: the bundled DuckDB cannot read S3 here). One process
 * writes a DuckDB file at a time (the engine's own file lock); inside a process a lock per file keeps
 * load passes apart.
 */
public final class DuckDbDialect implements Dialect {

    private static final Map<Path, ReentrantLock> PASS_LOCKS = new ConcurrentHashMap<>();

    private final Path database;

    public DuckDbDialect(Path database) {
        this.database = database.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public String columnType(EventField field) {
        return switch (field.type()) {
            case TEXT -> "VARCHAR";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_TZ -> "TIMESTAMPTZ";
            case BOOLEAN -> "BOOLEAN";
        };
    }

    @Override
    public String textType() {
        return "VARCHAR";
    }

    /** An ART index on every id costs more to keep than the anti-join it would serve. */
    @Override
    public boolean primaryKeyOnEvents() {
        return false;
    }

    /**
     * One MERGE instead of an UPDATE and an INSERT: each joins the stage to the table with no key to
     * find rows by (DuckDB's keys are in-memory indexes, too large over millions of devices), so one
     * join instead of two halves a load's cost (about 160 against 320 ms for a month of two million devices).
     */
    @Override
    public List<String> orDays(String table, String stage, List<String> keys) {
        String match = keys.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
        String cols = String.join(", ", keys) + ", days";
        return List.of("MERGE INTO " + table + " t USING " + stage + " s ON (" + match + ") WHEN MATCHED THEN UPDATE SET days = t.days | s.days "
                + "WHEN NOT MATCHED THEN INSERT (" + cols + ") VALUES (" + keys.stream().map(k -> "s." + k).collect(Collectors.joining(", "))
                + ", s.days)");
    }

    /**
     * Another process holds the file's lock ({@code IO Error: Could not set lock on file}), or two
     * transactions wrote the same rows or catalog entry ({@code TransactionContext Error: Conflict
     * on update!}, {@code write-write conflict}): both pass once the other writer is done. DuckDB's
     * JDBC driver sets no SQLState, so its messages are what it offers.
     */
    @Override
    public boolean isRetriable(SQLException e) {
        for (Throwable t : Errors.chain(e)) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("Could not set lock on file")
                    || (m.contains("TransactionContext Error") && m.toLowerCase(java.util.Locale.ROOT).contains("conflict"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code {id: 'VARCHAR', ...}}: the column types read_ndjson must produce, so nothing is guessed. */
    static String readColumns(Dialect d) {
        List<String> cols = new ArrayList<>();
        for (EventField f : EventField.values()) {
            cols.add("'" + f.jsonName() + "': '" + d.columnType(f) + "'");
        }
        cols.add("'" + EventField.EXTRA + "': 'VARCHAR'");
        return "{" + String.join(", ", cols) + "}";
    }

    /** The read of a list of files, each row tagged with its file name. */
    public static String readNdjson(Dialect d, List<String> paths) {
        String list = paths.stream().map(p -> "'" + p.replace("'", "''") + "'").collect(Collectors.joining(", "));
        return "read_ndjson([" + list + "], columns = " + readColumns(d)
                + ", format = 'newline_delimited', compression = 'gzip', filename = true)";
    }

    @Override
    public LoadedRows loadFiles(Connection c, List<String> fileKeys, ObjectStore store, Timestamp loadedAt) throws SQLException {
        if (store.localFile(fileKeys.get(0)).isPresent()) {
            Map<String, String> keyByPath = new LinkedHashMap<>();
            for (String key : fileKeys) {
                keyByPath.put(store.localFile(key).orElseThrow().toAbsolutePath().toString(), key);
            }
            return insert(c, keyByPath, loadedAt);
        }
        Path temp = null;
        try {
            temp = Files.createTempDirectory("eventpipe-load");
            Map<String, String> keyByPath = new LinkedHashMap<>();
            for (String key : fileKeys) {
                Path path = temp.resolve(key);
                Files.createDirectories(path.getParent());
                try (InputStream in = store.open(key)) {
                    Files.copy(in, path, StandardCopyOption.REPLACE_EXISTING);
                }
                keyByPath.put(path.toString(), key);
            }
            return insert(c, keyByPath, loadedAt);
        } catch (IOException e) {
            throw new WarehouseException("could not copy files from " + store.location() + " for loading: " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * The rows of the files, each with its file's key: read_ndjson's {@code filename} is joined to
     * the (path, key) pairs made here in Java. Cutting a prefix off the name in SQL would count
     * characters where Java counts UTF-16 units, and an emoji in the path would shift every key.
     * A name that matched no pair leaves the key null, which {@code source_file NOT NULL} refuses.
     */
    static String selectWithKeys(Dialect d, List<String> paths) {
        String pairs = String.join(", ", java.util.Collections.nCopies(paths.size(), "(?, ?)"));
        return "SELECT " + Schema.columnList(d, "r.") + ", ?, k.file_key FROM " + readNdjson(d, paths)
                + " r LEFT JOIN (VALUES " + pairs + ") k(path, file_key) ON r.filename = k.path";
    }

    /**
     * One pass: every row goes into {@code events}, then, in the same transaction, the rows of this
     * load whose id was stored before or came earlier in the load are deleted. Writing once and
     * deleting the rare repeat costs far less than staging the batch and copying it again.
     */
    private LoadedRows insert(Connection c, Map<String, String> keyByPath, Timestamp loadedAt) throws SQLException {
        List<String> paths = new ArrayList<>(keyByPath.keySet());
        String cols = Schema.columnList(this, "");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Schema.EVENTS + " (" + cols + ", loaded_at, source_file) "
                + selectWithKeys(this, paths))) {
            int i = 1;
            ps.setTimestamp(i++, loadedAt);
            for (Map.Entry<String, String> pair : keyByPath.entrySet()) {
                ps.setString(i++, pair.getKey());
                ps.setString(i++, pair.getValue());
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unreadable(c, e, keyByPath);
        }
        Map<String, Long> rows = Schema.countByFile(c, loadedAt);
        String id = quote("id");
        String repeated = "SELECT " + id + " FROM " + Schema.EVENTS + " WHERE " + id + " IN (SELECT " + id + " FROM "
                + Schema.EVENTS + " WHERE loaded_at = ?) GROUP BY " + id + " HAVING count(*) > 1";
        long repeats;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (" + repeated + ")")) {
            ps.setTimestamp(1, loadedAt);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                repeats = rs.getLong(1);
            }
        }
        if (repeats == 0) {
            return new LoadedRows(rows, rows);
        }
        // Of each repeated id, the earliest load (then file, then row) keeps its row.
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + Schema.EVENTS + " WHERE rowid IN (SELECT rid FROM ("
                + "SELECT rowid AS rid, loaded_at, ROW_NUMBER() OVER (PARTITION BY " + id + " ORDER BY loaded_at, source_file, rowid) AS rn "
                + "FROM " + Schema.EVENTS + " WHERE " + id + " IN (" + repeated + ")) WHERE rn > 1 AND loaded_at = ?)")) {
            ps.setTimestamp(1, loadedAt);
            ps.setTimestamp(2, loadedAt);
            ps.executeUpdate();
        }
        return new LoadedRows(rows, Schema.countByFile(c, loadedAt));
    }

    /**
     * Which file broke the read: DuckDB names it in most errors; otherwise each file is read alone.
     * Returns the exception to throw (an unreadable file, or the original error when none is).
     */
    private SQLException unreadable(Connection c, SQLException e, Map<String, String> keyByPath) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        for (Map.Entry<String, String> p : keyByPath.entrySet()) {
            String name = Path.of(p.getKey()).getFileName().toString();
            if (message.contains(p.getKey()) || message.contains("\"" + name + "\"") || message.endsWith(": " + name)) {
                throw new UnreadableFileException(p.getValue(), reason(message), e);
            }
        }
        for (Map.Entry<String, String> p : keyByPath.entrySet()) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM " + readNdjson(this, List.of(p.getKey())))) {
                rs.next();
            } catch (SQLException probe) {
                throw new UnreadableFileException(p.getValue(), reason(probe.getMessage()), probe);
            }
        }
        return e;
    }

    private static String reason(String message) {
        String m = message == null ? "unreadable" : message.replaceAll("\\s+", " ").trim();
        int hint = m.indexOf(" If this error occurred");
        if (hint > 0) {
            m = m.substring(0, hint);
        }
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary copies; the OS cleans its temp folder
        }
    }

    @Override
    public Optional<Warehouse.LoadLock> tryLoadLock(ConnectionSource connections) throws SQLException {
        ReentrantLock lock = PASS_LOCKS.computeIfAbsent(database, p -> new ReentrantLock());
        if (!lock.tryLock()) {
            return Optional.empty();
        }
        try {
            // An open connection holds DuckDB's file lock: no other process can write during the pass.
            Connection held = connections.open();
            return Optional.of(() -> {
                try {
                    held.close();
                } catch (SQLException ignored) {
                    // closing releases the file lock either way
                } finally {
                    lock.unlock();
                }
            });
        } catch (SQLException | RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }
}
