package dev.eventpipe.warehouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipe.retry.RetryPolicy;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoreException;
import dev.eventpipe.store.StoredObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load pass (what cron runs): every file in {@code incoming/} ends in the warehouse and
 * {@code archive/}, or in {@code quarantine/} with the reason beside it.
 *
 * <ol>
 *   <li>take the load lock (another pass holding it: do nothing);
 *   <li>list {@code incoming/} page by page, with no limit;
 *   <li>files already in the ledger (committed by a pass that stopped before moving them): only move;
 *   <li>the rest in batches, each one transaction ({@link Warehouse#load}); a file that cannot be read
 *       goes to {@code quarantine/} and its batch is tried again without it;
 *   <li>after each commit, move the batch's files to {@code archive/}.
 * </ol>
 * A crash between a commit and its moves leaves files that the next pass finds in the ledger and only
 * moves, so no row is loaded twice.
 */
public final class Loader {

    private static final Logger log = LoggerFactory.getLogger(Loader.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Warehouse warehouse;
    private final ObjectStore store;
    private final int batchFiles;
    private final Clock clock;
    private Runnable afterCommit = () -> { };

    public Loader(Warehouse warehouse, ObjectStore store, int batchFiles, Clock clock) {
        this.warehouse = warehouse;
        this.store = store;
        this.batchFiles = batchFiles;
        this.clock = clock;
    }

    /** Runs between a batch's commit and its moves: for tests that crash a pass right there. */
    Loader afterCommit(Runnable hook) {
        this.afterCommit = hook;
        return this;
    }

    /** How often a batch is tried again when the warehouse fails in a way that may pass (a lock held, a lost connection). */
    private RetryPolicy retry = RetryPolicy.standard().withAttempts(4);

    /** Another retry policy: for tests. */
    Loader retry(RetryPolicy policy) {
        this.retry = policy;
        return this;
    }

    /**
     * One batch's transaction, tried again while the warehouse's failure is retriable (the dialect
     * decides), at most a few times; a bad file or a fatal failure is thrown at once. Each try is a
     * whole transaction: nothing of a failed one was committed.
     */
    private BatchLoad loadRetrying(List<String> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                return warehouse.load(batch, store, nextLoadedAt());
            } catch (WarehouseException e) {
                if (e instanceof UnreadableFileException || !retry.shouldRetry(e, attempt)) {
                    throw e;
                }
                java.time.Duration d = retry.delay(attempt);
                log.warn("load: {} (attempt {}); trying again in {} ms", e.getMessage(), attempt, d.toMillis());
                try {
                    Thread.sleep(d.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Runs one pass.
     *
     * @param progress told the number of files done so far (loaded, moved or quarantined)
     * @param total    told the number of files found, once listed
     * @throws WarehouseException when the warehouse fails (what was committed stays committed)
     * @throws StoreException when the file store fails
     */
    public LoadSummary run(LongConsumer total, LongConsumer progress) {
        long start = System.nanoTime();
        Optional<Warehouse.LoadLock> lock = warehouse.tryLoadLock();
        if (lock.isEmpty()) {
            log.info("load: another load holds the lock; nothing to do");
            return new LoadSummary(0, 0, 0, 0, 0, 0, List.of(), true, 0);
        }
        try (Warehouse.LoadLock held = lock.get()) {
            warehouse.ensureSchema();
            List<String> keys;
            try (Stream<StoredObject> listed = store.list(DfsLayout.INCOMING)) {
                keys = listed.map(StoredObject::key).filter(k -> k.endsWith(DfsLayout.SUFFIX)).toList();
            }
            total.accept(keys.size());
            log.info("load: {} files in {}/{}", keys.size(), store.location(), DfsLayout.INCOMING);
            AtomicLong done = new AtomicLong();
            long files = 0;
            long rows = 0;
            long inserted = 0;
            long duplicates = 0;
            long archived = 0;
            List<String> quarantined = new ArrayList<>();

            Set<String> already = warehouse.loadedFiles(keys).keySet();
            for (String key : already) {
                // Committed by a pass that stopped before its moves: only the move is left.
                archive(key);
                archived++;
                progress.accept(done.incrementAndGet());
            }
            if (!already.isEmpty()) {
                log.info("load: {} files were already loaded and only moved to archive/", already.size());
            }
            List<String> todo = keys.stream().filter(k -> !already.contains(k)).toList();
            for (int from = 0; from < todo.size(); from += batchFiles) {
                List<String> batch = new ArrayList<>(todo.subList(from, Math.min(todo.size(), from + batchFiles)));
                while (!batch.isEmpty()) {
                    BatchLoad result;
                    try {
                        result = loadRetrying(batch);
                    } catch (UnreadableFileException e) {
                        quarantine(e.fileKey(), e.reason());
                        quarantined.add(e.fileKey());
                        batch.remove(e.fileKey());
                        progress.accept(done.incrementAndGet());
                        continue;
                    }
                    afterCommit.run();
                    for (BatchLoad.FileLoad f : result.files()) {
                        archive(f.fileKey());
                        archived++;
                        progress.accept(done.incrementAndGet());
                    }
                    for (String k : result.skipped()) {
                        archive(k);
                        archived++;
                        progress.accept(done.incrementAndGet());
                    }
                    files += result.files().size();
                    rows += result.rows();
                    duplicates += result.duplicates();
                    inserted += result.rows() - result.duplicates();
                    log.info("load: committed {} files, {} rows, {} duplicates skipped", result.files().size(),
                            result.rows(), result.duplicates());
                    break;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new LoadSummary(files, rows, inserted, duplicates, archived, quarantined.size(), quarantined, false,
                    Math.round(seconds * 1000) / 1000.0);
        }
    }

    private Instant lastLoadedAt = Instant.EPOCH;

    /** A load time that is distinct per batch (rows inserted per file are counted by it). */
    private Instant nextLoadedAt() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (!now.isAfter(lastLoadedAt)) {
            now = lastLoadedAt.plus(1, ChronoUnit.MICROS);
        }
        lastLoadedAt = now;
        return now;
    }

    private void archive(String key) {
        store.move(key, DfsLayout.archiveKey(key));
    }

    private void quarantine(String key, String reason) {
        String target = DfsLayout.quarantineKey(key);
        ObjectNode why = JSON.createObjectNode()
                .put("file", key)
                .put("reason", reason)
                .put("quarantined_at", clock.instant().toString())
                .put("warehouse", warehouse.describe());
        store.put(DfsLayout.reasonKey(target), why.toString().getBytes(StandardCharsets.UTF_8));
        store.move(key, target);
        log.warn("load: quarantined '{}': {}", key, reason);
    }
}
