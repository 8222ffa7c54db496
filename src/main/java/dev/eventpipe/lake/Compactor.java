package dev.eventpipe.lake;

import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code eventpipe compact}: rewrites the archived files of each finished day ({@link FinishedDays})
 * into a few large Parquet files under {@code lake/events/dt=YYYY-MM-DD/}, then deletes them.
 *
 * <p>Each Parquet file is one generation, committed by one atomic step, the appearance of the file
 * itself (local: a temp file, fsync, rename; S3: one PUT): an engine reading the lake sees all its
 * rows or none. In order:
 * <ol>
 *   <li>the Parquet file is written in a local temp folder (S3 sources are first copied there);
 *   <li>the list of its sources, then its record ({@link LakeCommit}: rows, writers), are written to {@code lake/commits/};
 *   <li>the Parquet file is put in place: the commit;
 *   <li>its sources are deleted from {@code archive/}.
 * </ol>
 * A crash before 3 leaves a record without its Parquet file: the next run discards it and compacts
 * the sources again. A crash after 3 leaves sources that a committed record lists: the next run only
 * deletes them. So every archived file's rows are counted in {@code archive/} or in the lake, never
 * both, and running compaction again changes nothing. A file that lands in {@code archive/} after its
 * day was compacted (a late event, a consumer catching up) becomes one more generation of that day
 * at the next run, without the ids the day's lake already holds.
 */
public final class Compactor {

    private static final Logger log = LoggerFactory.getLogger(Compactor.class);
    private static final DateTimeFormatter GENERATION = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * NDJSON-gzip input per Parquet file at most (one file is always taken whole): about 10 million
     * events, a Parquet file of several hundred MB. Big enough that a day is a few files, which
     * every engine reads well; small enough for one S3 PUT (5 GB at most) and a sort of modest size.
     */
    public static final long MAX_GENERATION_BYTES = 1L << 30;

    private final ObjectStore store;
    private final FinishedDays finished;
    private final Clock clock;
    private long maxGenerationBytes = MAX_GENERATION_BYTES;

    public Compactor(ObjectStore store, FinishedDays finished, Clock clock) {
        this.store = store;
        this.finished = finished;
        this.clock = clock;
    }

    /** Another size limit per Parquet file's input: for tests. */
    Compactor maxGenerationBytes(long bytes) {
        this.maxGenerationBytes = bytes;
        return this;
    }

    /** What one run has done so far. */
    private static final class Tally {
        final Set<LocalDate> days = new TreeSet<>();
        long files;
        long sourceBytes;
        int generations;
        long parquetBytes;
        long rows;
        long duplicates;
        long finishing;
        int abandoned;
        int waiting;
        final List<String> failed = new ArrayList<>();
    }

    /**
     * Compacts every finished day with archived files. A day that fails is named in the summary and
     * left as it was (or as its last committed generation left it); the other days go on.
     *
     * @throws dev.eventpipe.store.StoreException when the file store cannot be listed
     */
    public CompactionSummary run() {
        long start = System.nanoTime();
        Optional<CompactionLock> lock = CompactionLock.tryTake(store);
        if (lock.isEmpty()) {
            log.info("compact: another compaction holds the lock; nothing to do");
            return CompactionSummary.lockHeld();
        }
        Tally t = new Tally();
        try (CompactionLock held = lock.get()) {
            Instant now = clock.instant();
            Map<LocalDate, List<StoredObject>> archived = byDay(DfsLayout.ARCHIVE);
            Set<LocalDate> loading = byDay(DfsLayout.INCOMING).keySet();
            log.debug("compact: archive/ and incoming/ listed in {} ms", ms(System.nanoTime() - start));
            for (Map.Entry<LocalDate, List<StoredObject>> day : archived.entrySet()) {
                if (!finished.finished(day.getKey(), now) || loading.contains(day.getKey())) {
                    t.waiting++;
                    continue;
                }
                try {
                    compactDay(day.getKey(), day.getValue(), t);
                } catch (SQLException | IOException | RuntimeException e) {
                    String why = describe(e);
                    log.error("compact: dt={} failed: {}", day.getKey(), why, e);
                    t.failed.add("dt=" + day.getKey() + ": " + why);
                }
            }
        }
        double seconds = Math.round((System.nanoTime() - start) / 1e6) / 1000.0;
        CompactionSummary s = new CompactionSummary(t.days.size(), t.files, t.sourceBytes, t.generations, t.parquetBytes, t.rows,
                t.duplicates, t.finishing, t.abandoned, t.waiting, t.failed, false, seconds);
        log.info("compact: {}", s.line());
        return s;
    }

    private Map<LocalDate, List<StoredObject>> byDay(String area) {
        Map<LocalDate, List<StoredObject>> out = new TreeMap<>();
        try (Stream<StoredObject> s = store.list(area)) {
            s.filter(o -> o.key().endsWith(DfsLayout.SUFFIX)).forEach(o -> DfsLayout.partition(o.key())
                    .ifPresent(d -> out.computeIfAbsent(d, x -> new ArrayList<>()).add(o)));
        }
        return out;
    }

