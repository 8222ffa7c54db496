package dev.eventpipe.serve;

import dev.eventpipe.warehouse.Dialect;
import dev.eventpipe.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the dashboard's queries: each on a connection of its own from a source of read-only
 * connections, inside a transaction that is always rolled back (so even an engine that cannot make
 * one connection read-only, DuckDB inside {@code run}, commits nothing), with every value a bound
 * parameter, a row limit and a timeout after which the statement is cancelled.
 */
final class ReadOnlyQueries implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReadOnlyQueries.class);

    /** How often a query is tried again while the warehouse is busy (DuckDB: a load holds the file), and the pause between. */
    private static final int BUSY_ATTEMPTS = 4;
    private static final long BUSY_PAUSE_MS = 250;
    private static final long CANCEL_EVERY_MS = 100;

    private final Dialect dialect;
    private final Dialect.ConnectionSource connections;
    private final ApiLimits limits;
    private final ScheduledExecutorService timer;

    /** What a query returned, at most the row limit; {@code truncated} when there was more. */
    record Rows<T>(List<T> rows, boolean truncated) {
    }

    /** What to do with an answer longer than the row limit. */
    enum Overflow {
        /** Refuse the call (400): a chart cut short would mislead. */
        REFUSE,
        /** Keep the first rows (a ranked list) and say it was cut. */
        TRUNCATE
    }

    /**
     * @param connections opens connections that cannot write where the engine allows (PostgreSQL, Redshift:
     *                    read-only sessions; DuckDB in {@code serve}: the file opened read-only)
     */
    ReadOnlyQueries(Dialect dialect, Dialect.ConnectionSource connections, ApiLimits limits) {
        this.dialect = dialect;
        this.connections = connections;
        this.limits = limits;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "serve-query-timeout");
            t.setDaemon(true);
            return t;
        });
    }

    Dialect dialect() {
        return dialect;
    }

    ApiLimits limits() {
        return limits;
    }

    /** Runs {@code sql}, refusing an answer longer than the row limit. */
    <T> List<T> list(String sql, List<?> params, Warehouse.RowMapper<T> mapper) {
        return query(sql, params, mapper, Overflow.REFUSE).rows();
    }

    /** Runs {@code sql} with {@code params} bound in order. */
    <T> Rows<T> query(String sql, List<?> params, Warehouse.RowMapper<T> mapper, Overflow overflow) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(sql, params, mapper, overflow);
            } catch (MissingWarehouseException e) {
                throw ApiException.unavailable(e.getMessage(), e);
            } catch (SQLException e) {
                if (!dialect.isRetriable(e)) {
                    log.warn("serve: a query failed: {}", firstLine(e.getMessage()), e);
                    throw ApiException.unavailable("the warehouse could not answer this query; the server's log says why", e);
                }
                if (attempt == BUSY_ATTEMPTS) {
                    throw ApiException.unavailable("the warehouse is busy (a load holds it): the page tries again on its next refresh", e);
                }
                pause(BUSY_PAUSE_MS * attempt);
            }
        }
    }

    private <T> Rows<T> once(String sql, List<?> params, Warehouse.RowMapper<T> mapper, Overflow overflow) throws SQLException {
        AtomicBoolean cancelled = new AtomicBoolean();
        try (Connection c = connections.open()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                ps.setMaxRows(limits.maxRows() + 1);
                // Again and again after the deadline: a cancel that comes before the engine started the
                // query (DuckDB) is lost, and the query would then run to its end.
                ScheduledFuture<?> cancel = timer.scheduleAtFixedRate(() -> {
                    cancelled.set(true);
                    try {
                        ps.cancel();
                    } catch (SQLException | RuntimeException e) {
                        log.debug("serve: cancelling a query failed: {}", e.toString());
                    }
                }, limits.timeout().toMillis(), CANCEL_EVERY_MS, TimeUnit.MILLISECONDS);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) {
                        if (out.size() == limits.maxRows()) {
                            if (overflow == Overflow.REFUSE) {
                                throw ApiException.badRequest("the answer has more than " + limits.maxRows()
                                        + " rows: choose a shorter range, a coarser granularity, fewer events or one platform");
                            }
                            return new Rows<>(out, true);
                        }
                        out.add(mapper.map(rs));
                    }
                    return new Rows<>(out, false);
                } catch (SQLException e) {
                    if (cancelled.get()) {
                        throw ApiException.unavailable("the query ran longer than " + seconds(limits.timeout())
                                + " and was stopped: choose a shorter range, fewer events or a shorter funnel window", e);
                    }
                    throw e;
                } finally {
                    cancel.cancel(false);
                }
            } finally {
                rollbackQuietly(c);
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("serve: rollback of a read failed: {}", e.toString());
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while the warehouse was busy", e);
        }
    }

    private static String seconds(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (connections instanceof AutoCloseable source) {
            try {
                source.close();
            } catch (Exception e) {
                log.debug("serve: closing the warehouse's connections failed: {}", e.toString());
            }
        }
    }
}
