package dev.eventpipe.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.event.Event;
import dev.eventpipe.store.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One lake Parquet file written from archived files with DuckDB, and what the writer counts while doing it. */
class DuckDbParquetWriterIT {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @TempDir
    Path dir;

    private LocalObjectStore store;
    private DuckDbParquetWriter writer;

    @BeforeEach
    void setUp() {
        store = new LocalObjectStore(dir.resolve("dfs"));
        writer = new DuckDbParquetWriter(dir.resolve("spill"));
    }

    private DuckDbParquetWriter.LocalSource source(String writerName, long seq, List<Event> events) {
        String key = LakeFiles.archive(store, writerName, seq, events);
        return new DuckDbParquetWriter.LocalSource(key, store.localFile(key).orElseThrow());
    }

    @Test
    void eachSourceCountsTheRowsItGaveWhenNothingRepeats() throws Exception {
        DuckDbParquetWriter.LocalSource a = source("w", 1, LakeFiles.events(DAY, 30, 1));
        DuckDbParquetWriter.LocalSource b = source("w", 2, LakeFiles.events(DAY, 45, 2));

        DuckDbParquetWriter.Written w = writer.write(List.of(a, b), List.of(), dir.resolve("part.parquet"));

        assertThat(w.rows()).isEqualTo(75);
        assertThat(w.rowsRead()).isEqualTo(75);
        assertThat(w.rowsPerSource()).isEqualTo(Map.of(a.key(), 30L, b.key(), 45L));
    }

    @Test
    void repeatsAndIdsOfEarlierFilesAreLeftOutAndASourceOfOnlyRepeatsCountsNone() throws Exception {
        List<Event> events = LakeFiles.events(DAY, 100, 11);
        DuckDbParquetWriter.LocalSource earlierSource = source("e", 1, events.subList(0, 10));
        Path earlier = dir.resolve("earlier.parquet");
        writer.write(List.of(earlierSource), List.of(), earlier);
        // v sorts before w, so of the ids both hold, v's rows stay; x repeats only what v holds.
        DuckDbParquetWriter.LocalSource v = source("v", 1, events.subList(0, 60));
        DuckDbParquetWriter.LocalSource w = source("w", 1, events.subList(40, 100));
        DuckDbParquetWriter.LocalSource x = source("x", 1, events.subList(20, 30));
        Path target = dir.resolve("part.parquet");

        DuckDbParquetWriter.Written written = writer.write(List.of(v, w, x), List.of(earlier), target);

        assertThat(written.rowsRead()).isEqualTo(130);
        assertThat(written.rows()).isEqualTo(90);
        assertThat(written.rowsPerSource()).isEqualTo(Map.of(v.key(), 50L, w.key(), 40L, x.key(), 0L));
        List<String> ids = LakeFiles.query(dir, "SELECT id FROM read_parquet('" + target + "')", rs -> rs.getString(1));
        assertThat(ids).hasSize(90).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(LakeFiles.ids(events.subList(10, 100)));
    }

    @Test
    void aFileDuckDbReadsUnderAnotherNameThanItWasGivenIsRefused() throws Exception {
        // DuckDB expands a path as a glob: given 'w[1].ndjson.gz' it reads 'w1.ndjson.gz', a file it was not given.
        DuckDbParquetWriter.LocalSource real = source("w", 1, LakeFiles.events(DAY, 20, 21));
        Path folder = Files.createDirectories(dir.resolve("glob"));
        Files.copy(real.path(), folder.resolve("w1.ndjson.gz"));
        DuckDbParquetWriter.LocalSource given = new DuckDbParquetWriter.LocalSource(real.key(), folder.resolve("w[1].ndjson.gz"));
        Path target = dir.resolve("part.parquet");

        assertThatThrownBy(() -> writer.write(List.of(given), List.of(), target))
                .isInstanceOf(SQLException.class).hasMessageContaining("20 rows read from a file DuckDB named otherwise");
        assertThat(target).doesNotExist();
        assertThat(dir.resolve("part.parquet.unchecked")).doesNotExist();
    }
}
