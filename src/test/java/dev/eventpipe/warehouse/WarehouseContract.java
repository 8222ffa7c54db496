package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventField;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.NdjsonGzip;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.testkit.EventFiles;
import dev.eventpipe.testkit.StoreContents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every warehouse guarantees, run against each engine: DuckDB always, PostgreSQL where
 * {@code EVENTPIPE_TEST_POSTGRES_URL} is set.
 */
abstract class WarehouseContract {

    static final LongConsumer IGNORE = n -> { };

    Warehouse warehouse;
    ObjectStore store;

    abstract Warehouse newWarehouse() throws Exception;

    abstract ObjectStore newStore() throws Exception;

    void cleanUp() throws Exception {
    }

    @BeforeEach
    void setUp() throws Exception {
        warehouse = newWarehouse();
        store = newStore();
        store.ensureReady();
    }

    @AfterEach
    void tearDown() throws Exception {
        warehouse.close();
        cleanUp();
    }

    LoadSummary load() {
        return new Loader(warehouse, store, 50, Clock.systemUTC()).run(IGNORE, IGNORE);
    }

    long count(String sql) {
        return warehouse.query(sql, List.of(), rs -> rs.getLong(1)).get(0);
    }

    /** Where the engine needs an index to find a load's rows by {@code loaded_at} (PostgreSQL), it is there. */
    void assertLoadedAtIndexed() throws SQLException {
    }

    /** What the loads keep besides the rows equals what events holds now (see {@link KeptSummaries}). */
    void assertSummariesMatchEvents() {
        KeptSummaries.assertMatchEvents(warehouse);
    }

    @Test
    void theSchemaIsCreatedOnceWithItsVersion() throws SQLException {
        assertThat(warehouse.ensureSchema()).singleElement().asString().endsWith("schema version 5 created");
        assertThat(warehouse.ensureSchema()).singleElement().asString().endsWith("schema version 5 unchanged");
        assertThat(count("SELECT max(version) FROM " + Schema.VERSION_TABLE)).isEqualTo(Schema.VERSION);
        assertLoadedAtIndexed();
        assertThat(count("SELECT count(*) FROM " + Schema.EVENTS)).isZero();
    }

