package dev.eventpipe.serve;

import dev.eventpipe.warehouse.Dialect;
import dev.eventpipe.warehouse.JdbcWarehouse;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** The dashboard's API on a DuckDB file, opened read-only as {@code eventpipe serve} opens it. */
class DuckDbServeApiIT extends ServeApiContract {

    private Path file;
    private Path big;
    private volatile Path reading;

    @Override
    Warehouse newWarehouse(Path dir) {
        file = dir.resolve("w.duckdb");
        big = dir.resolve("big.duckdb");
        reading = file;
        return new JdbcWarehouse(new DuckDbDialect(file), () -> DriverManager.getConnection("jdbc:duckdb:" + file), "duckdb " + file);
    }

    @Override
    Dialect dialect() {
        return new DuckDbDialect(file);
    }

    /** As {@code serve} opens it. */
    private static Connection readOnly(Path f) throws SQLException {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        return dev.eventpipe.warehouse.dialect.DuckDbFiles.open(f, p);
    }

    @Override
    Dialect.ConnectionSource readConnections() {
        return () -> readOnly(reading);
    }

    @Override
    Connection handConnection() throws SQLException {
        // The dashboard's connections are read-only, and DuckDB gives one file one configuration per process.
        return readOnly(file);
    }

    @Override
    Connection writeConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + file);
    }

    /**
     * Points the dashboard at a warehouse whose {@code events} is a view of 20,000,000 generated rows,
     * every one a match of every funnel step: no time goes into building it, all of it into the query.
     */
    @Override
    AutoCloseable slowDown() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + big); Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE VIEW events AS SELECT 'x' || i AS id, 'd' || (i % 200) AS anonymous_id, 'a' AS \"event\", "
                    + "TIMESTAMP '2026-11-08 00:00:00' + to_seconds(i % 1400000) AS \"timestamp\", 'web' AS context_device_type "
                    + "FROM range(20000000) t(i)");
        }
        reading = big;
        return () -> reading = file;
    }
}
