package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.event.Event;
import dev.eventpipe.lake.LakeFiles;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.testkit.StoreContents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * load, compact and status as commands: status reconciles the lake's rows per day with the
 * warehouse's, counts a killed consumer's files after they were compacted away, and says so when a
 * day differs. No queue server: status says it could not read the queue, and exits 1 for it alone.
 */
class LakeStatusIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2);

    @TempDir
    Path dir;

    private CliRun cli(String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString());
        env.put("EVENTPIPE_WAREHOUSE_PATH", dir.resolve("warehouse.duckdb").toString());
        // no queue server here: the queue is a note in status, not a count
        env.put("EVENTPIPE_AWS_ENDPOINT", "http://127.0.0.1:9");
        List<String> all = new ArrayList<>(List.of("--config", CliRun.emptySettings()));
        all.addAll(List.of(args));
        return CliRun.run(env, all.toArray(String[]::new));
    }

    private static void publish(LocalObjectStore store, String writer, long throughSeq, long events) {
        String json = String.format("{\"writer\":\"%s\",\"received_events\":%d,\"valid_events\":%d,\"rejected\":{},"
                + "\"written_events\":%d,\"files\":%d,\"counted_through_seq\":%d,\"counted_events\":%d}",
                writer, events, events, events, throughSeq, throughSeq, events);
        store.put(DfsLayout.consumerStatsKey(writer), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void statusReconcilesTheLakeWithTheWarehousePerDayAndCountsAKilledConsumersCompactedFiles() throws Exception {
        LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        long written = 0;
        for (int i = 1; i <= 4; i++) {
            List<Event> events = LakeFiles.events(DAY, 100 * i, 1_000 + i);
            LakeFiles.incoming(store, "host-1-a", i, events);
            written += events.size();
        }
        List<Event> before = LakeFiles.events(DAY.minusDays(1), 150, 2_000);
        LakeFiles.incoming(store, "host-1-a", 5, before);
        written += before.size();
        // The consumer published after its second file, then was killed: files 3 to 5 are counted from the store.
        publish(store, "host-1-a", 2, 300);
        assertThat(cli("load").exitCode()).isZero();
        CliRun compact = cli("compact");
        assertThat(compact.exitCode()).as(compact.err()).isZero();
        assertThat(compact.out()).contains("2 days, 5 files").contains("1,150 rows");
        assertThat(StoreContents.keys(store, DfsLayout.ARCHIVE)).isEmpty();

        CliRun status = cli("status", "--json");
        JsonNode n = JSON.readTree(status.out());
        assertThat(n.path("counts").path("written_events").asLong()).as(status.out()).isEqualTo(written);
        assertThat(n.path("lake").path("rows").asLong()).isEqualTo(1_150);
        assertThat(n.path("lake").path("files").asLong()).isEqualTo(2);
        assertThat(n.path("lake").path("days")).hasSize(2);
        List<String> checks = new ArrayList<>();
        n.path("reconciliation").path("checks").forEach(c -> checks.add(c.asText()));
        assertThat(checks).contains("ok: lake rows = warehouse rows on each of 2 compacted days (1150 rows)")
                .contains("ok: written " + written + " = loaded " + written + " + pending 0 + quarantined 0 (850 written counted from the store)");
        assertThat(n.path("reconciliation").path("ok").asBoolean()).as(status.out()).isTrue();

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
             Statement st = c.createStatement()) {
            st.execute("DELETE FROM events WHERE id IN (SELECT id FROM events WHERE CAST(\"timestamp\" AS DATE) = DATE '" + DAY
                    + "' LIMIT 3)");
        }
        CliRun text = cli("status");
        assertThat(text.out()).contains("lake       2 Parquet files").contains("1,150 rows on 2 days")
                .contains("MISMATCH: lake rows differ from the warehouse's on 1 of 2 compacted days: dt=" + DAY
                        + " lake 1000 vs warehouse 997");
        assertThat(text.exitCode()).isEqualTo(1);
    }
}
