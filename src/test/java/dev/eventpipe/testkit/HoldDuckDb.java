package dev.eventpipe.testkit;

import java.sql.Connection;
import java.sql.DriverManager;

/** Opens a DuckDB file and holds it (and its lock) until killed: another process using the warehouse. */
public final class HoldDuckDb {

    private HoldDuckDb() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
            System.out.println("holding " + args[0]);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
