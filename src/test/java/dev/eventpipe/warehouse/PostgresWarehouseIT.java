package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.testkit.PostgresDb;
import dev.eventpipe.testkit.Prerequisite;
import dev.eventpipe.warehouse.dialect.PostgresDialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs where EVENTPIPE_TEST_POSTGRES_URL is set (CI installs PostgreSQL and sets it). */
class PostgresWarehouseIT extends WarehouseContract {

    @TempDir
    Path dir;

    private String url;

    static Warehouse postgres(String url) {
        return new JdbcWarehouse(new PostgresDialect(), () -> DriverManager.getConnection(url), "postgres");
    }

    @Override
    Warehouse newWarehouse() throws Exception {
        Prerequisite.postgres();
        url = PostgresDb.freshSchema();
        return postgres(url);
    }

    /**
     * {@code events.loaded_at} has a b-tree index of its own, and the planner finds a load's rows through it
     * (sequential scans off, as at millions of rows): without it each load pass scanned the whole table.
     */
    static void assertLoadedAtIndexed(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            List<String> defs = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '"
                    + Schema.EVENTS + "' AND indexname = '" + Schema.EVENTS_LOADED_AT_INDEX + "'")) {
                while (rs.next()) {
                    defs.add(rs.getString(1));
                }
            }
            assertThat(defs).singleElement().asString().contains("btree (loaded_at)");
            st.execute("SET enable_seqscan = off");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = st.executeQuery("EXPLAIN SELECT source_file, count(*) FROM " + Schema.EVENTS
                    + " WHERE loaded_at = TIMESTAMP '2026-11-01 12:00:00' GROUP BY source_file")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains(Schema.EVENTS_LOADED_AT_INDEX);
        }
    }

    @Override
    void assertLoadedAtIndexed() throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            assertLoadedAtIndexed(c);
        }
    }

    @Override
    Warehouse newWarehouseLike() {
        return postgres(url);
    }

    @Override
    ObjectStore newStore() {
        return new LocalObjectStore(dir.resolve("dfs"));
    }

    @Test
    void aServerThatDoesNotAnswerIsARetriableFailure() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Warehouse down = postgres("jdbc:postgresql://127.0.0.1:" + closed + "/eventpipe?connectTimeout=2");
        assertThatThrownBy(down::ensureSchema)
                .isInstanceOfSatisfying(WarehouseException.class, e -> assertThat(e.retriable()).isTrue());
    }

    @Test
    void aQueryWithASyntaxErrorOrOnAMissingTableIsAFatalFailure() {
        assertThatThrownBy(() -> warehouse.query("SELEC 1", List.of(), rs -> 1))
                .isInstanceOfSatisfying(WarehouseException.class, e -> assertThat(e.retriable()).isFalse());
        assertThatThrownBy(() -> warehouse.query("SELECT count(*) FROM no_such_table", List.of(), rs -> 1))
                .isInstanceOfSatisfying(WarehouseException.class, e -> assertThat(e.retriable()).isFalse());
    }

    @Override
    void cleanUp() throws Exception {
        if (url != null) {
            PostgresDb.drop(url);
        }
    }
}
