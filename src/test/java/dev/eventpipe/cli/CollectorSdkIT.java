package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.collect.Collector;
import dev.eventpipe.config.CollectorSettings;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.testkit.NodeSdks;
import dev.eventpipe.testkit.Prerequisite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real apps' clients against the collector: Segment's node SDK and RudderStack's (gzip on), installed from
 * npm, send track, identify, page and screen calls and a batch of 1,000 events; then consume and load.
 * Every event is in the warehouse once with Segment's fields in eventpipe's columns; the same calls sent
 * again (an SDK's retry: the same messageIds) add no row; an invalid call reaches the dead-letter queue
 * with its reason and status counts it.
 */
class CollectorSdkIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "wk_sdk";
    static final int BATCH = 1000;

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @TempDir
    Path dir;

    @BeforeEach
    void needsNode() throws Exception {
        Prerequisite.node();
        NodeSdks.install();
    }

    Map<String, String> env() {
        Map<String, String> env = queue.env();
        env.put("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString());
        env.put("EVENTPIPE_WAREHOUSE_PATH", dir.resolve("warehouse.duckdb").toString());
        return env;
    }

    static CliRun cli(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = CliRun.emptySettings();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.run(env, all);
    }

    /** The calls each SDK makes: one of each kind, then a batch of track calls; ids prefixed by the SDK. */
    static ArrayNode calls(String sdk, boolean withInvalid) {
        ArrayNode calls = JSON.createArrayNode();
        String anon = "anon-" + sdk;
        ObjectNode track = call(calls, "track", sdk + "-track");
        track.put("anonymousId", anon).put("userId", "user-" + sdk).put("event", "Registration Initiated")
                .put("timestamp", "2026-11-25T10:00:00.000Z");
        track.putObject("properties").put("step", 1).put("price", 9.90);
        ObjectNode context = track.putObject("context");
        context.putObject("device").put("type", "ios").put("model", "iPhone15,2");
        context.putObject("traits").put("taxfix_language", "de");
        context.putObject("app").put("version", "3.2.1");
        ObjectNode identify = call(calls, "identify", sdk + "-identify");
        identify.put("anonymousId", anon).put("userId", "user-" + sdk);
        identify.putObject("traits").put("email", sdk + "@example.com");
        ObjectNode page = call(calls, "page", sdk + "-page");
        page.put("anonymousId", anon).put("name", "Home");
        page.putObject("properties").put("path", "/");
        ObjectNode screen = call(calls, "screen", sdk + "-screen");
        screen.put("anonymousId", anon).put("name", "Main");
        for (int i = 0; i < BATCH; i++) {
            ObjectNode t = call(calls, "track", sdk + "-batch-" + i);
            t.put("anonymousId", "anon-" + sdk + "-" + (i % 37)).put("event", i % 5 == 0 ? "Submission Success" : "Button Clicked");
            t.putObject("properties").put("i", i);
        }
        if (withInvalid) {
            // Only a user id: eventpipe's events need an anonymous_id.
            call(calls, "track", sdk + "-invalid").put("userId", "user-only").put("event", "Button Clicked");
        }
        return calls;
    }

    private static ObjectNode call(ArrayNode calls, String method, String messageId) {
        ObjectNode c = calls.addObject();
        c.put("method", method);
        return c.putObject("args").put("messageId", messageId);
    }

    void send(String script, String host, ArrayNode calls, int flushAt) throws Exception {
        Path file = Files.createTempFile(dir, "calls", ".json");
        Files.writeString(file, JSON.writeValueAsString(calls));
        Path js = dir.resolve(script);
        Files.copy(Path.of("src/test/resources/sdk", script), js, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        NodeSdks.Result r = NodeSdks.node(js, Map.of(), host, KEY, file.toString(), Integer.toString(flushAt));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("0 errors");
    }

    @Test
    void everyEventTheSdksSendIsInTheWarehouseOnceWithSegmentsFieldsInTheirColumns() throws Exception {
        Map<String, String> env = env();
        assertThat(cli(env, "init").exitCode()).isZero();
        CollectorSettings settings = new CollectorSettings(0, "127.0.0.1", List.of(KEY), List.of("*"), 64L << 20, 4096, 10);
        Instant before = Instant.now();
        try (SqsEventBus bus = queue.bus(env);
             Collector collector = Collector.start(settings, 0, bus, new EventCodec(32_768), Clock.systemUTC())) {
            String host = collector.url().toString().replaceAll("/$", "");
            send("segment-node.js", host, calls("seg", true), 400);
            send("rudder-node.js", host, calls("rud", true), 250);
            // An SDK's retry: the same messageIds again.
            send("segment-node.js", host, calls("seg", false), 400);
            send("rudder-node.js", host, calls("rud", false), 250);
        }
        CliRun consume = cli(env, "consume", "--until-empty");
        assertThat(consume.exitCode()).as(consume.err()).isZero();
        CliRun load = cli(env, "load");
        assertThat(load.exitCode()).as(load.err()).isZero();

        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM events")) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) {
                    row.put(rs.getMetaData().getColumnName(k), rs.getObject(k));
                }
                assertThat(rows.put(rs.getString("id"), row)).as("id %s stored once", rs.getString("id")).isNull();
            }
        }
        assertThat(rows).hasSize(2 * (4 + BATCH));
        for (String sdk : List.of("seg", "rud")) {
            for (int i = 0; i < BATCH; i++) {
                assertThat(rows).containsKey(sdk + "-batch-" + i);
            }
            Map<String, Object> track = rows.get(sdk + "-track");
            assertThat(track.get("event")).isEqualTo("registration_initiated");
            assertThat(track.get("event_text")).isEqualTo("Registration Initiated");
            assertThat(track.get("anonymous_id")).isEqualTo("anon-" + sdk);
            assertThat(track.get("user_id")).isEqualTo("user-" + sdk);
            assertThat(track.get("context_device_type")).isEqualTo("ios");
            assertThat(track.get("context_device_model")).isEqualTo("iPhone15,2");
            assertThat(track.get("context_traits_taxfix_language")).isEqualTo("de");
            assertThat(track.get("context_app_version")).isEqualTo("3.2.1");
            assertThat(track.get("context_library_name")).isEqualTo(sdk.equals("seg") ? "@segment/analytics-node" : "analytics-node");
            assertThat(((OffsetDateTime) track.get("original_timestamp")).toInstant()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
            JsonNode extra = JSON.readTree((String) track.get("extra"));
            assertThat(extra.path("properties").path("step").asInt()).isEqualTo(1);
            assertThat(extra.path("properties").path("price").asText()).isEqualTo("9.9");
            assertThat(extra.path("type").asText()).isEqualTo("track");

            Map<String, Object> page = rows.get(sdk + "-page");
            assertThat(page.get("event")).isEqualTo("page");
            assertThat(page.get("event_text")).isEqualTo("Home");
            assertThat(page.get("context_device_type")).as("not said by a server SDK").isEqualTo("server");
            assertThat(JSON.readTree((String) page.get("extra")).path("properties").path("path").asText()).isEqualTo("/");
            Map<String, Object> screen = rows.get(sdk + "-screen");
            assertThat(screen.get("event")).isEqualTo("screen");
            assertThat(screen.get("event_text")).isEqualTo("Main");
            Map<String, Object> identify = rows.get(sdk + "-identify");
            assertThat(identify.get("event")).isEqualTo("identify");
            assertThat(JSON.readTree((String) identify.get("extra")).path("traits").path("email").asText()).isEqualTo(sdk + "@example.com");
            // Received by the collector's clock, during the test; no timestamp sent: it happened then.
            java.sql.Timestamp received = (java.sql.Timestamp) identify.get("received_at");
            assertThat(received.toInstant()).isBetween(before.minusSeconds(1), Instant.now());
            assertThat(((java.sql.Timestamp) identify.get("timestamp")).toInstant()).isBetween(before.minusSeconds(120), Instant.now());
            assertThat(rows.get(sdk + "-batch-5").get("event")).isEqualTo("submission_success");
        }

        JsonNode status = JSON.readTree(cli(env, "status", "--json").out());
        assertThat(status.path("reconciliation").path("ok").asBoolean()).as(status.toString()).isTrue();
        assertThat(status.path("dead_letters").path("rejected").asLong()).as(status.toString()).isEqualTo(2);
        assertThat(status.path("dead_letters").path("by_reason").path("missing_field").asLong()).as(status.toString()).isEqualTo(2);
        CliRun dlq = cli(env, "dlq");
        assertThat(dlq.out()).as(dlq.err()).contains("missing_field");
    }
}
