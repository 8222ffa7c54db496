package dev.eventpipe.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server CI provides ({@code EVENTPIPE_TEST_POSTGRES_URL}, a JDBC URL with user and
 * password). Each test gets a schema of its own, dropped afterwards.
 */
public final class PostgresDb {

    public static final String URL_VARIABLE = "EVENTPIPE_TEST_POSTGRES_URL";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private PostgresDb() {
    }

    /** The server's URL, or null where none is configured. */
    public static String url() {
        String url = System.getenv(URL_VARIABLE);
        return url == null || url.isBlank() ? null : url;
    }

    /** Creates a fresh schema; returns a URL whose connections use it. */
    public static String freshSchema() throws SQLException {
        String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url()); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
        }
        return url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void drop(String schemaUrl) throws SQLException {
        String schema = schemaUrl.substring(schemaUrl.lastIndexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(url()); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
