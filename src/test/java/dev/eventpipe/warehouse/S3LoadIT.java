package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.config.Settings;
import dev.eventpipe.event.Event;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.S3Clients;
import dev.eventpipe.store.S3ObjectStore;
import dev.eventpipe.testkit.EventFiles;
import dev.eventpipe.testkit.PostgresDb;
import dev.eventpipe.testkit.Prerequisite;
import dev.eventpipe.testkit.S3Proxy;
import dev.eventpipe.testkit.StoreContents;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Loading from S3 (S3Proxy): more files than one listing page, into each engine that streams them. */
class S3LoadIT {

    private static final int FILES = 1_100;

    @RegisterExtension
    static S3Proxy s3 = new S3Proxy();

    @TempDir
    Path dir;

    private static ObjectStore bucket(String name) {
        Settings settings = Settings.load(Path.of("none.ini"), false, s3.env(name));
        ObjectStore store = new S3ObjectStore(S3Clients.create(settings.aws(), 32), name, "dfs");
        store.ensureReady();
        return store;
    }

    /** 1,100 files of 4 events (more than one page of S3's 1,000-key listing), written in parallel; returns every id. */
    private static List<String> writeFiles(ObjectStore store) {
        List<Event> events = EventFiles.events(FILES * 4, 42);
        IntStream.range(0, FILES).parallel()
                .forEach(i -> EventFiles.write(store, "w", i, events.subList(i * 4, i * 4 + 4)));
        return events.stream().map(Event::id).toList();
    }

    private static void assertAllLoaded(Warehouse warehouse, ObjectStore store, LoadSummary s) {
        assertThat(s.files()).isEqualTo(FILES);
        assertThat(s.rows()).isEqualTo(FILES * 4);
        assertThat(warehouse.query("SELECT count(DISTINCT id) FROM events", List.of(), rs -> rs.getLong(1))).containsExactly(FILES * 4L);
        assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).isEmpty();
        assertThat(StoreContents.keys(store, DfsLayout.ARCHIVE)).hasSize(FILES);
    }

    @Test
    void moreThanAPageOfFilesOnS3AreAllListedAndLoadedIntoDuckDb() {
        ObjectStore store = bucket("duckdb-load");
        writeFiles(store);
        Warehouse warehouse = DuckDbWarehouseIT.duckDb(dir.resolve("w.duckdb"));
        LoadSummary s = new Loader(warehouse, store, 500, Clock.systemUTC()).run(n -> { }, n -> { });
        assertAllLoaded(warehouse, store, s);
    }

    @Test
    void moreThanAPageOfFilesOnS3AreAllListedAndLoadedIntoPostgres() throws Exception {
        Prerequisite.postgres();
        ObjectStore store = bucket("postgres-load");
        writeFiles(store);
        String url = PostgresDb.freshSchema();
        try {
            Warehouse warehouse = PostgresWarehouseIT.postgres(url);
            LoadSummary s = new Loader(warehouse, store, 500, Clock.systemUTC()).run(n -> { }, n -> { });
            assertAllLoaded(warehouse, store, s);
        } finally {
            PostgresDb.drop(url);
        }
    }
}
