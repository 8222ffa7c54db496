package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.testkit.Await;
import dev.eventpipe.testkit.EventFiles;
import dev.eventpipe.testkit.EventPipeProcess;
import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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

    @Test
    void aFileLockedByAnotherProcessIsARetriableFailure() throws Exception {
        warehouse.ensureSchema();
        EventFiles.write(store, "w", 1, EventFiles.events(10, 1));
        EventPipeProcess holder = EventPipeProcess.startMain(dir, Map.of(), "dev.eventpipe.testkit.HoldDuckDb",
                dir.resolve("w.duckdb").toString());
        try {
            Await.until(Duration.ofSeconds(30), () -> holder.log().contains("holding"), "the other process to hold the file");
            assertThatThrownBy(this::load).isInstanceOfSatisfying(WarehouseException.class, e -> {
                assertThat(e.getMessage()).contains("Could not set lock on file");
                assertThat(e.retriable()).isTrue();
            });
        } finally {
            holder.kill();
        }
        assertThat(load().rows()).as("the next try, once the lock is gone").isEqualTo(10);
    }

    @Test
    void aQueryWithASyntaxErrorIsAFatalFailure() {
        warehouse.ensureSchema();
        assertThatThrownBy(() -> warehouse.query("SELEC 1", List.of(), rs -> 1))
                .isInstanceOfSatisfying(WarehouseException.class, e -> assertThat(e.retriable()).isFalse());
    }
}
