package dev.eventpipe.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.event.Event;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.testkit.StoreContents;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction on a local file store, read back with DuckDB as any engine would read the lake. */
class CompactorIT {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    private static final FinishedDays GRACE = new FinishedDays(Duration.ofHours(1));

    @TempDir
    Path dir;

    private LocalObjectStore store;

    @BeforeEach
    void setUp() {
        store = new LocalObjectStore(dir.resolve("dfs"));
    }

    private Compactor compactor(java.time.Instant now) {
        return new Compactor(store, GRACE, Clock.fixed(now, ZoneOffset.UTC));
    }

    private List<Event> archiveDay(LocalDate day, int files, int perFile, long seed) {
        List<Event> all = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            List<Event> events = LakeFiles.events(day, perFile, seed + i);
            LakeFiles.archive(store, "w" + seed, i, events);
            all.addAll(events);
        }
        return all;
    }

    private List<String> lakeIds() throws Exception {
        return LakeFiles.query(dir.resolve("dfs"), "SELECT id FROM LAKE", rs -> rs.getString(1));
    }

    @Test
    void aFinishedDayBecomesOneParquetFileSortedByTimestampAndItsArchivedFilesAreDeleted() throws Exception {
        List<Event> events = archiveDay(DAY, 12, 250, 1);
        List<Event> today = LakeFiles.events(DAY.plusDays(1), 10, 99);
        String waiting = LakeFiles.archive(store, "today", 1, today);

        CompactionSummary s = compactor(DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(2))).run();

        assertThat(s.days()).isEqualTo(1);
        assertThat(s.files()).isEqualTo(12);
        assertThat(s.generations()).isEqualTo(1);
        assertThat(s.rows()).isEqualTo(3_000);
        assertThat(s.duplicates()).isZero();
        assertThat(s.waitingDays()).isEqualTo(1);
        assertThat(s.failedDays()).isEmpty();
        assertThat(StoreContents.keys(store, DfsLayout.archivePartition(DAY))).isEmpty();
        assertThat(StoreContents.keys(store, DfsLayout.ARCHIVE)).containsExactly(waiting);
        List<String> parquet = StoreContents.keys(store, DfsLayout.LAKE);
        assertThat(parquet).singleElement().asString().startsWith(DfsLayout.lakePartition(DAY) + "part-").endsWith(".parquet");
        assertThat(lakeIds()).containsExactlyInAnyOrderElementsOf(LakeFiles.ids(events));
        List<Timestamp> times = LakeFiles.query(dir.resolve("dfs"), "SELECT \"timestamp\" FROM LAKE", rs -> rs.getTimestamp(1));
        assertThat(times).isSortedAccordingTo(java.util.Comparator.naturalOrder());
        assertThat(LakeFiles.query(dir.resolve("dfs"), "SELECT DISTINCT dt FROM LAKE", rs -> rs.getDate(1).toLocalDate()))
                .containsExactly(DAY);
    }

    @Test
    void everyRowKeepsEveryValueAndNamesTheFileItCameFrom() throws Exception {
        List<Event> events = LakeFiles.events(DAY, 50, 3);
        String key = LakeFiles.archive(store, "w", 7, events);
        compactor(LakeFiles.after(DAY)).run();
        Event e = events.get(17);
        List<String> row = LakeFiles.query(dir.resolve("dfs"), "SELECT anonymous_id, \"event\", CAST(\"timestamp\" AS VARCHAR), "
                + "CAST(epoch_us(original_timestamp) AS VARCHAR), source_file FROM LAKE WHERE id = '" + e.id() + "'",
                rs -> List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5))).get(0);
        assertThat(row.get(0)).isEqualTo(e.get(dev.eventpipe.event.EventField.ANONYMOUS_ID));
        assertThat(row.get(1)).isEqualTo(e.name());
        assertThat(java.time.LocalDateTime.parse(row.get(2).replace(' ', 'T')).toInstant(ZoneOffset.UTC)).isEqualTo(e.timestamp());
        java.time.Instant original = ((java.time.OffsetDateTime) e.get(dev.eventpipe.event.EventField.ORIGINAL_TIMESTAMP)).toInstant();
        assertThat(Long.parseLong(row.get(3))).isEqualTo(original.getEpochSecond() * 1_000_000 + original.getNano() / 1000);
        assertThat(row.get(4)).as("the incoming key, as the warehouse's source_file").isEqualTo(DfsLayout.incomingKeyOf(key));
    }

    @Test
    void everyFileOfTheLakeHasTheLakeSchemaInOrder() throws Exception {
        archiveDay(DAY, 2, 20, 5);
        archiveDay(DAY.minusDays(3), 2, 20, 105);
        compactor(LakeFiles.after(DAY)).run();
        List<String> files = StoreContents.keys(store, DfsLayout.LAKE);
        assertThat(files).hasSize(2);
        List<String> expected = LakeSchema.columns().stream().map(c -> c.name() + " " + LakeSchema.duckDbType(c.type())).toList();
        for (String f : files) {
            String path = store.localFile(f).orElseThrow().toString();
            List<String> described = LakeFiles.query(dir, "DESCRIBE SELECT * FROM read_parquet('" + path + "', hive_partitioning = false)",
                    rs -> rs.getString(1) + " " + rs.getString(2).replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"));
            assertThat(described).containsExactlyElementsOf(expected);
        }
        assertThat(LakeFiles.query(dir.resolve("dfs"), "SELECT dt, count(*) FROM LAKE GROUP BY dt ORDER BY dt",
                rs -> rs.getDate(1).toLocalDate() + "=" + rs.getLong(2))).containsExactly(DAY.minusDays(3) + "=40", DAY + "=40");
    }

    @Test
    void theDuckDbSqlOfCompactSqlReadsTheLakeAsOneTableWithItsDayPartitions() throws Exception {
        archiveDay(DAY, 2, 30, 301);
        archiveDay(DAY.minusDays(1), 1, 30, 401);
        compactor(LakeFiles.after(DAY)).run();
        String view = new LakeSql(store.localFile(DfsLayout.LAKE).orElseThrow() + "/").duckDb();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); java.sql.Statement st = c.createStatement()) {
            st.execute(view);
            try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT id) FROM " + LakeSql.TABLE
                    + " WHERE dt = DATE '" + DAY + "'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(60);
                assertThat(rs.getLong(2)).isEqualTo(60);
            }
        }
    }

    @Test
    void compactingAgainChangesNothing() throws Exception {
        archiveDay(DAY, 3, 100, 11);
        compactor(LakeFiles.after(DAY)).run();
        List<String> lake = StoreContents.keys(store, "lake/");
        CompactionSummary again = compactor(LakeFiles.after(DAY).plusSeconds(60)).run();
        assertThat(again.generations()).isZero();
        assertThat(again.files()).isZero();
        assertThat(StoreContents.keys(store, "lake/")).isEqualTo(lake);
        assertThat(lakeIds()).hasSize(300);
    }

    @Test
    void aDayIsLeftAloneWithinItsGraceAndWhileFilesOfItWaitForALoad() throws Exception {
        archiveDay(DAY, 2, 10, 21);
        java.time.Instant midnight = DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(compactor(midnight.plus(Duration.ofMinutes(59))).run().waitingDays()).isEqualTo(1);
        String pending = LakeFiles.incoming(store, "late", 1, LakeFiles.events(DAY, 5, 522));
        CompactionSummary s = compactor(midnight.plus(Duration.ofMinutes(61))).run();
        assertThat(s.waitingDays()).as("a file of the day still in incoming/").isEqualTo(1);
        assertThat(StoreContents.keys(store, DfsLayout.LAKE)).isEmpty();
        store.move(pending, DfsLayout.archiveKey(pending));
        assertThat(compactor(midnight.plus(Duration.ofMinutes(62))).run().rows()).isEqualTo(25);
    }

    @Test
    void anIdRepeatedInTheArchivedFilesIsWrittenOnce() throws Exception {
        List<Event> events = LakeFiles.events(DAY, 100, 31);
        LakeFiles.archive(store, "w", 1, events.subList(0, 60));
        // a redelivered message: the same events in a second consumer's file
        LakeFiles.archive(store, "v", 1, events.subList(40, 100));
        CompactionSummary s = compactor(LakeFiles.after(DAY)).run();
        assertThat(s.rows()).isEqualTo(100);
        assertThat(s.duplicates()).isEqualTo(20);
        assertThat(lakeIds()).hasSize(100).doesNotHaveDuplicates();
        LakeState.Day day = LakeReader.read(store).day(DAY);
        assertThat(day.committed()).singleElement().satisfies(c -> {
            assertThat(c.rowsRead()).isEqualTo(120);
            assertThat(c.files()).isEqualTo(2);
            assertThat(c.writers()).isEqualTo(java.util.Map.of("w", 1L, "v", 1L));
            assertThat(LakeReader.sources(store, c)).extracting(LakeCommit.Source::rows).containsExactlyInAnyOrder(60L, 40L);
        });
    }

    @Test
    void aLateFileBecomesOneMoreParquetFileOfItsDayWithoutTheIdsTheDayHasAlready() throws Exception {
        List<Event> first = archiveDay(DAY, 4, 50, 41);
        compactor(LakeFiles.after(DAY)).run();
        List<Event> late = new ArrayList<>(LakeFiles.events(DAY, 30, 49));
        late.addAll(first.subList(0, 10));
        LakeFiles.archive(store, "late", 1, late);
        CompactionSummary s = compactor(LakeFiles.after(DAY).plus(Duration.ofDays(2))).run();
        assertThat(s.generations()).isEqualTo(1);
        assertThat(s.rows()).isEqualTo(30);
        assertThat(s.duplicates()).isEqualTo(10);
        assertThat(StoreContents.keys(store, DfsLayout.lakePartition(DAY))).hasSize(2);
        assertThat(lakeIds()).hasSize(230).doesNotHaveDuplicates();
        assertThat(StoreContents.keys(store, DfsLayout.ARCHIVE)).isEmpty();
    }

    @Test
    void aDayLargerThanOneFileSplitsIntoSeveralWithEachIdOnce() throws Exception {
        List<Event> events = LakeFiles.events(DAY, 600, 51);
        for (int i = 0; i < 6; i++) {
            LakeFiles.archive(store, "w", i, events.subList(i * 100, i * 100 + 100));
        }
        LakeFiles.archive(store, "x", 1, events.subList(0, 100));
        CompactionSummary s = compactor(LakeFiles.after(DAY)).maxGenerationBytes(30_000).run();
        assertThat(s.generations()).isGreaterThan(1);
        assertThat(s.rows()).isEqualTo(600);
        assertThat(lakeIds()).hasSize(600).doesNotHaveDuplicates();
        assertThat(new HashSet<>(lakeIds())).isEqualTo(new HashSet<>(LakeFiles.ids(events)));
    }

    @Test
    void aGenerationThatNeverCommittedIsDiscardedAndItsFilesCompactedAgain() throws Exception {
        archiveDay(DAY, 3, 40, 61);
        String abandoned = "20261125T010000000Z-00000000";
        List<String> sources = StoreContents.keys(store, DfsLayout.ARCHIVE);
        LakeCommit planned = new LakeCommit(DAY.toString(), abandoned, DfsLayout.lakeKey(DAY, abandoned), 1, 120, 120, 0, 3,
                LakeCommit.writersOf(sources), "2026-11-25T01:00:00Z");
        store.put(planned.sourcesKey(), new LakeCommit.Sources(sources.stream().map(k -> new LakeCommit.Source(k, 40)).toList()).toJson());
        store.put(DfsLayout.lakeCommitKey(DAY, abandoned), planned.toJson());
        // and a list of sources whose record was never written
        store.put(DfsLayout.lakeSourcesKey(DAY, "20261125T010500000Z-00000001"), new LakeCommit.Sources(List.of()).toJson());
        assertThat(LakeReader.read(store).day(DAY).uncommitted()).hasSize(1);

        CompactionSummary s = compactor(LakeFiles.after(DAY)).run();

        assertThat(s.abandoned()).isEqualTo(1);
        assertThat(s.rows()).isEqualTo(120);
        assertThat(store.exists(DfsLayout.lakeCommitKey(DAY, abandoned))).isFalse();
        assertThat(StoreContents.keys(store, DfsLayout.LAKE_COMMITS)).hasSize(2).allMatch(k -> !k.contains("Z-0000000"));
        assertThat(LakeReader.read(store).day(DAY).committed()).hasSize(1);
        assertThat(lakeIds()).hasSize(120).doesNotHaveDuplicates();
    }

    @Test
    void filesACommittedGenerationListsAreOnlyDeleted() throws Exception {
        List<Event> events = LakeFiles.events(DAY, 80, 71);
        String key = LakeFiles.archive(store, "w", 1, events);
        compactor(LakeFiles.after(DAY)).run();
        // As a compaction killed after its commit leaves it, or a load's move repeated after the file was compacted.
        LakeFiles.archive(store, "w", 1, events);
        assertThat(store.exists(key)).isTrue();

        CompactionSummary s = compactor(LakeFiles.after(DAY).plusSeconds(60)).run();

        assertThat(s.finishing()).isEqualTo(1);
        assertThat(s.generations()).isZero();
        assertThat(store.exists(key)).isFalse();
        assertThat(lakeIds()).hasSize(80);
    }

    @Test
    void aParquetFileWithoutARecordStopsItsDayAndNamesIt() throws Exception {
        archiveDay(DAY, 1, 10, 81);
        store.put(DfsLayout.lakeKey(DAY, "foreign"), new byte[] {1, 2, 3});
        CompactionSummary s = compactor(LakeFiles.after(DAY)).run();
        assertThat(s.failedDays()).singleElement().asString().contains("dt=" + DAY).contains("without a record").contains("foreign");
        assertThat(StoreContents.keys(store, DfsLayout.ARCHIVE)).hasSize(1);
    }

    @Test
    void aSecondCompactionWhileOneHoldsTheLockDoesNothing() throws Exception {
        archiveDay(DAY, 1, 10, 91);
        try (CompactionLock held = CompactionLock.tryTake(store).orElseThrow()) {
            assertThat(compactor(LakeFiles.after(DAY)).run().skipped()).isTrue();
        }
        assertThat(compactor(LakeFiles.after(DAY)).run().rows()).isEqualTo(10);
    }
}
