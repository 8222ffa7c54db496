package dev.eventpipe.warehouse.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbFilesIT {

    @Test
    void threadsThatOpenQueryAndCloseAtOnceNeverRaceTheFilesInstance(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.duckdb");
        try (Connection c = DuckDbFiles.open(file, new Properties()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t AS SELECT range AS i FROM range(1000)");
        }
        // Opened with DriverManager directly, this loop failed 12 times in 600 ("Unique file handle conflict").
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Long>> counts = new ArrayList<>();
        try {
            for (int i = 0; i < 600; i++) {
                counts.add(pool.submit(() -> {
                    try (Connection c = DuckDbFiles.open(file, new Properties()); Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }));
            }
            for (Future<Long> f : counts) {
                assertThat(f.get()).isEqualTo(1000L);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aConnectionStillOpensAndClosesAsAConnectionDoes(@TempDir Path dir) throws SQLException {
        Path file = dir.resolve("w.duckdb");
        Connection c = DuckDbFiles.open(file, new Properties());
        assertThat(c.isClosed()).isFalse();
        assertThat(c.isWrapperFor(org.duckdb.DuckDBConnection.class)).isTrue();
        c.close();
        assertThat(c.isClosed()).isTrue();
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection r = DuckDbFiles.open(file, readOnly); Statement st = r.createStatement()) {
            assertThat(st.execute("SELECT 1")).isTrue();
        }
    }
}
