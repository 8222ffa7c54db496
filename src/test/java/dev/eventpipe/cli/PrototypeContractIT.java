package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.testkit.ElasticMq;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original prototype's producer, as its users run it: one event per SQS message, a JSON object
 * written by Python's json.dumps, timestamps as {@code %Y-%m-%d %H:%M:%S.%f} (UTC) and
 * {@code original_timestamp} with a {@code +HHMM} offset. Every one of them must reach the warehouse
 * once, each field in its own column.
 */
class PrototypeContractIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter PY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);
    private static final DateTimeFormatter PY_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxx", Locale.ROOT);
    private static final String[] OPTIONAL = {"context_app_version", "context_device_ad_tracking_enabled", "context_library_name",
            "context_library_version", "context_timezone", "user_id", "context_device_token"};

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @TempDir
    Path dir;

    /** What the prototype's producer sent for event {@code i}, and the values each column must hold. */
    record Sent(String body, String id, Map<String, Object> expected) {
    }

    /** Event {@code i}: optional fields by the bits of {@code i % 128}, offsets from -12:00 to +14:00, user_id as text or number. */
    static Sent prototypeEvent(int i, Instant base) {
        Instant received = base.plusMillis(i * 37L);
        Instant sent = received.minusNanos(1_234_000);
        Instant ts = sent.minusNanos(567_000);
        Instant original = ts.minusNanos(89_000);
        int quarters = -48 + i % 105;
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(quarters * 900);
        String id = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", id);
        e.put("received_at", PY.format(received.atOffset(ZoneOffset.UTC)));
        e.put("anonymous_id", UUID.randomUUID().toString().toUpperCase(Locale.ROOT));
        e.put("context_device_manufacturer", "Apple");
        e.put("context_device_model", "iPhone8,4");
        e.put("context_device_type", i % 2 == 0 ? "ios" : "android");
        e.put("context_locale", "de-DE");
        e.put("context_network_wifi", i % 3 == 0);
        e.put("context_os_name", i % 2 == 0 ? "iOS" : "Android");
        e.put("event", i % 5 == 0 ? "submission_success" : "registration_initiated");
        e.put("event_text", i % 5 == 0 ? "submissionSuccess" : "registrationInitiated");
        e.put("original_timestamp", PY_OFFSET.format(original.atOffset(offset)));
        e.put("sent_at", PY.format(sent.atOffset(ZoneOffset.UTC)));
        e.put("timestamp", PY.format(ts.atOffset(ZoneOffset.UTC)));
        e.put("context_network_carrier", "o2-de");
        e.put("context_traits_taxfix_language", "en-DE");
        int combo = i % 128;
        Map<String, Object> optional = new LinkedHashMap<>();
        optional.put("context_app_version", "1.2.3");
        optional.put("context_device_ad_tracking_enabled", i % 4 < 2);
        optional.put("context_library_name", "analytics-ios");
        optional.put("context_library_version", "3.6.7");
        optional.put("context_timezone", "Europe/Berlin");
        optional.put("user_id", (i / 128) % 2 == 0 ? (Object) Integer.toString(10_000 + i) : (Object) (10_000 + i));
        optional.put("context_device_token", null);
        for (int b = 0; b < OPTIONAL.length; b++) {
            if ((combo & (1 << b)) != 0) {
                e.put(OPTIONAL[b], optional.get(OPTIONAL[b]));
            }
        }
        StringBuilder body = new StringBuilder("{");
        for (Map.Entry<String, Object> f : e.entrySet()) {
            if (body.length() > 1) {
                body.append(", ");
            }
            try {
                body.append(JSON.writeValueAsString(f.getKey())).append(": ").append(JSON.writeValueAsString(f.getValue()));
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        }
        body.append('}');
        Map<String, Object> expected = new HashMap<>(e);
        if (expected.get("user_id") != null) {
            expected.put("user_id", expected.get("user_id").toString());
        }
        expected.put("original_timestamp", original.atOffset(offset));
        return new Sent(body.toString(), id, expected);
    }

    private Map<String, String> env() {
        Map<String, String> env = CliRun.localPipeline(queue, dir);
        env.put("EVENTPIPE_AWS_SQS_POLLING_TIMEOUT", "1");
        return env;
    }

    private static CliRun cli(Map<String, String> env, String... args) {
        return CliRun.onDefaults(env, args);
    }

    @Test
    void everyEventThePrototypeSendsReachesTheWarehouseOnceWithEachFieldInItsColumn() throws Exception {
        Map<String, String> env = env();
        assertThat(cli(env, "init").exitCode()).isZero();
        Instant base = Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < 128 * 4; i++) {
            sent.add(prototypeEvent(i, base));
        }
        try (SqsEventBus bus = queue.bus(env)) {
            for (Sent s : sent) {
                // One event per SendMessage, as the prototype's boto3 producer does.
                assertThat(bus.send(List.of(s.body())).failed()).isEmpty();
            }
        }
        CliRun consume = cli(env, "consume", "--until-empty");
        assertThat(consume.exitCode()).as(consume.err()).isZero();
        assertThat(consume.out()).contains(sent.size() + " valid events", "0 rejected");
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
        assertThat(rows).hasSize(sent.size());
        for (Sent s : sent) {
            Map<String, Object> row = rows.get(s.id());
            assertThat(row).as(s.body()).isNotNull();
            assertThat(row.get("extra")).as("nothing of the prototype's lands in extra: %s", s.body()).isNull();
            for (String field : new String[] {"anonymous_id", "context_device_type", "event", "event_text", "context_locale",
                    "context_os_name", "context_network_carrier", "context_traits_taxfix_language", "context_app_version",
                    "context_library_name", "context_library_version", "context_timezone", "user_id"}) {
                assertThat(row.get(field) == null ? null : row.get(field).toString()).as(field + " of " + s.body())
                        .isEqualTo(s.expected().get(field) == null ? null : s.expected().get(field).toString());
            }
            assertThat(row.get("context_device_token")).isNull();
            assertThat(row.get("context_network_wifi")).isEqualTo(s.expected().get("context_network_wifi"));
            OffsetDateTime original = (OffsetDateTime) s.expected().get("original_timestamp");
            assertThat(((OffsetDateTime) row.get("original_timestamp")).toInstant())
                    .as("original_timestamp of " + s.body()).isEqualTo(original.toInstant());
            assertThat(row.get("queued_at")).as("the queue's own time is kept").isNotNull();
            assertThat(row.get("consumed_at")).isNotNull();
        }
        JsonNode status = JSON.readTree(cli(env, "status", "--json").out());
        assertThat(status.path("reconciliation").path("ok").asBoolean()).as(status.toString()).isTrue();
        assertThat(status.path("dead_letters").path("rejected").asLong()).isZero();
    }
}
