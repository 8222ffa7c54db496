package dev.eventpipe.lake;

import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;

/**
 * Reads the lake's records and Parquet files into a {@link LakeState}, and a generation's list of
 * sources where one is needed. The records are listed before the Parquet files: a generation that
 * commits between the two listings is then seen as not yet committed (its sources are still in
 * {@code archive/}), never as a Parquet file without its record. Records are small JSON files, read
 * several at a time (one GET each on S3); their number grows with days, not with files.
 */
public final class LakeReader {

    private static final int PARALLEL_READS = 8;

    private LakeReader() {
    }

    /** The whole lake. */
    public static LakeState read(ObjectStore store) {
        return read(store, DfsLayout.LAKE_COMMITS, DfsLayout.LAKE);
    }

    /** One date of the lake (and the records of that date that could not be read). */
    public static LakeState read(ObjectStore store, LocalDate date) {
        return read(store, DfsLayout.lakeCommitPartition(date), DfsLayout.lakePartition(date));
    }

    private static LakeState read(ObjectStore store, String commitsPrefix, String lakePrefix) {
        List<String> listed = keys(store, commitsPrefix, DfsLayout.COMMIT_SUFFIX);
        List<String> recordKeys = listed.stream().filter(DfsLayout::isLakeCommit).toList();
        Set<String> sourceLists = new HashSet<>(listed.stream().filter(k -> !DfsLayout.isLakeCommit(k)).toList());
        Set<String> parquet = new HashSet<>(keys(store, lakePrefix, DfsLayout.PARQUET_SUFFIX));
        List<Object> read = readAll(store, recordKeys);
        Map<LocalDate, List<LakeCommit>> committed = new TreeMap<>();
        Map<LocalDate, List<LakeCommit>> uncommitted = new TreeMap<>();
        Map<LocalDate, List<String>> orphans = new TreeMap<>();
        Map<LocalDate, List<String>> strays = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        Set<String> recorded = new HashSet<>();
        for (Object r : read) {
            if (r == null) {
                continue;
            }
            if (r instanceof LakeCommit c) {
                recorded.add(c.parquet());
                sourceLists.remove(c.sourcesKey());
                (parquet.contains(c.parquet()) ? committed : uncommitted).computeIfAbsent(c.date(), d -> new ArrayList<>()).add(c);
            } else {
                unreadable.add((String) r);
            }
        }
        for (String p : parquet) {
            if (!recorded.contains(p)) {
                DfsLayout.partition(p).ifPresent(d -> orphans.computeIfAbsent(d, x -> new ArrayList<>()).add(p));
            }
        }
        for (String k : sourceLists) {
            DfsLayout.partition(k).ifPresent(d -> strays.computeIfAbsent(d, x -> new ArrayList<>()).add(k));
        }
        TreeMap<LocalDate, LakeState.Day> days = new TreeMap<>();
        Set<LocalDate> dates = new HashSet<>(committed.keySet());
        dates.addAll(uncommitted.keySet());
        dates.addAll(orphans.keySet());
        dates.addAll(strays.keySet());
        for (LocalDate d : dates) {
            List<LakeCommit> done = new ArrayList<>(committed.getOrDefault(d, List.of()));
            done.sort(Comparator.comparing(LakeCommit::generation));
            days.put(d, new LakeState.Day(d, done, uncommitted.getOrDefault(d, List.of()), orphans.getOrDefault(d, List.of()),
                    strays.getOrDefault(d, List.of())));
        }
        return new LakeState(days, unreadable);
    }

    /**
     * The archived files of a generation, each with its rows.
     *
     * @throws IOException when its list is missing or is not one
     */
    public static List<LakeCommit.Source> sources(ObjectStore store, LakeCommit commit) throws IOException {
        try (InputStream in = store.open(commit.sourcesKey())) {
            return LakeCommit.Sources.read(in).sources();
        } catch (dev.eventpipe.store.StoreException e) {
            if (e.missing()) {
                throw new IOException("the list of sources '" + commit.sourcesKey() + "' of generation '" + commit.generation()
                        + "' is missing", e);
            }
            throw e;
        }
    }

    /** The archive keys of every file whose rows are in the lake on {@code day}. */
    public static Set<String> compactedSources(ObjectStore store, LakeState.Day day) throws IOException {
        Set<String> keys = new HashSet<>();
        for (LakeCommit c : day.committed()) {
            sources(store, c).forEach(s -> keys.add(s.key()));
        }
        return keys;
    }

    private static List<String> keys(ObjectStore store, String prefix, String suffix) {
        try (Stream<StoredObject> s = store.list(prefix)) {
            return s.map(StoredObject::key).filter(k -> k.endsWith(suffix)).toList();
        }
    }

    /** Each record, a line naming one that could not be read, or null for one deleted since it was listed. */
    private static List<Object> readAll(ObjectStore store, List<String> keys) {
        if (keys.size() <= 1) {
            return keys.stream().map(k -> readOne(store, k)).collect(java.util.stream.Collectors.toList());
        }
        ForkJoinPool pool = new ForkJoinPool(PARALLEL_READS);
        try {
            return pool.submit(() -> keys.parallelStream().map(k -> readOne(store, k))
                    .collect(java.util.stream.Collectors.toList())).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the lake's records", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    private static Object readOne(ObjectStore store, String key) {
        try (InputStream in = store.open(key)) {
            LakeCommit c = LakeCommit.read(in);
            if (!key.equals(DfsLayout.lakeCommitKey(c.date(), c.generation()))) {
                return key + ": its day and generation name another record";
            }
            return c;
        } catch (IOException e) {
            return key + ": " + e.getMessage();
        } catch (dev.eventpipe.store.StoreException e) {
            if (e.missing()) {
                // an uncommitted record cleaned up by a compaction since the listing
                return null;
            }
            throw e;
        }
    }
}
