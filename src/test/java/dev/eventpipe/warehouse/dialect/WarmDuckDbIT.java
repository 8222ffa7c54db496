package dev.eventpipe.warehouse.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's DuckDB connections keep the file's instance open for the linger after the last one
 * opened, and let it go then: a writer with another configuration (in this process; another process
 * alike) can open the file afterwards.
 */
class WarmDuckDbIT {

    @TempDir
    Path dir;
    Path file;
    Properties readOnly = new Properties();

    @BeforeEach
    void createTheFile() throws SQLException {
        file = dir.resolve("w.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t AS SELECT range AS i FROM range(1000)");
        }
        readOnly.setProperty("duckdb.read_only", "true");
    }

    private static long count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void write() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement st = c.createStatement()) {
            st.execute("INSERT INTO t VALUES (-1)");
        }
    }

    @Test
    void theInstanceOutlivesItsConnectionsForTheLingerThenTheFileIsFree() throws Exception {
        try (WarmDuckDb warm = new WarmDuckDb(file, readOnly, Duration.ofMillis(500))) {
            try (Connection c = warm.open()) {
                assertThat(count(c)).isEqualTo(1000);
            }
            assertThat(warm.warm()).isTrue();
            // Still held: a writer's different configuration is refused while the instance lives.
            assertThatThrownBy(this::write).isInstanceOf(SQLException.class);
            try (Connection c = warm.open()) {
                assertThat(count(c)).isEqualTo(1000);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (warm.warm() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(warm.warm()).isFalse();
            write();
            try (Connection c = warm.open()) {
                assertThat(count(c)).isEqualTo(1001);
            }
        }
        write();
    }

    @Test
    void closingLetsTheFileGoAtOnce() throws Exception {
        WarmDuckDb warm = new WarmDuckDb(file, readOnly, Duration.ofMinutes(10));
        try (Connection c = warm.open()) {
            assertThat(count(c)).isEqualTo(1000);
        }
        assertThat(warm.warm()).isTrue();
        warm.close();
        assertThat(warm.warm()).isFalse();
        write();
    }
}
