package dev.eventpipe.warehouse;

import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.io.TempDir;

class DuckDbWarehouseIT extends WarehouseContract {

    @TempDir
    Path dir;

    static Warehouse duckDb(Path file) {
        return new JdbcWarehouse(new DuckDbDialect(file), () -> DriverManager.getConnection("jdbc:duckdb:" + file), "duckdb " + file);
    }

    @Override
    Warehouse newWarehouse() throws Exception {
        Files.createDirectories(dir);
        return duckDb(dir.resolve("w.duckdb"));
    }

    @Override
    Warehouse newWarehouseLike() {
        return duckDb(dir.resolve("w.duckdb"));
    }

    @Override
    ObjectStore newStore() {
        return new LocalObjectStore(dir.resolve("dfs"));
    }
}
