package dev.eventpipe.warehouse;


import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.testkit.PostgresDb;
import dev.eventpipe.testkit.Prerequisite;
import dev.eventpipe.warehouse.dialect.PostgresDialect;
import java.nio.file.Path;
import java.sql.DriverManager;
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

    @Override
    void cleanUp() throws Exception {
        if (url != null) {
            PostgresDb.drop(url);
        }
    }
}
