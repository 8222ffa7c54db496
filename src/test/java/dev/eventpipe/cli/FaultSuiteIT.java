package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.bus.QueueDepth;
import dev.eventpipe.bus.SqsClients;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.Event;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.testkit.Await;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.testkit.EventFiles;
import dev.eventpipe.testkit.EventPipeProcess;
import dev.eventpipe.testkit.PostgresDb;
import dev.eventpipe.testkit.Prerequisite;
import dev.eventpipe.testkit.QueueContents;
import dev.eventpipe.testkit.StoreContents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The fault suite (issue: end-to-end guarantees): each case injects a fault and checks that no event
 * is lost or doubled. Case 5 (every settings key given a bad value) is {@link EverySettingTest}.
 * CI runs the short version; {@code -Deventpipe.faults=full} runs the full sizes (100,000 events,
 * ten kills): see the README.
 */
class FaultSuiteIT {

    private static final boolean FULL = "full".equals(System.getProperty("eventpipe.faults"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @TempDir
    Path dir;

    private Map<String, String> env() {
        Map<String, String> env = CliRun.localPipeline(queue, dir);
        env.put("EVENTPIPE_CONSUMER_BATCH_MAX_EVENTS", "2000");
        env.put("EVENTPIPE_CONSUMER_BATCH_MAX_AGE_SECONDS", "1");
        env.put("EVENTPIPE_AWS_SQS_VISIBILITY_TIMEOUT", "31");
        env.put("EVENTPIPE_AWS_SQS_POLLING_TIMEOUT", "1");
        return env;
    }

    private CliRun cli(Map<String, String> env, String... args) {
        return CliRun.onDefaults(env, args);
    }

    private JsonNode status(Map<String, String> env, Path generated) throws Exception {
        CliRun s = cli(env, "status", "--json", "--generated", generated.toString());
        JsonNode n = JSON.readTree(s.out());
        assertThat(n.path("reconciliation").path("ok").asBoolean()).as(s.out()).isTrue();
        assertThat(s.exitCode()).as(s.out() + s.err()).isZero();
        return n;
    }

    /**
     * The hourly counts the loads kept in the warehouse under {@code dir} hold {@code rows} rows, each
     * (hour, event, platform) once with the count of a GROUP BY over events: a killed load added nothing.
     */
    private void assertHourlyCounts(long rows) throws Exception {
        String url = "jdbc:duckdb:" + dir.resolve("warehouse.duckdb");
        String kept = "SELECT hour, \"event\", context_device_type, n FROM " + dev.eventpipe.warehouse.Schema.HOURLY_COUNTS;
        String counted = "SELECT date_trunc('hour', \"timestamp\"), \"event\", context_device_type, count(*) FROM events GROUP BY ALL";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT (SELECT coalesce(sum(n), 0) FROM " + dev.eventpipe.warehouse.Schema.HOURLY_COUNTS
                     + "), (SELECT count(*) FROM (" + kept + " EXCEPT ALL " + counted + ")), (SELECT count(*) FROM (" + counted
                     + " EXCEPT ALL " + kept + "))")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows in the hourly counts").isEqualTo(rows);
            assertThat(rs.getLong(2)).as("hourly rows that events does not have").isZero();
            assertThat(rs.getLong(3)).as("events' hours missing from the hourly counts").isZero();
        }
    }

    private static void assertExactlyOnce(JsonNode status) {
        JsonNode w = status.path("warehouse");
        long unique = status.path("generated").path("unique_valid").asLong();
        assertThat(w.path("rows").asLong()).isEqualTo(unique);
        assertThat(w.path("distinct_ids").asLong()).isEqualTo(unique);
    }

    /** Case 1: the consumer killed with SIGKILL again and again while events with 1% duplicates flow. */
    @Test
    void aConsumerKilledAgainAndAgainLosesAndDoublesNothing() throws Exception {
        int events = FULL ? 100_000 : 20_000;
        int kills = FULL ? 10 : 3;
        Map<String, String> env = env();
        assertThat(cli(env, "init").exitCode()).isZero();
        Path gen = dir.resolve("generated.json");
        CompletableFuture<CliRun> generator = CompletableFuture.supplyAsync(() -> cli(env, "generate", "--count",
                Integer.toString(events), "--rate", "2000", "--faults", "duplicate=0.01", "--summary-json", gen.toString()));
        long slice = events / 2000 * 1000L / (kills + 1);
        for (int i = 0; i < kills; i++) {
            EventPipeProcess consumer = EventPipeProcess.start(dir, env, "consume");
            Thread.sleep(Math.max(2_500, slice));
            consumer.kill();
        }
        assertThat(generator.get().exitCode()).isZero();
        EventPipeProcess last = EventPipeProcess.start(dir, env, "consume", "--until-empty");
        assertThat(last.waitFor(240)).as(last.log()).isZero();
        assertThat(cli(env, "load").exitCode()).isZero();
        assertExactlyOnce(status(env, gen));
    }

    /** Case 2: the queue server stopped for 20 s mid-run: the consumer backs off, says so, resumes. */
    @Test
    void aQueueServerDownForTwentySecondsLosesNothing() throws Exception {
        int port = EmbeddedQueueServer.freePort();
        Path queueData = dir.resolve("queue");
        Map<String, String> env = env();
        env.put("EVENTPIPE_AWS_ENDPOINT", "http://127.0.0.1:" + port);
        EmbeddedQueueServer server = EmbeddedQueueServer.start(port, queueData, "us-east-1");
        EventPipeProcess consumer = null;
        try {
            assertThat(cli(env, "init").exitCode()).isZero();
            Path before = dir.resolve("before.json");
            assertThat(cli(env, "generate", "--count", "3000", "--rate", "0", "--summary-json", before.toString()).exitCode()).isZero();
            consumer = EventPipeProcess.start(dir, env, "consume");
            LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
            Await.until(Duration.ofSeconds(60), () -> !StoreContents.keys(store, DfsLayout.INCOMING).isEmpty(), "a first file");
            server.close();
            Thread.sleep(20_000);
            server = EmbeddedQueueServer.start(port, queueData, "us-east-1");
            Path after = dir.resolve("after.json");
            assertThat(cli(env, "generate", "--count", "3000", "--rate", "0", "--summary-json", after.toString()).exitCode()).isZero();
            Settings s = ElasticMq.settings(env);
            try (SqsEventBus bus = new SqsEventBus(SqsClients.create(s.aws(), 2), s.aws())) {
                Await.until(Duration.ofSeconds(120), () -> {
                    QueueDepth d = bus.depth();
                    return d.visible() + d.inFlight() == 0;
                }, "the queue to drain after the outage");
            }
            consumer.terminate();
            assertThat(consumer.waitFor(60)).isZero();
            assertThat(consumer.log()).contains("the queue does not answer").contains("retrying with backoff")
                    .contains("the queue answers again");
            assertThat(cli(env, "load").exitCode()).isZero();
            long unique = JSON.readTree(before.toFile()).path("sent").asLong() + JSON.readTree(after.toFile()).path("sent").asLong();
            JsonNode st = JSON.readTree(cli(env, "status", "--json").out());
            assertThat(st.path("warehouse").path("rows").asLong()).isEqualTo(unique);
            assertThat(st.path("warehouse").path("distinct_ids").asLong()).isEqualTo(unique);
        } finally {
            if (consumer != null && consumer.alive()) {
                consumer.kill();
            }
            server.close();
        }
    }

    /** Case 3a: the DuckDB file locked by another process: the load fails clearly, moves nothing, and the next one works. */
    @Test
    void aLockedDuckDbFileFailsTheLoadClearlyAndTheNextLoadWorks() throws Exception {
        Map<String, String> env = env();
        LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        for (int i = 0; i < 5; i++) {
            EventFiles.write(store, "w", i, EventFiles.events(200, 500 + i));
        }
        List<String> incoming = StoreContents.keys(store, DfsLayout.INCOMING);
        EventPipeProcess holder = EventPipeProcess.startMain(dir, Map.of(), "dev.eventpipe.testkit.HoldDuckDb",
                dir.resolve("warehouse.duckdb").toString());
        try {
            Await.until(Duration.ofSeconds(30), () -> holder.log().contains("holding"), "the other process to open the file");
            CliRun locked = cli(env, "load");
            assertThat(locked.exitCode()).isEqualTo(1);
            assertThat(locked.err()).contains("lock").contains(Long.toString(holder.pid()));
            assertThat(locked.err().strip().lines()).hasSize(1);
            assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).isEqualTo(incoming);
        } finally {
            holder.kill();
        }
        CliRun ok = cli(env, "load");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("5 files, 1000 rows");
        assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).isEmpty();
    }

    /** Case 3b: PostgreSQL not answering: the load fails clearly, moves nothing, and the next one works. */
    @Test
    void anUnreachablePostgresFailsTheLoadClearlyAndTheNextLoadWorks() throws Exception {
        Prerequisite.postgres();
        Map<String, String> env = env();
        env.put("EVENTPIPE_WAREHOUSE_TYPE", "postgres");
        LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        for (int i = 0; i < 5; i++) {
            EventFiles.write(store, "w", i, EventFiles.events(200, 600 + i));
        }
        List<String> incoming = StoreContents.keys(store, DfsLayout.INCOMING);
        int closed = EmbeddedQueueServer.freePort();
        env.put("EVENTPIPE_WAREHOUSE_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/eventpipe_test?connectTimeout=2");
        CliRun down = cli(env, "load");
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.err()).contains("postgres").contains("refused");
        assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).isEqualTo(incoming);
        String url = PostgresDb.freshSchema();
        try {
            env.put("EVENTPIPE_WAREHOUSE_URL", url);
            CliRun ok = cli(env, "load");
            assertThat(ok.exitCode()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("5 files, 1000 rows");
        } finally {
            PostgresDb.drop(url);
        }
    }

    /** Case 4: malformed messages of every kind end on the dead-letter queue with their reason, as many as generated. */
    @Test
    void everyKindOfMalformedMessageIsDeadLetteredWithItsReason() throws Exception {
        Map<String, String> env = env();
        env.put("EVENTPIPE_EVENTS_MAX_EVENT_BYTES", "4096");
        // 6% of these events are faulty on purpose: that is not what the health check is about here.
        env.put("EVENTPIPE_STATUS_MAX_REJECTED_SHARE", "0.1");
        assertThat(cli(env, "init").exitCode()).isZero();
        Path gen = dir.resolve("generated.json");
        assertThat(cli(env, "generate", "--count", FULL ? "50000" : "6000", "--rate", "0",
                "--faults", "malformed=0.05,oversize=0.01,duplicate=0.01", "--summary-json", gen.toString()).exitCode()).isZero();
        assertThat(cli(env, "consume", "--until-empty").exitCode()).isZero();
        assertThat(cli(env, "load").exitCode()).isZero();
        JsonNode summary = JSON.readTree(gen.toFile());
        Map<String, Long> byReason = new HashMap<>();
        try (SqsClient sqs = queue.client()) {
            for (Message m : QueueContents.drainView(sqs, env.get("EVENTPIPE_AWS_SQS_NAME") + "-dlq", 300)) {
                byReason.merge(m.messageAttributes().get(SqsEventBus.REASON_ATTRIBUTE).stringValue(), 1L, Long::sum);
            }
        }
        summary.path("malformed_by_reason").fields().forEachRemaining(e ->
                assertThat(byReason.getOrDefault(e.getKey(), 0L)).as(e.getKey()).isEqualTo(e.getValue().asLong()));
        assertThat(byReason.getOrDefault("too_large", 0L)).isEqualTo(summary.path("faults").path("oversize").asLong());
        assertThat(byReason.keySet()).hasSize(7);
        assertExactlyOnce(status(env, gen));
    }

    /**
     * Case 6: the loader killed in the middle of its transaction: no partial rows, no duplicate after
     * the next load. The load stops at a hook after its rows and before its commit and says so in a
     * marker file, and only then is it killed: a kill on a timer could land before the transaction.
     */
    @Test
    void aLoaderKilledMidTransactionLeavesNoPartialRowsAndTheNextLoadCompletesIt() throws Exception {
        Map<String, String> env = env();
        env.put("EVENTPIPE_WAREHOUSE_BATCH_FILES", "1000");
        LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        int files = 60;
        java.util.stream.IntStream.range(0, files).parallel()
                .forEach(i -> EventFiles.write(store, "w", i, EventFiles.events(500, 1_000 + i)));
        assertThat(cli(env, "init").exitCode()).isZero();
        Path marker = dir.resolve("load-held-before-commit");
        Map<String, String> held = new HashMap<>(env);
        held.put("JAVA_TOOL_OPTIONS", "-Deventpipe.test.hold-before-commit=" + marker);
        EventPipeProcess loader = EventPipeProcess.start(dir, held, "load");
        Await.until(Duration.ofSeconds(120), () -> java.nio.file.Files.exists(marker) || !loader.alive(),
                "the load to write its rows and stop before its commit");
        assertThat(marker).as("the load stopped before its commit; its log:%n%s", loader.log()).exists();
        assertThat(java.nio.file.Files.readString(marker)).as("what its transaction held")
                .isEqualTo(files + " files, " + files * 500L + " rows");
        loader.kill();
        assertThat(loader.log()).doesNotContain("committed");
        JsonNode mid = JSON.readTree(cli(env, "status", "--json").out()).path("warehouse");
        assertThat(mid.path("rows").asLong()).as("no partial rows").isZero();
        assertThat(mid.path("files_loaded").asLong()).isZero();
        assertHourlyCounts(0);
        assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).hasSize(files);
        CliRun next = cli(env, "load");
        assertThat(next.exitCode()).as(next.err()).isZero();
        JsonNode done = JSON.readTree(cli(env, "status", "--json").out()).path("warehouse");
        assertThat(done.path("rows").asLong()).isEqualTo(files * 500L);
        assertThat(done.path("distinct_ids").asLong()).isEqualTo(files * 500L);
        assertHourlyCounts(files * 500L);
    }

    /**
     * Case 7: continuous loading ({@code load --follow}) killed with SIGKILL again and again while files
     * keep landing, some of them repeating earlier events: after a last follower has caught up, every
     * event is in the warehouse once.
     */
    @Test
    void aFollowingLoaderKilledAgainAndAgainLosesAndDoublesNothing() throws Exception {
        Map<String, String> env = env();
        env.put("EVENTPIPE_SCHEDULE_MIN_LOAD_INTERVAL_MS", "100");
        env.put("EVENTPIPE_WAREHOUSE_BATCH_FILES", "5");
        LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        assertThat(cli(env, "init").exitCode()).isZero();
        int files = FULL ? 400 : 120;
        int kills = FULL ? 10 : 3;
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<Void> landing = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < files; i++) {
                // Every tenth file repeats the events of the file before it: the queue's duplicates.
                EventFiles.write(store, "f", i, EventFiles.events(200, i % 10 == 9 ? i - 1 : i));
                written.incrementAndGet();
                try {
                    Thread.sleep(15);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        for (int k = 0; k < kills; k++) {
            EventPipeProcess follower = EventPipeProcess.start(dir, env, "load", "--follow");
            int before = written.get();
            Await.until(Duration.ofSeconds(60), () -> follower.log().contains("load: committed") || !follower.alive(),
                    "the follower to commit a batch");
            Thread.sleep(200 + 300L * k);
            follower.kill();
            assertThat(before).isLessThanOrEqualTo(files);
        }
        landing.get();
        EventPipeProcess last = EventPipeProcess.start(dir, env, "load", "--follow");
        // Started, stopping on SIGTERM, and caught up: a follower terminated while its JVM starts exits 143.
        Await.until(Duration.ofSeconds(120), () -> last.log().contains("load: following the file store")
                        && StoreContents.keys(store, DfsLayout.INCOMING).isEmpty(),
                "the last follower to load every file");
        last.terminate();
        assertThat(last.waitFor(60)).as(last.log()).isZero();
        long unique = files - files / 10;
        JsonNode w = JSON.readTree(cli(env, "status", "--json").out()).path("warehouse");
        assertThat(w.path("rows").asLong()).isEqualTo(unique * 200);
        assertThat(w.path("distinct_ids").asLong()).isEqualTo(unique * 200);
        assertThat(w.path("files_loaded").asLong()).isEqualTo(files);
        assertHourlyCounts(unique * 200);
    }
}
