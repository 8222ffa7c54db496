package dev.eventpipe.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.config.Settings;
import dev.eventpipe.event.Event;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.S3Clients;
import dev.eventpipe.store.S3ObjectStore;
import dev.eventpipe.store.StoreException;
import dev.eventpipe.store.StoredObject;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction on S3 (S3Proxy): sources copied down, each Parquet file written locally then put with one
 * PUT; a compaction that fails at each S3 call between its record and its last delete leaves each
 * event counted once, and the next one completes the day.
 */
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

    @ParameterizedTest
    @ValueSource(strings = {"the Parquet PUT fails", "the Parquet PUT lands but its reply is lost", "a delete of a source fails"})
    void aCompactionFailingAtAnS3StepLeavesEachEventCountedOnceAndTheNextOneCompletesIt(String failure) throws Exception {
        ObjectStore bucket = bucket("lake-fail-" + (failure.contains("lands") ? "lost" : failure.startsWith("a delete") ? "delete" : "put"));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            List<Event> events = LakeFiles.events(DAY, 100, 750 + i);
            LakeFiles.archive(bucket, "w", i, events);
            ids.addAll(LakeFiles.ids(events));
        }
        Clock clock = Clock.fixed(LakeFiles.after(DAY), ZoneOffset.UTC);
        CompactionSummary failed = new Compactor(new FailingOnce(bucket, failure), new FinishedDays(Duration.ofHours(1)), clock).run();
        assertThat(failed.failedDays()).as("the failure is reported").singleElement().asString().contains("injected");

        List<String> visible = StoreContents.keys(bucket, DfsLayout.LAKE).isEmpty() ? List.of()
                : LakeFiles.query(download(bucket), "SELECT id FROM LAKE", rs -> rs.getString(1));
        assertThat(visible.size()).as("the lake holds the whole generation or none of it").isIn(0, 400);
        Set<String> compacted = LakeReader.compactedSources(bucket, LakeReader.read(bucket).day(DAY));
        List<String> counted = new ArrayList<>(visible);
        for (String key : StoreContents.keys(bucket, DfsLayout.ARCHIVE)) {
            if (!compacted.contains(key)) {
                counted.addAll(StoreContents.ids(bucket, key));
            }
        }
        assertThat(counted).as("each event counted once, in the lake or in archive/").hasSize(400).doesNotHaveDuplicates();
        assertThat(new HashSet<>(counted)).isEqualTo(ids);

        CompactionSummary next = new Compactor(bucket, new FinishedDays(Duration.ofHours(1)), clock).run();
        assertThat(next.failedDays()).isEmpty();
        assertThat(StoreContents.keys(bucket, DfsLayout.ARCHIVE)).isEmpty();
        assertThat(StoreContents.keys(bucket, DfsLayout.LAKE)).hasSize(1);
        assertThat(LakeFiles.query(download(bucket), "SELECT id FROM LAKE", rs -> rs.getString(1))).hasSize(400).doesNotHaveDuplicates();
        assertThat(LakeReader.read(bucket).day(DAY).uncommitted()).isEmpty();
    }

    /** S3 with one injected failure: of the Parquet file's PUT (before it, or after it landed), or of the first delete. */
    private static final class FailingOnce implements ObjectStore {
        private final ObjectStore delegate;
        private final String failure;
        private final AtomicBoolean failed = new AtomicBoolean();

        FailingOnce(ObjectStore delegate, String failure) {
            this.delegate = delegate;
            this.failure = failure;
        }

        @Override
        public void putFile(String key, Path file) {
            if (failure.startsWith("the Parquet PUT") && !failed.getAndSet(true)) {
                if (failure.contains("lands")) {
                    delegate.putFile(key, file);
                }
                throw new StoreException("injected failure writing " + key, null);
            }
            delegate.putFile(key, file);
        }

        @Override
        public void delete(String key) {
            if (failure.startsWith("a delete") && key.startsWith(DfsLayout.ARCHIVE) && !failed.getAndSet(true)) {
                throw new StoreException("injected failure deleting " + key, null);
            }
            delegate.delete(key);
        }

        @Override public String location() { return delegate.location(); }
        @Override public String ensureReady() { return delegate.ensureReady(); }
        @Override public void put(String key, byte[] data) { delegate.put(key, data); }
        @Override public InputStream open(String key) { return delegate.open(key); }
        @Override public Stream<StoredObject> list(String prefix) { return delegate.list(prefix); }
        @Override public void move(String from, String to) { delegate.move(from, to); }
        @Override public boolean exists(String key) { return delegate.exists(key); }
        @Override public Optional<Path> localFile(String key) { return delegate.localFile(key); }
        @Override public Optional<String> s3Url(String key) { return delegate.s3Url(key); }
    }
}
