package dev.eventpipe.warehouse.dialect;

import dev.eventpipe.warehouse.Dialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections to a DuckDB file whose database instance outlives each connection by a short while.
 * DuckDB's JDBC driver ends the instance with its last connection, and a new instance starts with
 * an empty buffer pool: over 50,000,000 rows the dashboard's funnel took 1.43 s on a new instance
 * against 0.94 s on one kept open (docs/BENCHMARKS.md). A page asks its questions in bursts, so one
 * extra connection (the anchor) is kept open for {@code linger} after the last connection was
 * opened, and closed by a timer after that. While it is open, a process that wants to write the file
 * waits (a loader retries a held file), so the linger stays seconds, not minutes.
 */
public final class WarmDuckDb implements Dialect.ConnectionSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WarmDuckDb.class);

    private final Path file;
    private final Properties properties;
    private final long lingerNanos;
    private ScheduledExecutorService timer;
    private Connection anchor;
    private long lastOpen;
    private ScheduledFuture<?> closing;
    private boolean closed;

    /** @param properties as {@link DuckDbFiles#open} takes them; every connection, the anchor too, is opened with them */
    public WarmDuckDb(Path file, Properties properties, Duration linger) {
        this.file = file;
        this.properties = properties;
        this.lingerNanos = linger.toNanos();
    }

    @Override
    public Connection open() throws SQLException {
        Connection c = DuckDbFiles.open(file, properties);
        synchronized (this) {
            lastOpen = System.nanoTime();
            if (anchor == null && !closed) {
                try {
                    // Shares the instance c just opened (or found): cheap.
                    anchor = DuckDbFiles.open(file, properties);
                } catch (SQLException e) {
                    log.debug("duckdb: could not keep '{}' open: {}", file, e.toString());
                }
            }
            if (anchor != null && closing == null) {
                if (timer == null) {
                    // Made on first use: a source made only to describe itself starts no thread.
                    timer = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "duckdb-linger");
                        t.setDaemon(true);
                        return t;
                    });
                }
                closing = timer.schedule(this::closeIfIdle, lingerNanos, TimeUnit.NANOSECONDS);
            }
        }
        return c;
    }

    /** Whether the instance is being kept open now (for tests). */
    synchronized boolean warm() {
        return anchor != null;
    }

    private synchronized void closeIfIdle() {
        closing = null;
        long idle = System.nanoTime() - lastOpen;
        if (idle < lingerNanos && !closed) {
            closing = timer.schedule(this::closeIfIdle, lingerNanos - idle, TimeUnit.NANOSECONDS);
            return;
        }
        closeAnchor();
    }

    private void closeAnchor() {
        if (anchor != null) {
            try {
                anchor.close();
            } catch (SQLException e) {
                log.debug("duckdb: closing the kept connection to '{}' failed: {}", file, e.toString());
            }
            anchor = null;
        }
    }

    /** Lets the instance go now (connections still open keep it until they close). */
    @Override
    public synchronized void close() {
        closed = true;
        if (closing != null) {
            closing.cancel(false);
            closing = null;
        }
        closeAnchor();
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
