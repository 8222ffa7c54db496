package dev.eventpipe.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.config.Settings;
import dev.eventpipe.event.Event;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.S3Clients;
import dev.eventpipe.store.S3ObjectStore;
import dev.eventpipe.testkit.S3Proxy;
import dev.eventpipe.testkit.StoreContents;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Compaction on S3 (S3Proxy): sources copied down, each Parquet file written locally then put with one PUT. */
class S3CompactionIT {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @RegisterExtension
    static S3Proxy s3 = new S3Proxy();

    @TempDir
    Path dir;

    private static ObjectStore bucket(String name) {
        Settings settings = Settings.load(Path.of("none.ini"), false, s3.env(name));
        ObjectStore store = new S3ObjectStore(S3Clients.create(settings.aws(), 8), name, "dfs");
        store.ensureReady();
        return store;
    }

    /** The lake's Parquet files copied to {@code dir} under their keys, so DuckDB (without httpfs here) can read them. */
    private Path download(ObjectStore store) throws Exception {
        Path root = Files.createTempDirectory(dir, "lake");
        for (String key : StoreContents.keys(store, DfsLayout.LAKE)) {
            Path target = root.resolve(key);
            Files.createDirectories(target.getParent());
            try (InputStream in = store.open(key)) {
                Files.copy(in, target);
            }
        }
        return root;
    }

    @Test
    void aDayOnS3BecomesParquetInTheBucketAndALateFileAddsOnlyNewIds() throws Exception {
        ObjectStore store = bucket("lake-day");
        List<Event> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            List<Event> events = LakeFiles.events(DAY, 125, 700 + i);
            LakeFiles.archive(store, "w", i, events);
            all.addAll(events);
        }
        Compactor compactor = new Compactor(store, new FinishedDays(Duration.ofHours(1)), Clock.fixed(LakeFiles.after(DAY), ZoneOffset.UTC));
        CompactionSummary first = compactor.run();
        assertThat(first.rows()).isEqualTo(1_000);
        assertThat(first.files()).isEqualTo(8);
        assertThat(StoreContents.keys(store, DfsLayout.ARCHIVE)).isEmpty();
        assertThat(StoreContents.keys(store, DfsLayout.LAKE)).singleElement().asString().endsWith(".parquet");

        List<Event> late = new ArrayList<>(LakeFiles.events(DAY, 50, 799));
        late.addAll(all.subList(0, 25));
        LakeFiles.archive(store, "late", 1, late);
        CompactionSummary second = compactor.run();
        assertThat(second.rows()).isEqualTo(50);
        assertThat(second.duplicates()).isEqualTo(25);
        assertThat(compactor.run().generations()).as("again: nothing to do").isZero();

        Path local = download(store);
        assertThat(LakeFiles.query(local, "SELECT count(*), count(DISTINCT id), min(dt) FROM LAKE",
                rs -> rs.getLong(1) + " " + rs.getLong(2) + " " + rs.getDate(3))).containsExactly("1050 1050 " + DAY);
        LakeState lake = LakeReader.read(store);
        assertThat(lake.rows()).isEqualTo(1_050);
        assertThat(lake.files()).isEqualTo(2);
        assertThat(LakeReader.compactedSources(store, lake.day(DAY))).hasSize(9);
    }
}
