package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.testkit.PostgresDb;
import dev.eventpipe.testkit.Prerequisite;
import dev.eventpipe.warehouse.dialect.PostgresDialect;
import java.nio.file.Path;
import java.sql.DriverManager;
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