    @Test
    void everyFileIsLoadedArchivedAndRecordedInTheLedger() {
        List<Event> a = EventFiles.events(300, 1);
        List<Event> b = EventFiles.events(200, 2);
        String ka = EventFiles.write(store, "w", 1, a);
        String kb = EventFiles.write(store, "w", 2, b);
        LoadSummary s = load();
        assertThat(s.files()).isEqualTo(2);
        assertThat(s.rows()).isEqualTo(500);
        assertThat(s.inserted()).isEqualTo(500);
        assertThat(s.duplicates()).isZero();
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(500);
        assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).isEmpty();
        assertThat(StoreContents.keys(store, DfsLayout.ARCHIVE)).containsExactly(DfsLayout.archiveKey(ka), DfsLayout.archiveKey(kb));
        assertThat(warehouse.loadedFiles(List.of(ka, kb, "other"))).isEqualTo(Map.of(ka, 300L, kb, 200L));
        assertThat(count("SELECT count(*) FROM events WHERE source_file = '" + ka + "'")).isEqualTo(300);
        WarehouseStats stats = warehouse.stats();
        assertThat(stats.rows()).isEqualTo(500);
        assertThat(stats.distinctIds()).isEqualTo(500);
        assertThat(stats.filesLoaded()).isEqualTo(2);
        assertThat(stats.duplicatesSkipped()).isZero();
    }

    @Test
    void everyValueArrivesAsItWasSent() throws Exception {
        Event e = EventFiles.events(1, 3).get(0).toBuilder()
                .set(EventField.ORIGINAL_TIMESTAMP, OffsetDateTime.parse("2026-11-24T12:34:56.123456+05:30"))
                .set(EventField.CONTEXT_NETWORK_WIFI, false)
                .set(EventField.EVENT_TEXT, "tab\\there \"quoted\" \\ back\\slash ü")
                .extra("{\"screen_name\":\"home\",\"n\":1}")
                .build();
        EventFiles.write(store, "w", 1, List.of(e));
        load();
        List<List<Object>> rows = warehouse.query("SELECT id, \"timestamp\", original_timestamp, context_network_wifi, event_text, "
                + "extra, anonymous_id, received_at FROM events", List.of(), rs -> List.of(rs.getString(1),
                rs.getTimestamp(2).toInstant(), rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getBoolean(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant()));
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.get(0)).isEqualTo(e.id());
            assertThat(r.get(1)).isEqualTo(e.timestamp());
            assertThat(r.get(2)).isEqualTo(Instant.parse("2026-11-24T07:04:56.123456Z"));
            assertThat(r.get(3)).isEqualTo(false);
            assertThat(r.get(4)).isEqualTo("tab\\there \"quoted\" \\ back\\slash ü");
            assertThat(new ObjectMapper().readTree((String) r.get(5)))
                    .isEqualTo(new ObjectMapper().readTree("{\"screen_name\":\"home\",\"n\":1}"));
            assertThat(r.get(6)).isEqualTo(e.get(EventField.ANONYMOUS_ID));
            assertThat(r.get(7)).isEqualTo(e.get(EventField.RECEIVED_AT));
        });
    }

    /** Issue 12.5: an emoji is two UTF-16 units in Java but one character to the engine. */
    @Test
    void aFileStoreWhosePathHoldsAnEmojiLoadsEveryRowUnderItsOwnKey(@TempDir Path tmp) {
        ObjectStore emoji = new LocalObjectStore(tmp.resolve("dfs-\uD83D\uDE80-daten-ü"));
        emoji.ensureReady();
        String ka = EventFiles.write(emoji, "w", 1, EventFiles.events(300, 21));
        String kb = EventFiles.write(emoji, "w", 2, EventFiles.events(200, 22));
        LoadSummary s = new Loader(warehouse, emoji, 50, Clock.systemUTC()).run(IGNORE, IGNORE);
        assertThat(s.rows()).isEqualTo(500);
        assertThat(s.inserted()).isEqualTo(500);
        assertThat(s.duplicates()).isZero();
        assertThat(warehouse.query("SELECT source_file, count(*) FROM events GROUP BY source_file", List.of(),
                rs -> Map.entry(rs.getString(1), rs.getLong(2)))).containsExactlyInAnyOrder(Map.entry(ka, 300L), Map.entry(kb, 200L));
        assertThat(warehouse.loadedFiles(List.of(ka, kb))).isEqualTo(Map.of(ka, 300L, kb, 200L));
        WarehouseStats stats = warehouse.stats();
        assertThat(stats.rowsInFiles()).isEqualTo(500);
        assertThat(stats.duplicatesSkipped()).isZero();
        assertThat(stats.duplicatesRecorded()).isZero();
    }

    @Test
    void aSecondLoadChangesNothing() {
        EventFiles.write(store, "w", 1, EventFiles.events(100, 4));
        load();
        // The same file arriving again (a consumer redelivery writes new files, but even the same key).
        List<String> archived = StoreContents.keys(store, DfsLayout.ARCHIVE);
        LoadSummary again = load();
        assertThat(again.files()).isZero();
        assertThat(again.rows()).isZero();
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(100);
        assertThat(StoreContents.keys(store, DfsLayout.ARCHIVE)).isEqualTo(archived);
        assertSummariesMatchEvents();
    }

    @Test
    void duplicateIdsAcrossFilesAndBatchesAreStoredOnce() {
        List<Event> events = EventFiles.events(400, 5);
        EventFiles.write(store, "w", 1, events.subList(0, 300));
        EventFiles.write(store, "w", 2, events.subList(200, 400));          // 100 overlap within the batch
        load();
        EventFiles.write(store, "x", 1, events.subList(350, 400));          // 50 already loaded
        EventFiles.write(store, "x", 2, List.of(events.get(0), events.get(0))); // twice in one file, already loaded
        LoadSummary second = load();
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(400);
        assertThat(count("SELECT count(DISTINCT id) FROM events")).isEqualTo(400);
        assertThat(second.rows()).isEqualTo(52);
        assertThat(second.duplicates()).isEqualTo(52);
        WarehouseStats stats = warehouse.stats();
        assertThat(stats.rowsInFiles()).isEqualTo(300 + 200 + 50 + 2);
        assertThat(stats.duplicatesSkipped()).isEqualTo(100 + 52);
        assertThat(count("SELECT coalesce(sum(duplicates_skipped), 0) FROM " + Schema.LEDGER)).isEqualTo(152);
        assertSummariesMatchEvents();
    }

    @Test
    void thousandsOfDistinctHoursAndTheEdgesOfTimeAreCountedPerHourOnce() {
        List<Event> spread = new ArrayList<>();
        List<Event> base = EventFiles.events(2_002, 13);
        Instant start = Instant.parse("2026-01-01T00:30:00Z");
        for (int i = 0; i < 2_000; i++) {
            spread.add(base.get(i).toBuilder().set(EventField.TIMESTAMP, start.plus(i, java.time.temporal.ChronoUnit.HOURS)).build());
        }
        spread.add(base.get(2_000).toBuilder().set(EventField.TIMESTAMP, Instant.parse("1970-01-01T00:00:00Z")).build());
        spread.add(base.get(2_001).toBuilder().set(EventField.TIMESTAMP, Instant.parse("9999-12-31T23:59:59.999999Z")).build());
        EventFiles.write(store, "w", 1, spread.subList(0, 1_500));
        load();
        // The second load touches 500 hours of the first (the same rows again: skipped) and 502 new ones.
        EventFiles.write(store, "w", 2, spread.subList(1_000, spread.size()));
        load();
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(2_002);
        assertThat(count("SELECT count(*) FROM " + Schema.HOURLY_COUNTS)).as("one row per hour, each hour one row").isEqualTo(2_002);
        assertThat(count("SELECT sum(n) FROM " + Schema.HOURLY_COUNTS)).isEqualTo(2_002);
        assertSummariesMatchEvents();
    }

    @Test
    void aCrashAfterTheCommitAndBeforeTheMoveLeavesNoDuplicateAfterTheNextLoad() {
        EventFiles.write(store, "w", 1, EventFiles.events(100, 6));
        EventFiles.write(store, "w", 2, EventFiles.events(100, 7));
        Loader crashing = new Loader(warehouse, store, 50, Clock.systemUTC()).afterCommit(() -> {
            throw new IllegalStateException("crash between commit and move");
        });
        assertThatThrownBy(() -> crashing.run(IGNORE, IGNORE)).hasMessageContaining("crash between commit and move");
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(200);
        assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).hasSize(2);
        LoadSummary next = load();
        assertThat(next.files()).isZero();
        assertThat(next.archived()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(200);
        assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).isEmpty();
        assertSummariesMatchEvents();
    }

    @Test
    void aFileThatCannotBeReadIsQuarantinedWithItsReasonAndTheOthersLoad() throws Exception {
        EventFiles.write(store, "a", 1, EventFiles.events(100, 8));
        String badGzip = EventFiles.writeRaw(store, "b-bad-gzip", "not gzip".getBytes(StandardCharsets.UTF_8));
        String badJson = EventFiles.writeRaw(store, "c-bad-json", NdjsonGzip.of(1, List.of(
                new dev.eventpipe.event.EventCodec(32768).toFileLine(EventFiles.events(1, 9).get(0)), "{broken")));
        String badTime = EventFiles.writeRaw(store, "d-bad-timestamp", NdjsonGzip.of(1, List.of(
                "{\"id\":\"t\",\"anonymous_id\":\"a\",\"event\":\"e\",\"timestamp\":\"yesterday\",\"sent_at\":\"2026-11-24 10:00:00\","
                        + "\"received_at\":\"2026-11-24 10:00:00\",\"context_device_type\":\"ios\"}")));
        byte[] whole = NdjsonGzip.of(1, EventFiles.events(50, 10).stream()
                .map(new dev.eventpipe.event.EventCodec(32768)::toFileLine).toList());
        String truncated = EventFiles.writeRaw(store, "e-truncated", java.util.Arrays.copyOf(whole, whole.length / 2));
        EventFiles.write(store, "z", 1, EventFiles.events(100, 11));

        LoadSummary s = load();

        assertThat(s.quarantinedFiles()).containsExactlyInAnyOrder(badGzip, badJson, badTime, truncated);
        assertThat(s.files()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(200);
        assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).isEmpty();
        for (String k : List.of(badGzip, badJson, badTime, truncated)) {
            String q = DfsLayout.quarantineKey(k);
            assertThat(store.exists(q)).as(q).isTrue();
            JsonNode reason = new ObjectMapper().readTree(LocalObjectStore.readAll(store, DfsLayout.reasonKey(q)));
            assertThat(reason.get("file").asText()).isEqualTo(k);
            assertThat(reason.get("reason").asText()).isNotBlank();
        }
    }

    @Test
    void twoLoadsAtOnceNeverLoadAFileTwice() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add(EventFiles.write(store, "w", i, EventFiles.events(50, 100 + i)));
        }
        warehouse.ensureSchema();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Warehouse other = newWarehouseLike();
            List<Future<LoadSummary>> runs = List.of(
                    pool.submit(() -> new Loader(warehouse, store, 5, Clock.systemUTC()).run(IGNORE, IGNORE)),
                    pool.submit(() -> new Loader(other, store, 5, Clock.systemUTC()).run(IGNORE, IGNORE)));
            long files = 0;
            for (Future<LoadSummary> f : runs) {
                files += f.get().files();
            }
            assertThat(files).isEqualTo(40);
        } finally {
            pool.shutdown();
        }
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(2000);
        assertThat(count("SELECT count(*) FROM " + Schema.LEDGER)).isEqualTo(40);
        assertSummariesMatchEvents();
    }

    /** A second warehouse object on the same database, as another process would have. */
    abstract Warehouse newWarehouseLike() throws Exception;

    @Test
    void jobRunsAreRecordedNewestFirst() {
        warehouse.ensureSchema();
        Instant t0 = Instant.parse("2026-11-24T10:00:00Z");
        long first = warehouse.jobStarted("load", t0);
        warehouse.jobFinished(first, t0.plusSeconds(2), "ok", "3 files");
        long second = warehouse.jobStarted("load", t0.plusSeconds(300));
        warehouse.jobFinished(second, t0.plusSeconds(301), "failed", "warehouse down");
        long report = warehouse.jobStarted("report", t0.plusSeconds(10));
        List<JobRun> runs = warehouse.lastJobRuns(1);
        assertThat(runs).extracting(JobRun::job, JobRun::status, JobRun::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple("load", "failed", "warehouse down"),
                org.assertj.core.groups.Tuple.tuple("report", "running", null));
        assertThat(warehouse.lastJobRuns(5)).hasSize(3);
        assertThat(report).isGreaterThan(second);
    }

    @Test
    void queriesTakeBoundParameters() {
        EventFiles.write(store, "w", 1, EventFiles.events(200, 12));
        load();
        String tricky = "x' OR '1'='1";
        assertThat(warehouse.query("SELECT count(*) FROM events WHERE event = ?", List.of(tricky), rs -> rs.getLong(1)))
                .containsExactly(0L);
        assertThat(warehouse.query("SELECT count(*) FROM events WHERE event = ?", List.of("screen_viewed"), rs -> rs.getLong(1))
                .get(0)).isPositive();
    }

    static final AtomicInteger N = new AtomicInteger();
}
