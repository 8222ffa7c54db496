package dev.eventpipe.serve;

import dev.eventpipe.testkit.PostgresDb;
import dev.eventpipe.testkit.Prerequisite;
import dev.eventpipe.warehouse.Dialect;
import dev.eventpipe.warehouse.JdbcWarehouse;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.dialect.PostgresDialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The dashboard's API on PostgreSQL, in read-only sessions; runs where EVENTPIPE_TEST_POSTGRES_URL is set. */
class PostgresServeApiIT extends ServeApiContract {

    private String url;

    @Override
    Warehouse newWarehouse(Path dir) throws Exception {
        Prerequisite.postgres();
        url = PostgresDb.freshSchema();
        String schemaUrl = url;
        return new JdbcWarehouse(new PostgresDialect(), () -> DriverManager.getConnection(schemaUrl), "postgres");
    }

    @Override
    Dialect dialect() {
        return new PostgresDialect();
    }

    @Override
    Dialect.ConnectionSource readConnections() {
        return () -> {
            Connection c = DriverManager.getConnection(url);
            c.setReadOnly(true);
            return c;
        };
    }

    @Override
    Connection handConnection() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Another session holds an exclusive lock on events: the dashboard's query waits for it. */
    @Override
    AutoCloseable slowDown() throws Exception {
        Connection holder = DriverManager.getConnection(url);
        holder.setAutoCommit(false);
        try (Statement st = holder.createStatement()) {
            st.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
        }
        return () -> {
            holder.rollback();
            holder.close();
        };
    }

    @Override
    void cleanUp() throws Exception {
        if (url != null) {
            PostgresDb.drop(url);
        }
    }
}
