package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.bus.DeadLetter;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.testkit.EventPipeProcess;
import dev.eventpipe.testkit.QueueContents;
import dev.eventpipe.testkit.StoreContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
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
 * Raw SQS messages as an attacker would send them (issue: hostile input and faults): nothing merged,
 * multiplied, or silently dropped, and no process stalls quietly.
 */
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @TempDir
    Path dir;

    private Map<String, String> env() {
        Map<String, String> env = CliRun.localPipeline(queue, dir);
        env.put("EVENTPIPE_AWS_SQS_POLLING_TIMEOUT", "1");
        return env;
    }

    private static CliRun cli(Map<String, String> env, String... args) {
        return CliRun.onDefaults(env, args);
    }

    private static String event(String idJson, String date) {
        return "{\"id\":" + idJson + ",\"anonymous_id\":\"a\",\"event\":\"e\",\"timestamp\":\"" + date + " 10:00:00\","
                + "\"sent_at\":\"" + date + " 10:00:01\",\"received_at\":\"" + date + " 10:00:02\",\"context_device_type\":\"ios\"}";
    }

    @Test
    void idsWithUnpairedSurrogatesAreRejectedEachOnItsOwnNeverMergedIntoOneRow() throws Exception {
        Map<String, String> env = env();
        assertThat(cli(env, "init").exitCode()).isZero();
        List<String> bad = List.of(event("\"sur-\\ud800\"", "2026-11-25"), event("\"sur-\\udbff\"", "2026-11-25"),
                event("\"sur-\\udc00\"", "2026-11-25"));
        try (SqsEventBus bus = queue.bus(env)) {
            bus.send(bad);
            bus.send(List.of("[" + String.join(",", bad) + "]"));
            bus.send(List.of(EventCodec.pack(List.of(bad.get(0).replace("sur-", "pack-"), bad.get(1).replace("sur-", "pack-"),
                    bad.get(2).replace("sur-", "pack-")))));
            bus.send(List.of(event("\"ok-\\ud83d\\ude00\"", "2026-11-25")));
        }
        CliRun consume = cli(env, "consume", "--until-empty");
        assertThat(consume.exitCode()).as(consume.err()).isZero();
        assertThat(consume.out()).contains("1 valid events", "9 rejected (invalid_unicode 9)");
        assertThat(cli(env, "load").exitCode()).isZero();
        JsonNode s = JSON.readTree(cli(env, "status", "--json").out());
        assertThat(s.path("warehouse").path("rows").asLong()).isEqualTo(1);
        assertThat(s.path("warehouse").path("duplicates_skipped").asLong()).as("nothing merged").isZero();
        assertThat(s.path("dead_letters").path("by_reason").path("invalid_unicode").asLong()).isEqualTo(9);
        assertThat(s.path("queue").path("dead_letter_visible").asLong()).isEqualTo(9);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM events")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok-\ud83d\ude00");
        }
    }

    @Test
    void aMessageOfFiftyThousandRejectedElementsIsDeadLetteredOnceEach() throws Exception {
        Map<String, String> env = env();
        // What broke it: batches written every second and a visibility timeout of 31 s, while the
        // rejections went out one call each (~760/s) and the message reappeared meanwhile.
        env.put("EVENTPIPE_CONSUMER_BATCH_MAX_AGE_SECONDS", "1");
        env.put("EVENTPIPE_AWS_SQS_VISIBILITY_TIMEOUT", "31");
        assertThat(cli(env, "init").exitCode()).isZero();
        List<String> lines = new ArrayList<>(50_000);
        for (int i = 0; i < 50_000; i++) {
            lines.add("{}");
        }
        String packed = EventCodec.pack(lines);
        assertThat(packed.length()).as("a few hundred bytes").isLessThan(1_000);
        try (SqsEventBus bus = queue.bus(env)) {
            assertThat(bus.send(List.of(packed)).failed()).isEmpty();
        }
        CliRun consume = cli(env, "consume", "--until-empty");
        assertThat(consume.exitCode()).as(consume.err()).isZero();
        JsonNode s = JSON.readTree(cli(env, "status", "--json").out());
        assertThat(s.path("dead_letters").path("rejected").asLong()).isEqualTo(50_000);
        assertThat(s.path("queue").path("dead_letter_visible").asLong() + s.path("queue").path("dead_letter_in_flight").asLong())
                .as("no copies on the dead-letter queue").isEqualTo(50_000);
        assertThat(s.path("counts").path("received_events").asLong()).isEqualTo(50_000);
        assertThat(s.path("reconciliation").path("ok").asBoolean()).as(s.toString()).isTrue();
    }

    @Test
    void aRejectedBodyTooLargeForADeadLetterGoesToTheFileStoreWithAPointer() throws Exception {
        Map<String, String> env = env();
        assertThat(cli(env, "init").exitCode()).isZero();
        String big = "{\"id\":\"" + "x".repeat(262_144 - 9) + "\"}";
        assertThat(big.length()).isEqualTo(262_144);
        try (SqsEventBus bus = queue.bus(env); SqsClient sqs = queue.client()) {
            assertThat(bus.send(List.of(big)).failed()).isEmpty();
            CliRun consume = cli(env, "consume", "--until-empty");
            assertThat(consume.exitCode()).as(consume.err()).isZero();
            List<Message> dead = QueueContents.drainView(sqs, env.get("EVENTPIPE_AWS_SQS_NAME") + "-dlq", 30);
            assertThat(dead).singleElement().satisfies(m -> {
                assertThat(m.messageAttributes().get(DeadLetter.REASON).stringValue()).isEqualTo("too_large");
                String key = m.messageAttributes().get(DeadLetter.BODY_KEY).stringValue();
                assertThat(key).startsWith(DfsLayout.DEAD_LETTER_BODIES);
                assertThat(m.body().length()).isLessThan(1_000);
                assertThat(Files.readString(dir.resolve("dfs").resolve(key))).isEqualTo(big);
            });
        }
    }

    @Test
    void numbersUnderUnknownFieldsReachTheWarehouseAsTheirOriginalText() throws Exception {
        Map<String, String> env = env();
        assertThat(cli(env, "init").exitCode()).isZero();
        try (SqsEventBus bus = queue.bus(env)) {
            bus.send(List.of(event("\"n-1\"", "2026-11-25").replace("}", ",\"huge\":1e999999,\"precise\":1.0000000000000000000000001}")));
        }
        assertThat(cli(env, "consume", "--until-empty").exitCode()).isZero();
        assertThat(cli(env, "load").exitCode()).isZero();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT extra FROM events")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("{\"huge\":1e999999,\"precise\":1.0000000000000000000000001}");
        }
    }

    @Test
    void tenThousandEventsOnTenThousandDatesDrainWithinAQuarterGigabyteHeap() throws Exception {
        Map<String, String> env = env();
        assertThat(cli(env, "init").exitCode()).isZero();
        List<String> bodies = new ArrayList<>();
        LocalDate start = LocalDate.of(1990, 1, 1);
        for (int i = 0; i < 10_000; i++) {
            bodies.add(event("\"d-" + i + "\"", start.plusDays(i).toString()));
        }
        try (SqsEventBus bus = queue.bus(env)) {
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int from = 0; from < bodies.size(); from += 10) {
                List<String> chunk = bodies.subList(from, from + 10);
                sends.add(CompletableFuture.runAsync(() -> assertThat(bus.send(chunk).failed()).isEmpty()));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get();
        }
        // The child JVM has a 256 MB heap: before, each open date held ~128 KB of buffers and a Deflater,
        // and the pollers died of OutOfMemoryError after ~5,800 messages with no log line.
        EventPipeProcess consumer = EventPipeProcess.start(dir, env, "consume", "--until-empty");
        int code = consumer.waitFor(600);
        assertThat(consumer.log()).doesNotContain("OutOfMemoryError");
        assertThat(code).as(consumer.log()).isZero();
        assertThat(StoreContents.ids(new LocalObjectStore(dir.resolve("dfs")), DfsLayout.INCOMING)).hasSize(10_000);
    }

    @Test
    void aConsumerThatCouldNotWriteSaysSoAndExitsOne() throws Exception {
        Map<String, String> env = env();
        assertThat(cli(env, "init").exitCode()).isZero();
        try (SqsEventBus bus = queue.bus(env)) {
            bus.send(List.of(event("\"w-1\"", "2026-11-25")));
        }
        // The file store refuses every write: where its incoming/ folder should be, there is a file.
        Files.createDirectories(dir.resolve("dfs"));
        Files.writeString(dir.resolve("dfs").resolve("incoming"), "not a folder");
        Map<String, String> quick = new HashMap<>(env);
        quick.put("EVENTPIPE_CONSUMER_BATCH_MAX_AGE_SECONDS", "1");
        CliRun consume = cli(quick, "consume", "--duration", "8s");
        assertThat(consume.exitCode()).as(consume.out() + consume.err()).isEqualTo(1);
        assertThat(consume.err()).contains("could not write '").contains("Not a directory").contains("will be delivered again");
        assertThat(consume.out()).contains("0 messages deleted");
    }
}
