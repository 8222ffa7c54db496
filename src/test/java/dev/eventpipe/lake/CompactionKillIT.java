package dev.eventpipe.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.event.Event;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.testkit.Await;
import dev.eventpipe.testkit.EventPipeProcess;
import dev.eventpipe.testkit.StoreContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code eventpipe compact} killed with SIGKILL at each step between writing a generation's record
 * and deleting its last source. It stops at a hook there and says so in a marker file; only then is
 * it killed, so each case tests the step it names. At the kill, every event is counted exactly once,
 * in the lake or in {@code archive/}; an engine reading the lake sees all of the generation or none
 * of it; the next compaction completes the day with each event once.
 */
class CompactionKillIT {

    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(3);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"planned", "committed", "deleting"})
    void aCompactionKilledAtAnyStepLeavesEachEventCountedOnceAndTheNextOneCompletesIt(String point) throws Exception {
        LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            List<Event> events = LakeFiles.events(DAY, 200, 900 + i);
            LakeFiles.archive(store, "w", i, events);
            ids.addAll(LakeFiles.ids(events));
        }
        Path marker = dir.resolve("held-" + point);
        // The killed process cannot remove its staging folder: keep it in this test's folder, not the machine's /tmp.
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Map<String, String> env = Map.of("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString(),
                "EVENTPIPE_WAREHOUSE_PATH", dir.resolve("warehouse.duckdb").toString(),
                "JAVA_TOOL_OPTIONS", "-D" + CompactionHold.PROPERTY + "=" + point + "=" + marker
                        + " -Djava.io.tmpdir=" + tmp);
        EventPipeProcess compact = EventPipeProcess.start(dir, env, "compact");
        Await.until(Duration.ofSeconds(120), () -> Files.exists(marker) || !compact.alive(), "the compaction to reach '" + point + "'");
        assertThat(marker).as("it stopped at '%s'; its log:%n%s", point, compact.log()).exists();
        compact.kill();

        List<String> visible = StoreContents.keys(store, DfsLayout.LAKE).isEmpty() ? List.of()
                : LakeFiles.query(dir.resolve("dfs"), "SELECT id FROM LAKE", rs -> rs.getString(1));
        assertThat(visible.size()).as("an engine sees the whole generation or none of it").isIn(0, 1_200);
        assertThat(visible).doesNotHaveDuplicates();
        LakeState lake = LakeReader.read(store);
        Set<String> compacted = LakeReader.compactedSources(store, lake.day(DAY));
        List<String> counted = new ArrayList<>(visible);
        for (String key : StoreContents.keys(store, DfsLayout.ARCHIVE)) {
            if (!compacted.contains(key)) {
                counted.addAll(StoreContents.ids(store, key));
            }
        }
        assertThat(counted).as("each event counted once, in the lake or in archive/").hasSize(1_200).doesNotHaveDuplicates();
        assertThat(new HashSet<>(counted)).isEqualTo(ids);
        assertThat(lake.rows()).isEqualTo(visible.size());

        CompactionSummary next = new Compactor(store, new FinishedDays(Duration.ofHours(1)), Clock.systemUTC()).run();
        assertThat(next.failedDays()).isEmpty();
        assertThat(LakeFiles.query(dir.resolve("dfs"), "SELECT id FROM LAKE", rs -> rs.getString(1)))
                .hasSize(1_200).doesNotHaveDuplicates();
        assertThat(StoreContents.keys(store, DfsLayout.ARCHIVE)).isEmpty();
        assertThat(StoreContents.keys(store, DfsLayout.LAKE)).hasSize(1);
        assertThat(LakeReader.read(store).day(DAY).uncommitted()).isEmpty();
    }
}
