package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.retry.RetryPolicy;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader tries a batch again only when the dialect called its failure retriable, and only a few times. */
class LoaderRetryTest {

    @TempDir
    Path dir;

    /** A warehouse whose loads fail {@code failures} times with {@code retriable} failures, then succeed. */
    static final class FailingWarehouse implements Warehouse {
        final AtomicInteger loads = new AtomicInteger();
        final int failures;
        final boolean retriable;

        FailingWarehouse(int failures, boolean retriable) {
            this.failures = failures;
            this.retriable = retriable;
        }

        @Override
        public BatchLoad load(List<String> fileKeys, ObjectStore store, Instant loadedAt) {
            if (loads.incrementAndGet() <= failures) {
                throw new WarehouseException("could not load: database is locked", null, retriable);
            }
            return new BatchLoad(fileKeys.stream().map(k -> new BatchLoad.FileLoad(k, 1, 0L)).toList(), List.of());
        }

        @Override public String describe() { return "fake"; }
        @Override public List<String> ensureSchema() { return List.of(); }
        @Override public MigrationResult migrate(MigrationOptions options) { throw new UnsupportedOperationException(); }
        @Override public Optional<LoadLock> tryLoadLock() { return Optional.of(() -> { }); }
        @Override public Map<String, Long> loadedFiles(Collection<String> fileKeys) { return Map.of(); }
        @Override public long jobStarted(String job, Instant started) { return 1; }
        @Override public void jobFinished(long runId, Instant finished, String status, String detail) { }
        @Override public List<JobRun> lastJobRuns(int perJob) { return List.of(); }
        @Override public <T> List<T> query(String sql, List<?> params, RowMapper<T> mapper) { return List.of(); }
        @Override public WarehouseStats stats() { throw new UnsupportedOperationException(); }
        @Override public void close() { }
    }

    private ObjectStore storeWithOneFile() {
        LocalObjectStore store = new LocalObjectStore(dir);
        store.put(DfsLayout.incomingKey(LocalDate.parse("2026-11-25"), "w", 1), new byte[] {1});
        return store;
    }

    private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(2), 4);

    @Test
    void aRetriableFailureIsTriedAgainAndTheBatchLoads() {
        FailingWarehouse w = new FailingWarehouse(2, true);
        LoadSummary s = new Loader(w, storeWithOneFile(), 10, Clock.systemUTC()).retry(FAST).run(n -> { }, n -> { });
        assertThat(w.loads.get()).isEqualTo(3);
        assertThat(s.line()).contains("1 files");
    }

    @Test
    void aFatalFailureIsNotTriedAgain() {
        FailingWarehouse w = new FailingWarehouse(1, false);
        Loader loader = new Loader(w, storeWithOneFile(), 10, Clock.systemUTC()).retry(FAST);
        assertThatThrownBy(() -> loader.run(n -> { }, n -> { })).isInstanceOf(WarehouseException.class).hasMessageContaining("locked");
        assertThat(w.loads.get()).isEqualTo(1);
    }

    @Test
    void retriesAreBounded() {
        FailingWarehouse w = new FailingWarehouse(100, true);
        Loader loader = new Loader(w, storeWithOneFile(), 10, Clock.systemUTC()).retry(FAST);
        assertThatThrownBy(() -> loader.run(n -> { }, n -> { })).isInstanceOf(WarehouseException.class);
        assertThat(w.loads.get()).isEqualTo(4);
    }
}
