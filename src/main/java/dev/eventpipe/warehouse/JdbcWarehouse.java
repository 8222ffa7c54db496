package dev.eventpipe.warehouse;

import dev.eventpipe.store.ObjectStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Warehouse} over JDBC: the load transaction, the ledger, job runs and queries in SQL every
 * supported engine speaks; what differs lives in the {@link Dialect}. A connection is opened per call.
 */
public final class JdbcWarehouse implements Warehouse {

    private static final Logger log = LoggerFactory.getLogger(JdbcWarehouse.class);
    private static final int IN_LIST = 500;
    private static final AtomicLong LAST_RUN_ID = new AtomicLong();

    private final Dialect dialect;
    private final Dialect.ConnectionSource connections;
    private final String description;

    public JdbcWarehouse(Dialect dialect, Dialect.ConnectionSource connections, String description) {
        this.dialect = dialect;
        this.connections = connections;
        this.description = description;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String describe() {
        return description;
    }

    private Connection connect() throws SQLException {
        return connections.open();
    }

    /** The one-line failure of {@code what}, retriable when the dialect says so. */
    WarehouseException failure(String what, SQLException e) {
        return new WarehouseException("could not " + what + " in " + description + ": " + firstLine(e.getMessage()), e,
                dialect.isRetriable(e));
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public List<String> ensureSchema() {
        try (Connection c = connect()) {
            return SchemaMigrator.ensure(c, dialect, Instant.now());
        } catch (SQLException e) {
            throw failure("create the schema", e);
        }
    }

    @Override
    public MigrationResult migrate(MigrationOptions options) {
        try (Connection c = connect()) {
            return SchemaMigrator.migrate(c, dialect, options, Instant.now());
        } catch (SQLException e) {
            throw failure("migrate the schema", e);
        }
    }

    @Override
    public Optional<LoadLock> tryLoadLock() {
        try {
            return dialect.tryLoadLock(connections);
        } catch (SQLException e) {
            throw failure("take the load lock", e);
        }
    }

    @Override
    public Map<String, Long> loadedFiles(Collection<String> fileKeys) {
        try (Connection c = connect()) {
            return loadedFiles(c, fileKeys);
        } catch (SQLException e) {
            throw failure("read the load ledger", e);
        }
    }

    private static Map<String, Long> loadedFiles(Connection c, Collection<String> fileKeys) throws SQLException {
        Map<String, Long> found = new HashMap<>();
        List<String> keys = new ArrayList<>(fileKeys);
        for (int from = 0; from < keys.size(); from += IN_LIST) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + IN_LIST));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT file_key, row_count FROM " + Schema.LEDGER + " WHERE file_key IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }
        return found;
    }

    @Override
    public BatchLoad load(List<String> fileKeys, ObjectStore store, Instant loadedAt) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                dialect.lockLedger(c);
                // Inside the transaction and the lock: a concurrent pass may have loaded some of them already.
                Set<String> already = loadedFiles(c, fileKeys).keySet();
                List<String> todo = new ArrayList<>();
                for (String k : fileKeys) {
                    if (!already.contains(k)) {
                        todo.add(k);
                    }
                }
                List<BatchLoad.FileLoad> loads = new ArrayList<>();
                if (!todo.isEmpty()) {
                    long t0 = System.nanoTime();
                    Timestamp at = Timestamp.from(loadedAt);
                    Dialect.LoadedRows loaded = dialect.loadFiles(c, todo, store, at);
                    Map<String, Long> rows = loaded.rows();
                    Map<String, Long> inserted = loaded.inserted();
                    log.debug("load: {} files loaded in {} ms", todo.size(), (System.nanoTime() - t0) / 1_000_000);
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Schema.LEDGER
                            + " (file_key, row_count, duplicates_skipped, loaded_at) VALUES (?, ?, ?, ?)")) {
                        for (String k : todo) {
                            long total = rows.getOrDefault(k, 0L);
                            Long dups = inserted == null ? null : total - inserted.getOrDefault(k, 0L);
                            loads.add(new BatchLoad.FileLoad(k, total, dups));
                            ps.setString(1, k);
                            ps.setLong(2, total);
                            if (dups == null) {
                                ps.setNull(3, java.sql.Types.BIGINT);
                            } else {
                                ps.setLong(3, dups);
                            }
                            ps.setTimestamp(4, at);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    try (Statement st = c.createStatement()) {
                        st.execute("DROP TABLE IF EXISTS " + Schema.STAGE);
                    }
                    long t1 = System.nanoTime();
                    addSummaries(c, at, Schema.hourlyCountsUpdate(dialect));
                    long t2 = System.nanoTime();
                    addSummaries(c, at, DeviceActivity.update(dialect));
                    log.debug("load: hourly counts added in {} ms, device activity in {} ms", (t2 - t1) / 1_000_000,
                            (System.nanoTime() - t2) / 1_000_000);
                    HoldBeforeCommit.atCommit(loads.size(), loads.stream().mapToLong(BatchLoad.FileLoad::rows).sum());
                }
                long t3 = System.nanoTime();
                c.commit();
                log.debug("load: commit in {} ms", (System.nanoTime() - t3) / 1_000_000);
                return new BatchLoad(loads, new ArrayList<>(already));
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure("load " + fileKeys.size() + " files", e);
        }
    }

    /**
     * Adds the rows stamped {@code at} to a summary the loads keep ({@link Schema#HOURLY_COUNTS},
     * {@link DeviceActivity}); the statements' only parameter is {@code at}.
     */
    private static void addSummaries(Connection c, Timestamp at, List<String> statements) throws SQLException {
        for (String sql : statements) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (sql.contains("?")) {
                    ps.setTimestamp(1, at);
                }
                ps.execute();
            }
        }
    }

    @Override
    public long jobStarted(String job, Instant started) {
        // Ids from the clock (microseconds), so every engine can take them without an identity column.
        long id = LAST_RUN_ID.updateAndGet(prev -> Math.max(prev + 1, System.currentTimeMillis() * 1000));
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + Schema.JOB_RUNS + " (id, job, started, status) VALUES (?, ?, ?, 'running')")) {
            ps.setLong(1, id);
            ps.setString(2, job);
            ps.setTimestamp(3, Timestamp.from(started));
            ps.executeUpdate();
            return id;
        } catch (SQLException e) {
            throw failure("record a run of job '" + job + "'", e);
        }
    }

    @Override
    public void jobFinished(long runId, Instant finished, String status, String detail) {
        String d = detail == null ? null : detail.length() > 4000 ? detail.substring(0, 4000) : detail;
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "UPDATE " + Schema.JOB_RUNS + " SET finished = ?, status = ?, detail = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(finished));
            ps.setString(2, status);
            ps.setString(3, d);
            ps.setLong(4, runId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("record the end of job run " + runId, e);
        }
    }

    @Override
    public List<JobRun> lastJobRuns(int perJob) {
        String sql = "SELECT id, job, started, finished, status, detail FROM (SELECT r.*, ROW_NUMBER() OVER "
                + "(PARTITION BY job ORDER BY started DESC, id DESC) AS rn FROM " + Schema.JOB_RUNS + " r) t WHERE rn <= ? "
                + "ORDER BY job, started DESC";
        return query(sql, List.of(perJob), rs -> new JobRun(rs.getLong(1), rs.getString(2), instant(rs.getTimestamp(3)),
                instant(rs.getTimestamp(4)), rs.getString(5), rs.getString(6)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @Override
    public <T> List<T> query(String sql, List<?> params, RowMapper<T> mapper) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("run a query", e);
        }
    }

    @Override
    public WarehouseStats stats() {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            long rows;
            long distinct;
            Instant latest;
            // The newest arrival by the pipeline's own clocks: a client's received_at in year 9999 is data, not a time.
            try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT " + dialect.quote("id") + "), max(coalesce("
                    + dialect.quote("queued_at") + ", " + dialect.quote("consumed_at") + ", loaded_at)) FROM " + Schema.EVENTS)) {
                rs.next();
                rows = rs.getLong(1);
                distinct = rs.getLong(2);
                latest = instant(rs.getTimestamp(3));
            }
            String adopted = "file_key = '" + Schema.ADOPTED_SOURCE + "'";
            long adoptedRows;
            try (ResultSet rs = st.executeQuery("SELECT coalesce(sum(row_count - coalesce(duplicates_skipped, 0)), 0) FROM "
                    + Schema.LEDGER + " WHERE " + adopted)) {
                rs.next();
                adoptedRows = rs.getLong(1);
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(row_count), 0), max(loaded_at), "
                    + "count(duplicates_skipped), coalesce(sum(duplicates_skipped), 0) FROM " + Schema.LEDGER + " WHERE NOT " + adopted)) {
                rs.next();
                long files = rs.getLong(1);
                long inFiles = rs.getLong(2);
                Long recorded = rs.getLong(4) == files ? rs.getLong(5) : null;
                return new WarehouseStats(rows, distinct, files, inFiles, inFiles - (rows - adoptedRows), recorded,
                        instant(rs.getTimestamp(3)), latest, adoptedRows);
            }
        } catch (SQLException e) {
            throw failure("read the table sizes", e);
        }
    }

    /** Rows of the ledger, newest first, for tests and status. */
    public Map<String, long[]> ledger() {
        Map<String, long[]> out = new LinkedHashMap<>();
        query("SELECT file_key, row_count, coalesce(duplicates_skipped, -1) FROM " + Schema.LEDGER + " ORDER BY loaded_at DESC, file_key",
                List.of(), rs -> out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)}));
        return out;
    }

    @Override
    public void close() {
        log.debug("Closing {}", description);
    }
}