    private void compactDay(LocalDate day, List<StoredObject> files, Tally t) throws SQLException, IOException {
        LakeState state = LakeReader.read(store, day);
        if (!state.unreadable().isEmpty()) {
            throw new IllegalStateException("records in the lake that cannot be read (what their Parquet files hold is unknown): "
                    + String.join("; ", state.unreadable()));
        }
        LakeState.Day lake = state.day(day);
        if (!lake.orphans().isEmpty()) {
            throw new IllegalStateException("Parquet files in the lake without a record (not written by 'eventpipe compact'): "
                    + String.join(", ", lake.orphans()) + "; move them out of " + DfsLayout.LAKE);
        }
        for (LakeCommit never : lake.uncommitted()) {
            // Planned by a compaction that stopped before its Parquet file was in place: nothing of it is visible.
            store.delete(DfsLayout.lakeCommitKey(day, never.generation()));
            store.delete(never.sourcesKey());
            t.abandoned++;
            log.info("compact: dt={}: discarded generation '{}', which never committed", day, never.generation());
        }
        for (String stray : lake.strays()) {
            // A list of sources whose record was never written: the compaction stopped between the two.
            store.delete(stray);
        }
        Set<String> inLake = LakeReader.compactedSources(store, lake);
        List<StoredObject> todo = new ArrayList<>();
        for (StoredObject f : files) {
            if (inLake.contains(f.key())) {
                // Committed by a compaction that stopped before deleting it (or moved here again by a repeated load move).
                store.delete(f.key());
                t.finishing++;
            } else {
                todo.add(f);
            }
        }
        List<String> parts = new ArrayList<>(lake.parquetKeys());
        for (List<StoredObject> chunk : chunks(todo)) {
            LakeCommit c = generation(day, chunk, parts);
            parts.add(c.parquet());
            t.days.add(day);
            t.generations++;
            t.files += chunk.size();
            t.sourceBytes += chunk.stream().mapToLong(StoredObject::size).sum();
            t.parquetBytes += c.parquetBytes();
            t.rows += c.rows();
            t.duplicates += c.duplicatesDropped();
        }
    }

    /** Consecutive runs of files (in key order) of at most {@code maxGenerationBytes}, one file at least each. */
    private List<List<StoredObject>> chunks(List<StoredObject> files) {
        List<List<StoredObject>> out = new ArrayList<>();
        List<StoredObject> current = new ArrayList<>();
        long bytes = 0;
        for (StoredObject f : files.stream().sorted(Comparator.comparing(StoredObject::key)).toList()) {
            if (!current.isEmpty() && bytes + f.size() > maxGenerationBytes) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(f);
            bytes += f.size();
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private LakeCommit generation(LocalDate day, List<StoredObject> sources, List<String> earlierParts) throws SQLException, IOException {
        long t0 = System.nanoTime();
        Instant now = clock.instant();
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        String generation = GENERATION.format(now) + "-" + HexFormat.of().formatHex(random);
        Path stage = Files.createTempDirectory("eventpipe-compact-");
        try {
            List<DuckDbParquetWriter.LocalSource> local = new ArrayList<>();
            for (StoredObject s : sources) {
                local.add(new DuckDbParquetWriter.LocalSource(s.key(), localCopy(s.key(), stage.resolve("sources"))));
            }
            List<Path> earlier = new ArrayList<>();
            for (String p : earlierParts) {
                earlier.add(localCopy(p, stage.resolve("earlier")));
            }
            Path staged = stage.resolve("part" + DfsLayout.PARQUET_SUFFIX);
            long tWrite = System.nanoTime();
            DuckDbParquetWriter.Written w = new DuckDbParquetWriter(stage.resolve("spill")).write(local, earlier, staged);
            String parquet = DfsLayout.lakeKey(day, generation);
            List<LakeCommit.Source> listed = sources.stream()
                    .map(s -> new LakeCommit.Source(s.key(), w.rowsPerSource().getOrDefault(s.key(), 0L))).toList();
            LakeCommit commit = new LakeCommit(day.toString(), generation, parquet, Files.size(staged), w.rows(), w.rowsRead(),
                    w.rowsRead() - w.rows(), sources.size(), LakeCommit.writersOf(sources.stream().map(StoredObject::key).toList()),
                    now.toString());
            long tRecord = System.nanoTime();
            store.put(commit.sourcesKey(), new LakeCommit.Sources(listed).toJson());
            store.put(DfsLayout.lakeCommitKey(day, generation), commit.toJson());
            CompactionHold.at("planned", sources.size() + " files, " + w.rows() + " rows");
            long tPut = System.nanoTime();
            store.putFile(parquet, staged);
            long tPlaced = System.nanoTime();
            log.info("compact: dt={}: {} files ({} rows) into '{}' ({} rows, {} duplicates left out, {} bytes) in {} ms", day,
                    sources.size(), w.rowsRead(), parquet, w.rows(), w.rowsRead() - w.rows(), commit.parquetBytes(),
                    (System.nanoTime() - t0) / 1_000_000);
            CompactionHold.at("committed", sources.size() + " files, " + w.rows() + " rows");
            for (int i = 0; i < sources.size(); i++) {
                store.delete(sources.get(i).key());
                if (i == 0) {
                    CompactionHold.at("deleting", "1 of " + sources.size() + " files deleted");
                }
            }
            log.debug("compact: dt={}: staged in {} ms, Parquet written in {} ms, record in {} ms, put in place in {} ms, "
                    + "{} files deleted in {} ms", day, ms(tWrite - t0), ms(tRecord - tWrite), ms(tPut - tRecord), ms(tPlaced - tPut),
                    sources.size(), ms(System.nanoTime() - tPlaced));
            return commit;
        } finally {
            deleteQuietly(stage);
        }
    }

    /** The object as a local file: in place on a local store, else copied into {@code folder}. */
    private Path localCopy(String key, Path folder) throws IOException {
        Optional<Path> inPlace = store.localFile(key);
        if (inPlace.isPresent()) {
            return inPlace.get();
        }
        Path target = folder.resolve(key);
        Files.createDirectories(target.getParent());
        try (InputStream in = store.open(key)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary copies; the OS cleans its temp folder
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
