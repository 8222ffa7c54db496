package dev.eventpipe.serve;

import static dev.eventpipe.serve.ServeFixture.MARKUP;
import static dev.eventpipe.serve.ServeFixture.NOW;
import static dev.eventpipe.serve.ServeFixture.QUOTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.config.ReportSettings;
import dev.eventpipe.event.Event;
import dev.eventpipe.status.DeadLetterTally;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.testkit.MutableClock;
import dev.eventpipe.warehouse.Dialect;
import dev.eventpipe.warehouse.DeviceActivity;
import dev.eventpipe.warehouse.Schema;
import dev.eventpipe.warehouse.Warehouse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint of the dashboard's API, over HTTP, against a real warehouse loaded through the real
 * loader: each answer equals a query written here by hand over the same rows (another formulation
 * where one exists: correlated subqueries for the funnel). Run against each engine (DuckDB always,
 * PostgreSQL where {@code EVENTPIPE_TEST_POSTGRES_URL} is set); loaded once per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServeApiContract {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> REPORT_EVENTS = List.of("registration_initiated", "submission_success");

    Warehouse warehouse;
    ObjectStore store;
    List<Event> events;
    InteractiveDashboard dashboard;
    HttpClient http = HttpClient.newHttpClient();

    /** A new, empty warehouse of the engine under test (the loader's, writing). */
    abstract Warehouse newWarehouse(Path dir) throws Exception;

    /** The engine of {@link #newWarehouse}. */
    abstract Dialect dialect();

    /** Connections as {@code serve} opens them: they cannot write. */
    abstract Dialect.ConnectionSource readConnections();

    /** A plain connection for the hand-written queries. */
    abstract Connection handConnection() throws SQLException;

    /** Makes the next query of {@code dashboard} run longer than a timeout; the returned action undoes it. */
    abstract AutoCloseable slowDown() throws Exception;

    void cleanUp() throws Exception {
    }

    @BeforeAll
    void loadTheDatasetAndServe(@TempDir Path dir) throws Exception {
        warehouse = newWarehouse(dir);
        store = new LocalObjectStore(dir.resolve("dfs"));
        store.ensureReady();
        warehouse.ensureSchema();
        events = ServeFixture.dataset(11);
        ServeFixture.load(warehouse, store, events, events.size() / 2);
        ServeFixture.deadLetters(store);
        dashboard = start(ApiLimits.DEFAULT);
    }

    InteractiveDashboard start(ApiLimits limits) throws Exception {
        DashboardSources sources = new DashboardSources(dialect(), readConnections(),
                new DeadLetterStatus(store, () -> {
                    throw new IllegalStateException("no queue in this test");
                }, "events-dlq", Clock.systemUTC()), ServeFixture.SCHEDULE);
        PageConfig page = new PageConfig(REPORT_EVENTS, 14, Duration.ofSeconds(10), false, dialect().name());
        return InteractiveDashboard.start(new ReportSettings(null, 8080, 14, 900, 450), EmbeddedQueueServer.freePort(), sources, page,
                limits, new MutableClock(NOW), null, false);
    }

    @AfterAll
    void close() throws Exception {
        if (dashboard != null) {
            dashboard.close();
        }
        if (warehouse != null) {
            warehouse.close();
        }
        cleanUp();
    }

    // ---------- helpers ----------

    record Answer(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    Answer get(InteractiveDashboard d, String pathAndQuery) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(d.url().resolve(pathAndQuery)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r);
    }

    JsonNode api(String pathAndQuery) throws Exception {
        Answer a = get(dashboard, pathAndQuery);
        assertThat(a.status()).as(pathAndQuery + ": " + a.body()).isEqualTo(200);
        return a.json();
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static Timestamp ts(Instant t) {
        return Timestamp.from(t);
    }

    static Timestamp day(String d) {
        return ts(ServeFixture.startOf(LocalDate.parse(d)));
    }

    /** Runs a hand-written query; each row as its columns' text. */
    List<List<String>> hand(String sql, Object... params) throws SQLException {
        try (Connection c = handConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        row.add(v instanceof java.util.Date || v instanceof java.time.temporal.Temporal ? text(rs.getTimestamp(i)) : String.valueOf(v));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static String text(Timestamp t) {
        return t == null ? "null" : t.toInstant().toString();
    }

    /** {@code bucket|event|platform -> count} of a counts answer, zero counts left out. */
    static Map<String, Long> nonZero(JsonNode counts) {
        Map<String, Long> out = new TreeMap<>();
        JsonNode buckets = counts.path("buckets");
        for (JsonNode s : counts.path("series")) {
            for (int i = 0; i < buckets.size(); i++) {
                long n = s.path("counts").get(i).asLong();
                if (n != 0) {
                    out.put(buckets.get(i).asText() + "|" + s.path("event").asText() + "|" + s.path("platform").asText(), n);
                }
            }
        }
        return out;
    }

    // ---------- the tests ----------

    @Test
    void eventNamesWithTheirCountsEqualAGroupByOverTheDefaultRange() throws Exception {
        JsonNode a = api("/api/events");
        assertThat(a.path("from").asText()).isEqualTo("2026-11-11");
        assertThat(a.path("to").asText()).isEqualTo("2026-11-24");
        Map<String, Long> api = new TreeMap<>();
        a.path("names").forEach(n -> api.put(n.path("name").asText(), n.path("count").asLong()));
        Map<String, Long> truth = new TreeMap<>();
        for (List<String> r : hand("SELECT \"event\", count(*) FROM events WHERE \"timestamp\" >= ? AND \"timestamp\" < ? GROUP BY \"event\"",
                day("2026-11-11"), day("2026-11-25"))) {
            truth.put(r.get(0), Long.parseLong(r.get(1)));
        }
        assertThat(api).isEqualTo(truth).containsKeys(QUOTED, MARKUP);
        List<Long> counts = new ArrayList<>();
        a.path("names").forEach(n -> counts.add(n.path("count").asLong()));
        assertThat(counts).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    /** A connection that may write, for the tests that change the warehouse by hand. */
    Connection writeConnection() throws SQLException {
        return handConnection();
    }

    private void write(String... sql) throws SQLException {
        try (Connection c = writeConnection(); java.sql.Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private List<String> eventNames(String day) throws Exception {
        List<String> names = new ArrayList<>();
        api("/api/events?from=" + day + "&to=" + day).path("names").forEach(n -> names.add(n.path("name").asText() + "=" + n.path("count")));
        return names;
    }

    @Test
    void countsComeFromTheHourlyCountsOnlyWhileTheyHoldAsManyRowsAsEvents() throws Exception {
        String day = "2026-09-15";
        assertThat(eventNames(day)).isEmpty();
        try {
            // A row written into events by hand, not by a load: the hourly counts lack it, so events is counted.
            write("INSERT INTO events (\"id\", anonymous_id, \"event\", \"timestamp\", sent_at, received_at, context_device_type, "
                    + "loaded_at, source_file) VALUES ('by-hand-1', 'd', 'in_events', TIMESTAMP '2026-09-15 10:20:00', "
                    + "TIMESTAMP '2026-09-15 10:20:00', TIMESTAMP '2026-09-15 10:20:00', 'web', TIMESTAMP '2026-09-15 10:21:00', 'by-hand')");
            assertThat(eventNames(day)).containsExactly("in_events=1");
            // An hourly row that makes the two agree in number (and only in number): now the hourly counts answer.
            write("INSERT INTO " + Schema.HOURLY_COUNTS + " (hour, \"event\", context_device_type, n) VALUES "
                    + "(TIMESTAMP '2026-09-15 10:00:00', 'in_hourly_counts', 'web', 1)");
            assertThat(eventNames(day)).containsExactly("in_hourly_counts=1");
        } finally {
            write("DELETE FROM events WHERE \"id\" = 'by-hand-1'",
                    "DELETE FROM " + Schema.HOURLY_COUNTS + " WHERE \"event\" = 'in_hourly_counts'");
        }
        assertThat(eventNames(day)).isEmpty();
    }

    @Test
    void activeDevicesComeFromTheLoadsDeviceActivityOnlyWhileTheHourlyCountsAgreeWithEvents() throws Exception {
        String day = "2026-09-15"; // a Tuesday: bit 1 of the week of Monday the 14th, bit 14 of September
        String active = "/api/active?from=" + day + "&to=" + day;
        assertThat(api(active).path("dau").path("devices").toString()).isEqualTo("[0]");
        try {
            // A row written into events by hand: the loads' summaries lack it, so the devices are counted from events.
            write("INSERT INTO events (\"id\", anonymous_id, \"event\", \"timestamp\", sent_at, received_at, context_device_type, "
                    + "loaded_at, source_file) VALUES ('by-hand-2', 'by-hand-device', 'in_events', TIMESTAMP '2026-09-15 10:20:00', "
                    + "TIMESTAMP '2026-09-15 10:20:00', TIMESTAMP '2026-09-15 10:20:00', 'web', TIMESTAMP '2026-09-15 10:21:00', 'by-hand')");
            assertThat(api(active).path("dau").path("devices").toString()).isEqualTo("[1]");
            // Once the hourly counts agree in number, the kept activity answers: two devices there, none of them the row's.
            write("INSERT INTO " + Schema.HOURLY_COUNTS + " (hour, \"event\", context_device_type, n) VALUES "
                    + "(TIMESTAMP '2026-09-15 10:00:00', 'in_hourly_counts', 'web', 1)",
                    "INSERT INTO " + DeviceActivity.WEEKS + " (period_start, scope, platform, anonymous_id, days) VALUES "
                            + "(TIMESTAMP '2026-09-14 00:00:00', 0, '', 'kept-1', 2), (TIMESTAMP '2026-09-14 00:00:00', 0, '', 'kept-2', 3), "
                            + "(TIMESTAMP '2026-09-14 00:00:00', 0, '', 'kept-monday-only', 1), "
                            + "(TIMESTAMP '2026-09-14 00:00:00', 1, 'web', 'kept-1', 2)",
                    "INSERT INTO " + DeviceActivity.MONTHS + " (period_start, scope, platform, anonymous_id, days) VALUES "
                            + "(TIMESTAMP '2026-09-01 00:00:00', 0, '', 'kept-1', 16384), (TIMESTAMP '2026-09-01 00:00:00', 0, '', 'kept-2', 16385), "
                            + "(TIMESTAMP '2026-09-01 00:00:00', 0, '', 'kept-first-only', 1)");
            JsonNode a = api(active);
            assertThat(List.of(a.path("dau").path("devices").toString(), a.path("wau").path("devices").toString(),
                    a.path("mau").path("devices").toString())).containsExactly("[2]", "[2]", "[2]");
            assertThat(api(active + "&platform=web").path("dau").path("devices").toString()).isEqualTo("[1]");
        } finally {
            write("DELETE FROM events WHERE \"id\" = 'by-hand-2'",
                    "DELETE FROM " + Schema.HOURLY_COUNTS + " WHERE \"event\" = 'in_hourly_counts'",
                    "DELETE FROM " + DeviceActivity.WEEKS + " WHERE anonymous_id LIKE 'kept-%'",
                    "DELETE FROM " + DeviceActivity.MONTHS + " WHERE anonymous_id LIKE 'kept-%'");
        }
        assertThat(api(active).path("dau").path("devices").toString()).isEqualTo("[0]");
    }

    @Test
    void eventsOfOnePlatformAndThePlatformsEqualTheirGroupBys() throws Exception {
        JsonNode a = api("/api/events?from=2026-11-05&to=2026-11-20&platform=ios");
        Map<String, Long> api = new TreeMap<>();
        a.path("names").forEach(n -> api.put(n.path("name").asText(), n.path("count").asLong()));
        Map<String, Long> truth = new TreeMap<>();
        for (List<String> r : hand("SELECT \"event\", count(*) FROM events WHERE context_device_type = 'ios' "
                + "AND \"timestamp\" >= ? AND \"timestamp\" < ? GROUP BY \"event\"", day("2026-11-05"), day("2026-11-21"))) {
            truth.put(r.get(0), Long.parseLong(r.get(1)));
        }
        assertThat(api).isEqualTo(truth).isNotEmpty();

        Map<String, Long> platforms = new TreeMap<>();
        api("/api/platforms?from=2026-11-05&to=2026-11-20").path("names")
                .forEach(n -> platforms.put(n.path("name").asText(), n.path("count").asLong()));
        Map<String, Long> platformTruth = new TreeMap<>();
        for (List<String> r : hand("SELECT context_device_type, count(*) FROM events WHERE \"timestamp\" >= ? AND \"timestamp\" < ? "
                + "GROUP BY context_device_type", day("2026-11-05"), day("2026-11-21"))) {
            platformTruth.put(r.get(0), Long.parseLong(r.get(1)));
        }
        assertThat(platforms).isEqualTo(platformTruth).containsOnlyKeys(ServeFixture.PLATFORMS);
    }

    @Test
    void countsPerDayPerEventAndPlatformEqualTheSeedsChartQuery() throws Exception {
        String events = "event=registration_initiated&event=submission_success&event=" + q(QUOTED) + "&event=" + q(MARKUP);
        JsonNode a = api("/api/counts?from=2026-11-11&to=2026-11-24&" + events);
        assertThat(a.path("buckets")).hasSize(14);
        assertThat(a.path("buckets").get(0).asText()).isEqualTo("2026-11-11");
        Map<String, Long> truth = new TreeMap<>();
        // The original prototype's chart: a daily count per platform of one event.
        for (String event : List.of("registration_initiated", "submission_success", QUOTED, MARKUP)) {
            for (List<String> r : hand("SELECT CAST(\"timestamp\" AS DATE), context_device_type, count(*) FROM events "
                    + "WHERE \"event\" = ? AND \"timestamp\" >= ? AND \"timestamp\" < ? GROUP BY 1, 2", event, day("2026-11-11"),
                    day("2026-11-25"))) {
                truth.put(r.get(0).substring(0, 10) + "|" + event + "|" + r.get(1), Long.parseLong(r.get(2)));
            }
        }
        assertThat(nonZero(a)).isEqualTo(truth);
        // Every series has a value for every day, and the series come in the order the events were asked.
        a.path("series").forEach(s -> assertThat(s.path("counts")).hasSize(14));
        assertThat(a.path("series").get(0).path("event").asText()).isEqualTo("registration_initiated");
    }

    @Test
    void countsPerHourAndPerWeekOfOnePlatformEqualHandWrittenSql() throws Exception {
        JsonNode hours = api("/api/counts?granularity=hour&from=2026-11-20&to=2026-11-24&event=app_open&platform=android");
        assertThat(hours.path("buckets")).hasSize(5 * 24);
        Map<String, Long> hourTruth = new TreeMap<>();
        for (List<String> r : hand("SELECT date_trunc('hour', \"timestamp\"), count(*) FROM events WHERE \"event\" = 'app_open' "
                + "AND context_device_type = 'android' AND \"timestamp\" >= ? AND \"timestamp\" < ? GROUP BY 1",
                day("2026-11-20"), day("2026-11-25"))) {
            hourTruth.put(r.get(0) + "|app_open|android", Long.parseLong(r.get(1)));
        }
        assertThat(nonZero(hours)).isEqualTo(hourTruth).isNotEmpty();

        JsonNode weeks = api("/api/counts?granularity=week&from=2026-11-04&to=2026-11-24&event=app_open&event=purchase_completed");
        assertThat(weeks.path("buckets").toString()).isEqualTo("[\"2026-11-02\",\"2026-11-09\",\"2026-11-16\",\"2026-11-23\"]");
        Map<String, Long> weekTruth = new TreeMap<>();
        for (List<String> r : hand("SELECT date_trunc('week', \"timestamp\"), \"event\", context_device_type, count(*) FROM events "
                + "WHERE \"event\" IN ('app_open', 'purchase_completed') AND \"timestamp\" >= ? AND \"timestamp\" < ? GROUP BY 1, 2, 3",
                day("2026-11-04"), day("2026-11-25"))) {
            weekTruth.put(r.get(0).substring(0, 10) + "|" + r.get(1) + "|" + r.get(2), Long.parseLong(r.get(3)));
        }
        assertThat(nonZero(weeks)).isEqualTo(weekTruth);
    }

    @Test
    void anEventAtTheStartOfTheFirstDayCountsAndOneAtTheStartOfTomorrowDoesNot() throws Exception {
        JsonNode a = api("/api/counts?from=2026-11-11&to=2026-11-24&event=app_open&platform=android");
        assertThat(nonZero(a)).containsKey("2026-11-11|app_open|android");
        long total = 0;
        for (JsonNode s : a.path("series")) {
            for (JsonNode n : s.path("counts")) {
                total += n.asLong();
            }
        }
        long truth = Long.parseLong(hand("SELECT count(*) FROM events WHERE \"event\" = 'app_open' AND context_device_type = 'android' "
                + "AND \"timestamp\" >= ? AND \"timestamp\" < ?", day("2026-11-11"), day("2026-11-25")).get(0).get(0));
        assertThat(total).isEqualTo(truth);
        assertThat(hand("SELECT count(*) FROM events WHERE id = 'tomorrow'").get(0).get(0)).isEqualTo("1");
    }

    @Test
    void activeDevicesPerDayWeekAndMonthEqualCountDistinct() throws Exception {
        JsonNode a = activeEqualsCountDistinct("2026-11-04", "2026-11-24", "android");
        assertThat(a.path("dau").path("buckets")).hasSize(21);
        assertThat(a.path("mau").path("buckets").toString()).isEqualTo("[\"2026-11-01\"]");
    }

    @Test
    void activeDevicesOnEveryPlatformCountADeviceOfTwoDaysOnceInItsWeek() throws Exception {
        JsonNode a = activeEqualsCountDistinct("2026-11-04", "2026-11-24", null);
        // devices come back on later days and weeks: a week's devices are fewer than its days' added up, a month's than its weeks'
        assertThat(sum(a.path("wau"))).isPositive().isLessThan(sum(a.path("dau")));
        assertThat(sum(a.path("mau"))).isPositive().isLessThan(sum(a.path("wau")));
    }

    @Test
    void activeDevicesOverMoreThan62DaysEqualCountDistinctAcrossTheirTwoMasks() throws Exception {
        // day 62 of this range is Saturday 14 November: the week of the 9th spans both masks, with events on either side
        JsonNode a = activeEqualsCountDistinct("2026-09-13", "2026-11-24", null);
        assertThat(a.path("dau").path("buckets")).hasSize(73);
    }

    private static long sum(JsonNode devices) {
        long sum = 0;
        for (JsonNode n : devices.path("devices")) {
            sum += n.asLong();
        }
        return sum;
    }

    /** {@code /api/active} over {@code from..to} (on {@code platform}, or all when null) against hand-written count(DISTINCT). */
    private JsonNode activeEqualsCountDistinct(String from, String to, String platform) throws Exception {
        JsonNode a = api("/api/active?from=" + from + "&to=" + to + (platform == null ? "" : "&platform=" + platform));
        for (String[] m : new String[][] {{"dau", "day"}, {"wau", "week"}, {"mau", "month"}}) {
            Map<String, Long> api = new TreeMap<>();
            JsonNode d = a.path(m[0]);
            for (int i = 0; i < d.path("buckets").size(); i++) {
                if (d.path("devices").get(i).asLong() != 0) {
                    api.put(d.path("buckets").get(i).asText(), d.path("devices").get(i).asLong());
                }
            }
            Map<String, Long> truth = new TreeMap<>();
            List<Object> params = new ArrayList<>(List.of(day(from), day(LocalDate.parse(to).plusDays(1).toString())));
            if (platform != null) {
                params.add(platform);
            }
            for (List<String> r : hand("SELECT date_trunc('" + m[1] + "', \"timestamp\"), count(DISTINCT anonymous_id) FROM events "
                    + "WHERE \"timestamp\" >= ? AND \"timestamp\" < ?" + (platform == null ? "" : " AND context_device_type = ?")
                    + " GROUP BY 1", params.toArray())) {
                truth.put(r.get(0).substring(0, 10), Long.parseLong(r.get(1)));
            }
            assertThat(api).as(m[0]).isEqualTo(truth).isNotEmpty();
        }
        return a;
    }

    /**
     * The funnel as a person would write it without CTEs: each device's first step-1 time in the
     * range, then for each later step the first time after the previous one, by correlated subqueries.
     */
    long[] handFunnel(List<String> steps, String from, String to, long window, String platform) throws SQLException {
        String p = platform == null ? "" : " AND x.context_device_type = '" + platform + "'";
        String inWindow = " AND x.\"timestamp\" <= f.t1 + INTERVAL '1 second' * " + window;
        String t2 = "(SELECT min(x.\"timestamp\") FROM events x WHERE x.anonymous_id = f.anonymous_id AND x.\"event\" = ? "
                + "AND x.\"timestamp\" > f.t1" + inWindow + p + ")";
        String t3 = "(SELECT min(x.\"timestamp\") FROM events x WHERE x.anonymous_id = f.anonymous_id AND x.\"event\" = ? "
                + "AND x.\"timestamp\" > f.t2" + inWindow + p + ")";
        String first = "SELECT x.anonymous_id, min(x.\"timestamp\") AS t1 FROM events x WHERE x.\"event\" = ? AND x.\"timestamp\" >= ? "
                + "AND x.\"timestamp\" < ?" + p + " GROUP BY x.anonymous_id";
        String sql = "SELECT count(*), count(f.t2), count(" + t3 + ") FROM (SELECT f.anonymous_id, f.t1, " + t2 + " AS t2 FROM ("
                + first + ") f) f";
        List<String> r = hand(sql, steps.get(2), steps.get(1), steps.get(0), day(from), ts(ServeFixture.startOf(LocalDate.parse(to).plusDays(1))))
                .get(0);
        return new long[] {Long.parseLong(r.get(0)), Long.parseLong(r.get(1)), Long.parseLong(r.get(2))};
    }

    @Test
    void aThreeStepFunnelEqualsCorrelatedSubqueriesForEachWindow() throws Exception {
        List<String> steps = List.of("app_open", "registration_initiated", "submission_success");
        for (long window : new long[] {3_600, 86_400, 7 * 86_400}) {
            JsonNode a = api("/api/funnel?from=2026-11-08&to=2026-11-24&step=app_open&step=registration_initiated"
                    + "&step=submission_success&window=" + window);
            long[] truth = handFunnel(steps, "2026-11-08", "2026-11-24", window, null);
            for (int k = 0; k < 3; k++) {
                assertThat(a.path("steps").get(k).path("event").asText()).isEqualTo(steps.get(k));
                assertThat(a.path("steps").get(k).path("devices").asLong()).as("step " + (k + 1) + ", window " + window).isEqualTo(truth[k]);
            }
            assertThat(truth[0]).isGreaterThan(truth[2]);
            assertThat(a.path("steps").get(2).path("from_first").asDouble())
                    .isCloseTo((double) truth[2] / truth[0], org.assertj.core.data.Offset.offset(0.0001));
            assertThat(a.path("window_seconds").asLong()).isEqualTo(window);
        }
        // A wider window lets more devices convert: the window decides.
        assertThat(handFunnel(steps, "2026-11-08", "2026-11-24", 3_600, null)[2])
                .isLessThan(handFunnel(steps, "2026-11-08", "2026-11-24", 7 * 86_400, null)[2]);
        JsonNode web = api("/api/funnel?from=2026-11-08&to=2026-11-24&step=app_open&step=registration_initiated"
                + "&step=submission_success&platform=web");
        long[] webTruth = handFunnel(steps, "2026-11-08", "2026-11-24", 86_400, "web");
        assertThat(web.path("steps").get(1).path("devices").asLong()).isEqualTo(webTruth[1]);
        assertThat(web.path("steps").get(2).path("devices").asLong()).isEqualTo(webTruth[2]);
    }

    @Test
    void funnelsWithRepeatedReversedLongerOrShorterStepsEqualTheFunnelWorkedOutInJava() throws Exception {
        Instant start = ServeFixture.startOf(LocalDate.parse("2026-11-08"));
        Instant end = ServeFixture.startOf(LocalDate.parse("2026-11-25"));
        long window = 7 * 86_400;
        for (List<String> steps : List.of(
                List.of("app_open", "app_open", "registration_initiated"),
                List.of("registration_initiated", "app_open", "submission_success"),
                List.of("app_open", "registration_initiated", "submission_success", "purchase_completed"),
                List.of("app_open", "submission_success"))) {
            JsonNode a = api("/api/funnel?from=2026-11-08&to=2026-11-24&step=" + String.join("&step=", steps) + "&window=" + window);
            List<Long> api = new ArrayList<>();
            a.path("steps").forEach(s -> api.add(s.path("devices").asLong()));
            long[] truth = ServeFixture.funnel(events, steps, start, end, window);
            assertThat(api).as(steps.toString()).containsExactly(java.util.Arrays.stream(truth).boxed().toArray(Long[]::new));
            assertThat(truth[steps.size() - 1]).as(steps + ": some device reaches the last step").isPositive();
        }
    }

    @Test
    void freshnessIsMeasuredByThePipelinesClocksAndTheLedger() throws Exception {
        JsonNode a = api("/api/freshness");
        List<String> newest = hand("SELECT max(coalesce(queued_at, consumed_at, loaded_at)) FROM events").get(0);
        List<String> ledger = hand("SELECT count(*), sum(row_count), max(loaded_at) FROM eventpipe_loaded_files").get(0);
        assertThat(a.path("newest_arrival").asText()).isEqualTo(newest.get(0));
        assertThat(a.path("last_load").asText()).isEqualTo(ledger.get(2)).isEqualTo(ServeFixture.SECOND_LOAD.toString());
        assertThat(a.path("files_loaded").asLong()).isEqualTo(Long.parseLong(ledger.get(0)));
        assertThat(a.path("rows_loaded").asLong()).isEqualTo(events.size());
        assertThat(a.path("lag_seconds").asLong()).isEqualTo(Duration.between(Instant.parse(newest.get(0)), NOW).toSeconds());
        assertThat(a.path("next_load").asText()).isEqualTo("2026-11-24T15:45:00Z");
        assertThat(a.path("now").asText()).isEqualTo(NOW.toString());
    }

    @Test
    void loadsPerHourEqualTheLedgerAndTheLastJobRunIsListed() throws Exception {
        JsonNode a = api("/api/loads?from=2026-11-23&to=2026-11-24");
        Map<String, String> api = new TreeMap<>();
        for (int i = 0; i < a.path("buckets").size(); i++) {
            if (a.path("files").get(i).asLong() != 0) {
                api.put(a.path("buckets").get(i).asText(), a.path("files").get(i).asLong() + "|" + a.path("rows").get(i).asLong());
            }
        }
        Map<String, String> truth = new TreeMap<>();
        for (List<String> r : hand("SELECT date_trunc('hour', loaded_at), count(*), sum(row_count) FROM eventpipe_loaded_files "
                + "WHERE loaded_at >= ? AND loaded_at < ? GROUP BY 1", day("2026-11-23"), day("2026-11-25"))) {
            truth.put(r.get(0), r.get(1) + "|" + r.get(2));
        }
        assertThat(api).isEqualTo(truth).hasSize(2);
        assertThat(a.path("jobs").get(0).path("job").asText()).isEqualTo("load");
        assertThat(a.path("jobs").get(0).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void deadLettersByReasonAreThoseStatusCountsEachOnce() throws Exception {
        JsonNode a = api("/api/dead-letters");
        DeadLetterTally tally = DeadLetterTally.read(store);
        Map<String, Long> api = new TreeMap<>();
        a.path("by_reason").fields().forEachRemaining(e -> api.put(e.getKey(), e.getValue().asLong()));
        assertThat(api).isEqualTo(tally.rejectedByReason()).isEqualTo(Map.of("bad_timestamp", 2L, "invalid_json", 1L));
        assertThat(a.path("rejected").asLong()).isEqualTo(3);
        assertThat(a.path("replayed").asLong()).isEqualTo(1);
        assertThat(a.path("samples").path("bad_timestamp").asText()).isEqualTo("bad_timestamp in <b>body</b>");
        assertThat(a.path("queue_error").asText()).isEqualTo("no queue in this test");
    }

    @Test
    void csvHoldsTheSameNumbersAsJsonAsADownload() throws Exception {
        String query = "/api/counts?from=2026-11-18&to=2026-11-24&event=app_open&event=" + q(QUOTED);
        Map<String, Long> json = nonZero(api(query));
        Answer csv = get(dashboard, query + "&format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.response().headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
        assertThat(csv.response().headers().firstValue("content-disposition"))
                .hasValue("attachment; filename=\"counts-day-2026-11-18-2026-11-24.csv\"");
        List<List<String>> rows = new com.fasterxml.jackson.dataformat.csv.CsvMapper().readerForListOf(String.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY).<List<String>>readValues(csv.body()).readAll();
        assertThat(rows.get(0)).containsExactly("day", "event", "platform", "count");
        Map<String, Long> fromCsv = new TreeMap<>();
        for (List<String> cells : rows.subList(1, rows.size())) {
            if (!cells.get(3).equals("0")) {
                fromCsv.put(cells.get(0) + "|" + cells.get(1) + "|" + cells.get(2), Long.parseLong(cells.get(3)));
            }
        }
        assertThat(fromCsv).isEqualTo(json).isNotEmpty();
    }

    @Test
    void badParametersAre400WithAMessageThatSaysWhatToDo() throws Exception {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("/api/counts?event=a&from=2026-02-30", "from = '2026-02-30': not a date; write YYYY-MM-DD (a UTC day)");
        bad.put("/api/counts?event=a&from=2026-11-20&to=2026-11-01", "from = '2026-11-20' is after to = '2026-11-01'");
        bad.put("/api/counts?event=a&granularity=hour&from=2026-01-01&to=2026-11-24", "hour buckets show 31 days at most");
        bad.put("/api/counts", "give 1 to 12 event parameters");
        bad.put("/api/counts?event=a&evnt=b", "unknown parameter 'evnt'");
        bad.put("/api/funnel?step=a", "a funnel takes 2 to 6 step parameters");
        bad.put("/api/funnel?step=a&step=b&window=10", "window = '10': must be whole seconds from 60");
        bad.put("/api/events?format=xml", "format = 'xml': must be json or csv");
        bad.put("/api/events?from=2026-11-01&from=2026-11-02", "from is given 2 times");
        bad.put("/api/events?from=%FF", "the query string is not valid URL encoding of UTF-8 text");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            Answer a = get(dashboard, b.getKey());
            assertThat(a.status()).as(b.getKey() + ": " + a.body()).isEqualTo(400);
            assertThat(a.json().path("status").asInt()).isEqualTo(400);
            assertThat(a.json().path("error").asText()).as(b.getKey()).contains(b.getValue());
            assertThat(a.response().headers().firstValue("content-type")).hasValue("application/json");
        }
        Answer missing = get(dashboard, "/api/nothing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").asText()).startsWith("no endpoint /api/nothing; there are config, events");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(dashboard.url().resolve("/api/events"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void anAnswerLongerThanTheRowLimitIsRefusedWithWhatToNarrow() throws Exception {
        try (InteractiveDashboard small = start(ApiLimits.DEFAULT.withMaxRows(3))) {
            Answer a = get(small, "/api/counts?granularity=hour&from=2026-11-11&to=2026-11-24&event=app_open");
            assertThat(a.status()).as(a.body()).isEqualTo(400);
            assertThat(a.json().path("error").asText()).isEqualTo("the answer has more than 3 rows: choose a shorter range, "
                    + "a coarser granularity, fewer events or one platform");
            // A ranked list is cut instead, and says so.
            JsonNode names = get(small, "/api/events").json();
            assertThat(names.path("names")).hasSize(3);
            assertThat(names.path("truncated").asBoolean()).isTrue();
        }
    }

    @Test
    void aSlowQueryIsCutByTheTimeout() throws Exception {
        try (InteractiveDashboard quick = start(ApiLimits.DEFAULT.withTimeout(Duration.ofMillis(300)));
             AutoCloseable slow = slowDown()) {
            long t0 = System.nanoTime();
            Answer a = get(quick, "/api/funnel?from=2026-11-08&to=2026-11-24&step=a&step=a&step=a&step=a&step=a&step=a&window=7776000");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(a.status()).as(a.body()).isEqualTo(503);
            assertThat(a.json().path("error").asText()).isEqualTo("the query ran longer than 0.3 s and was stopped: "
                    + "choose a shorter range, fewer events or a shorter funnel window");
            assertThat(ms).as("answered after the cut").isLessThan(10_000);
        }
        // The server goes on answering.
        assertThat(api("/api/freshness").path("files_loaded").asLong()).isPositive();
    }

    @Test
    void theDashboardsConnectionsCannotWrite() throws Exception {
        try (ReadOnlyQueries q = new ReadOnlyQueries(dialect(), readConnections(), ApiLimits.DEFAULT)) {
            try {
                q.list("INSERT INTO eventpipe_job_runs (id, job, started, status) VALUES (1, 'intruder', CURRENT_TIMESTAMP, 'ok') RETURNING id",
                        List.of(), rs -> rs.getLong(1));
            } catch (ApiException refused) {
                assertThat(refused.status()).isEqualTo(503);
            }
        }
        assertThat(hand("SELECT count(*) FROM eventpipe_job_runs WHERE job = 'intruder'").get(0).get(0)).isEqualTo("0");
    }
}
