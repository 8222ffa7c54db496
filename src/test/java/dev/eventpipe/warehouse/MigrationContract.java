package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventField;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.testkit.EventFiles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Migrations, run against each engine (DuckDB always, PostgreSQL where {@code EVENTPIPE_TEST_POSTGRES_URL}
 * is set): an eventpipe version 1 warehouse to version 5, and the original prototype's {@code events}
 * table (its DDL, SORTKEY removed) adopted with every row kept, loaded into afterwards, and still
 * answering the prototype's chart query with the counts eventpipe's report shows.
 */
abstract class MigrationContract {

    static final LongConsumer IGNORE = n -> { };

    /** The prototype's create_table.sql, verbatim but for Redshift's SORTKEY. */
    static final String PROTOTYPE_DDL = "CREATE TABLE events (id VARCHAR(36) NOT NULL, anonymous_id VARCHAR(36) NOT NULL, "
            + "user_id INTEGER, context_app_version VARCHAR(8), context_device_ad_tracking_enabled BOOLEAN, "
            + "context_device_manufacturer VARCHAR(32), context_device_model VARCHAR(32), context_device_type VARCHAR(16) NOT NULL, "
            + "context_library_name VARCHAR(16), context_library_version VARCHAR(8), context_locale VARCHAR(5), "
            + "context_network_wifi BOOLEAN, context_os_name VARCHAR(32), context_network_carrier VARCHAR(16), "
            + "context_timezone VARCHAR(16), context_traits_taxfix_language VARCHAR(5), event VARCHAR(32) NOT NULL, "
            + "event_text VARCHAR(64) NOT NULL, original_timestamp TIMESTAMPTZ, timestamp TIMESTAMP NOT NULL, "
            + "sent_at TIMESTAMP NOT NULL, received_at TIMESTAMP NOT NULL)";

    static final List<String> PROTOTYPE_EVENTS = List.of("application_opened", "registration_initiated", "submission_success");

    Warehouse warehouse;
    ObjectStore store;

    /** The engine's dialect. */
    abstract Dialect dialect();

    /** A connection to this test's own database (or schema). */
    abstract Connection open() throws SQLException;

    abstract ObjectStore newStore() throws Exception;

    /**
     * The prototype's chart query as this engine runs it, the event a bound parameter: verbatim on
     * PostgreSQL (psycopg2's {@code %s} is JDBC's {@code ?}); on DuckDB, which has no TO_CHAR,
     * {@code strftime} in its place.
     */
    abstract String prototypeChartQuery();

    void cleanUp() throws Exception {
    }

    @BeforeEach
    void setUp() throws Exception {
        warehouse = new JdbcWarehouse(dialect(), this::open, dialect().name() + " (migration test)");
        store = newStore();
        store.ensureReady();
    }

    @AfterEach
    void tearDown() throws Exception {
        warehouse.close();
        cleanUp();
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = open(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    long count(String sql) {
        return warehouse.query(sql, List.of(), rs -> rs.getLong(1)).get(0);
    }

    TableShape shape(String table) throws SQLException {
        try (Connection c = open()) {
            return TableShape.read(c, table);
        }
    }

    LoadSummary load() {
        return new Loader(warehouse, store, 50, Clock.systemUTC()).run(IGNORE, IGNORE);
    }

    /** Rows as the prototype's consumer wrote them: {@code n} events over three days, both platforms, user_id a number or null. */
    static List<Object[]> prototypeRows(int n, int firstId) {
        List<Object[]> rows = new ArrayList<>();
        LocalDateTime day = LocalDateTime.of(2026, 11, 20, 8, 0);
        for (int i = 0; i < n; i++) {
            LocalDateTime t = day.plusDays(i % 3).plusMinutes(i);
            rows.add(new Object[] {
                    String.format("A%035d", firstId + i), String.format("B%035d", i % 17), i % 4 == 0 ? null : 1000 + i,
                    "5.1.0", i % 2 == 0, "Apple", "iPhone13,2", i % 5 < 2 ? "android" : "ios", "analytics-ios", "4.1.8", "de-DE",
                    true, "iOS", "Telekom", "Europe/Berlin", "de", PROTOTYPE_EVENTS.get(i % 3), "Event " + i,
                    OffsetDateTime.of(t.plusHours(1), ZoneOffset.ofHours(1)), Timestamp.valueOf(t),
                    Timestamp.valueOf(t.plusSeconds(1)), Timestamp.valueOf(t.plusSeconds(2 + i % 2))});
        }
        return rows;
    }

    void createPrototypeTable(List<Object[]> rows) throws SQLException {
        sql(PROTOTYPE_DDL);
        try (Connection c = open(); PreparedStatement ps = c.prepareStatement("INSERT INTO events VALUES ("
                + String.join(", ", java.util.Collections.nCopies(22, "?")) + ")")) {
            for (Object[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    ps.setObject(i + 1, r[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** date|platform -> count, by the prototype's chart query. */
    Map<String, Long> prototypeChart(String event) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = open(); PreparedStatement ps = c.prepareStatement(prototypeChartQuery())) {
            ps.setString(1, event);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString("date") + "|" + rs.getString("context_device_type"), rs.getLong("cnt"));
                }
            }
        }
        return out;
    }

    /** date|platform -> count, by the report's own query (report/KpiQueries, read as it is: not changed here). */
    Map<String, Long> reportChart(String event) throws Exception {
        java.lang.reflect.Field f = Class.forName("dev.eventpipe.report.KpiQueries").getDeclaredField("EVENT_PER_DAY_AND_PLATFORM");
        f.setAccessible(true);
        String sql = (String) f.get(null);
        Map<String, Long> out = new TreeMap<>();
        warehouse.query(sql, List.of(event, Timestamp.from(Instant.parse("2000-01-01T00:00:00Z")),
                        Timestamp.from(Instant.parse("2100-01-01T00:00:00Z"))),
                rs -> out.put(rs.getDate(1).toLocalDate() + "|" + rs.getString(2), rs.getLong(3)));
        return out;
    }

    @Test
    void initOnThePrototypesTableNamesEachDifferenceAndChangesNothing() throws Exception {
        createPrototypeTable(prototypeRows(30, 0));
        TableShape before = shape(Schema.EVENTS);

        assertThatThrownBy(warehouse::ensureSchema).isInstanceOfSatisfying(ForeignEventsTableException.class, e -> {
            assertThat(e.getMessage()).contains("did not create", "eventpipe migrate");
            List<String> lines = e.differences().stream().map(TableDifference::line).toList();
            assertThat(lines).contains("missing column extra (" + dialect().textType() + ")", "missing column loaded_at (TIMESTAMP)",
                    "missing column source_file (" + dialect().textType(1024) + ")", "missing column context_device_token ("
                            + dialect().columnType(EventField.CONTEXT_DEVICE_TOKEN) + ")",
                    "missing column queued_at (" + dialect().columnType(EventField.QUEUED_AT) + ")",
                    "missing column consumed_at (" + dialect().columnType(EventField.CONSUMED_AT) + ")",
                    "event_text is NOT NULL: eventpipe leaves it empty when an event has no value");
            assertThat(lines).anyMatch(l -> l.startsWith("user_id is integer: eventpipe stores it as text"));
            assertThat(e.differences()).allMatch(TableDifference::fixable);
            assertThat(e.duplicates().any()).isFalse();
            assertPrototypeSpecifics(e.differences());
        });
        assertThat(shape(Schema.EVENTS)).isEqualTo(before);
        assertThat(shape(Schema.VERSION_TABLE).exists()).isFalse();
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(30);
    }

    /** Widths and the primary key, where the engine has them. */
    abstract void assertPrototypeSpecifics(List<TableDifference> differences);

    /** Where the engine needs an index to find a load's rows by {@code loaded_at} (PostgreSQL), it is there. */
    void assertLoadedAtIndexed() throws SQLException {
    }

    @Test
    void migrateAdoptsThePrototypesTableKeepingEveryRowThenLoadsNewEventsOnceAndTheChartQueryMatchesTheReport() throws Exception {
        List<Object[]> old = prototypeRows(60, 0);
        createPrototypeTable(old);
        Map<String, Map<String, Long>> chartsBefore = new HashMap<>();
        for (String e : PROTOTYPE_EVENTS) {
            chartsBefore.put(e, prototypeChart(e));
        }

        MigrationResult r = warehouse.migrate(new MigrationOptions(false, false));

        assertThat(r.kind()).isEqualTo(MigrationResult.Kind.ADOPTED);
        assertThat(r.rowsKept()).isEqualTo(60);
        assertThat(r.line()).contains("60 rows kept", "6 columns added");
        assertThat(warehouse.ensureSchema()).singleElement().asString().endsWith("schema version 5 unchanged");
        assertLoadedAtIndexed();
        KeptSummaries.assertMatchEvents(warehouse);
        assertThat(count("SELECT count(*) FROM events WHERE source_file = '" + Schema.ADOPTED_SOURCE + "'")).isEqualTo(60);
        assertThat(count("SELECT count(*) FROM events WHERE loaded_at IS NULL")).isZero();
        assertThat(warehouse.query("SELECT user_id FROM events WHERE id = ?", List.of(old.get(1)[0]), rs -> rs.getString(1)))
                .containsExactly("1001");
        assertThat(warehouse.query("SELECT user_id FROM events WHERE id = ?", List.of(old.get(0)[0]), rs -> rs.getString(1)))
                .singleElement().isNull();
        for (String e : PROTOTYPE_EVENTS) {
            assertThat(prototypeChart(e)).as("the prototype's chart of %s, unchanged by the migration", e).isEqualTo(chartsBefore.get(e));
        }

        // New events: a file of new ones, one that repeats two of the prototype's ids, then the same files again.
        List<Event> fresh = EventFiles.events(400, 31);
        EventFiles.write(store, "w", 1, fresh.subList(0, 250));
        List<Event> overlap = new ArrayList<>(fresh.subList(250, 400));
        overlap.add(fresh.get(0).toBuilder().set(EventField.ID, old.get(5)[0]).build());
        overlap.add(fresh.get(1).toBuilder().set(EventField.ID, old.get(6)[0]).set(EventField.USER_ID, "42").build());
        EventFiles.write(store, "w", 2, overlap);
        LoadSummary first = load();
        assertThat(first.rows()).isEqualTo(402);
        assertThat(first.inserted()).isEqualTo(400);
        assertThat(first.duplicates()).isEqualTo(2);
        EventFiles.write(store, "x", 1, fresh.subList(100, 200));
        assertThat(load().inserted()).as("events already loaded are skipped").isZero();

        assertThat(count("SELECT count(*) FROM events")).isEqualTo(460);
        assertThat(count("SELECT count(DISTINCT id) FROM events")).isEqualTo(460);
        assertThat(count("SELECT count(*) FROM events WHERE source_file = '" + Schema.ADOPTED_SOURCE + "'")).isEqualTo(60);
        WarehouseStats stats = warehouse.stats();
        assertThat(stats.rowsAdopted()).isEqualTo(60);
        assertThat(stats.rowsInFiles()).isEqualTo(502);
        assertThat(stats.duplicatesSkipped()).isEqualTo(102);
        assertThat(stats.duplicatesRecorded()).isEqualTo(102);
        assertThat(stats.filesLoaded()).isEqualTo(3);

        List<String> events = new ArrayList<>(PROTOTYPE_EVENTS);
        fresh.stream().map(Event::name).distinct().forEach(events::add);
        for (String e : events.stream().distinct().toList()) {
            Map<String, Long> prototype = prototypeChart(e);
            assertThat(prototype).as("the prototype's chart of %s", e).isEqualTo(reportChart(e)).isNotEmpty();
        }
        assertThat(prototypeChart("application_opened").values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(count("SELECT count(*) FROM events WHERE event = 'application_opened'"));
    }

    @Test
    void repeatedIdsStopTheAdoptionWithTheirCountAndASampleAndNothingChanges() throws Exception {
        List<Object[]> rows = prototypeRows(20, 0);
        rows.add(copyWithReceivedAt(rows.get(3), 1));
        rows.add(copyWithReceivedAt(rows.get(3), 2));
        rows.add(copyWithReceivedAt(rows.get(7), -5));
        createPrototypeTable(rows);
        TableShape before = shape(Schema.EVENTS);

        assertThatThrownBy(() -> warehouse.migrate(new MigrationOptions(false, false)))
                .isInstanceOfSatisfying(DuplicateIdsException.class, e -> {
                    assertThat(e.duplicates().ids()).isEqualTo(2);
                    assertThat(e.duplicates().surplusRows()).isEqualTo(3);
                    assertThat(e.duplicates().sample()).containsExactly("'" + rows.get(3)[0] + "' x3", "'" + rows.get(7)[0] + "' x2");
                    assertThat(e.getMessage()).contains("2 ids appear more than once (3 rows beyond the first)", "nothing was changed");
                });
        assertThat(shape(Schema.EVENTS)).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(23);
        assertThat(shape(Schema.VERSION_TABLE).exists()).isFalse();
    }

    @Test
    void movingRepeatedIdsKeepsTheFirstReceivedRowOfEachAndMovesTheOthersAside() throws Exception {
        List<Object[]> rows = prototypeRows(20, 0);
        rows.add(copyWithReceivedAt(rows.get(3), 1));
        rows.add(copyWithReceivedAt(rows.get(3), 2));
        Object[] earlier = copyWithReceivedAt(rows.get(7), -5);
        earlier[17] = "the first one";
        rows.add(earlier);
        createPrototypeTable(rows);

        MigrationResult r = warehouse.migrate(new MigrationOptions(true, false));

        assertThat(r.rowsKept()).isEqualTo(20);
        assertThat(r.duplicatesMoved()).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(20);
        assertThat(count("SELECT count(DISTINCT id) FROM events")).isEqualTo(20);
        assertThat(count("SELECT count(*) FROM " + Schema.ADOPTED_DUPLICATES)).isEqualTo(3);
        assertThat(warehouse.query("SELECT event_text FROM events WHERE id = ?", List.of(rows.get(7)[0]), rs -> rs.getString(1)))
                .containsExactly("the first one");
        assertThat(warehouse.query("SELECT received_at FROM events WHERE id = ?", List.of(rows.get(3)[0]), rs -> rs.getTimestamp(1)))
                .containsExactly((Timestamp) rows.get(3)[21]);
        WarehouseStats stats = warehouse.stats();
        assertThat(stats.rowsAdopted()).isEqualTo(20);
        assertThat(stats.duplicatesSkipped()).isZero();
        EventFiles.write(store, "w", 1, List.of(EventFiles.events(1, 40).get(0).toBuilder().set(EventField.ID, rows.get(3)[0]).build()));
        assertThat(load().duplicates()).as("an adopted id arriving again is skipped").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(20);
    }

    private static Object[] copyWithReceivedAt(Object[] row, int seconds) {
        Object[] copy = row.clone();
        copy[21] = Timestamp.valueOf(((Timestamp) row[21]).toLocalDateTime().plusSeconds(seconds));
        return copy;
    }

    @Test
    void aFailureMidwayLeavesThePrototypesTableAsItWas() throws Exception {
        createPrototypeTable(prototypeRows(30, 0));
        TableShape before = shape(Schema.EVENTS);
        Warehouse failing = new JdbcWarehouse(dialect(), () -> FailingConnection.wrap(open(), "INSERT INTO " + Schema.VERSION_TABLE),
                "failing");

        assertThatThrownBy(() -> failing.migrate(new MigrationOptions(false, false))).isInstanceOf(WarehouseException.class)
                .hasMessageContaining("injected failure");

        assertThat(shape(Schema.EVENTS)).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(30);
        assertThat(shape(Schema.VERSION_TABLE).exists()).isFalse();
        assertThat(shape(Schema.LEDGER).exists()).isFalse();
    }

    @Test
    void aDryRunListsTheStatementsAndChangesNothing() throws Exception {
        createPrototypeTable(prototypeRows(10, 0));
        TableShape before = shape(Schema.EVENTS);
        MigrationResult r = warehouse.migrate(new MigrationOptions(false, true));
        assertThat(r.dryRun()).isTrue();
        assertThat(r.line()).startsWith("the events table eventpipe did not create would be adopted");
        assertThat(r.statements()).anyMatch(s -> s.contains("loaded_at")).anyMatch(s -> s.startsWith("INSERT INTO " + Schema.VERSION_TABLE));
        assertThat(shape(Schema.EVENTS)).isEqualTo(before);
        assertThat(shape(Schema.VERSION_TABLE).exists()).isFalse();
    }

    /** The version 1 schema (eventpipe 0.1), as that version created it. */
    List<String> versionOneDdl() {
        List<String> defs = new ArrayList<>();
        for (ColumnDef c : Schema.eventsTable(dialect())) {
            switch (c.name()) {
                case "context_device_token", "queued_at", "consumed_at" -> { }
                case "context_traits_taxfix_language" -> defs.add(new ColumnDef("context_traits_language", c.type(), c.kind(), c.notNull())
                        .definition(dialect()));
                default -> defs.add(c.definition(dialect()));
            }
        }
        if (dialect().primaryKeyOnEvents()) {
            defs.add("PRIMARY KEY (\"id\")");
        }
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TABLE events (" + String.join(", ", defs) + ")");
        ddl.addAll(Schema.supportTables(dialect()));
        ddl.add("INSERT INTO " + Schema.VERSION_TABLE + " VALUES (1, TIMESTAMP '2026-11-01 00:00:00')");
        return ddl;
    }

    void createVersionOne(int rows) throws SQLException {
        sql(versionOneDdl().toArray(String[]::new));
        for (int i = 0; i < rows; i++) {
            sql("INSERT INTO events (\"id\", anonymous_id, \"event\", \"timestamp\", sent_at, received_at, context_device_type, "
                    + "context_traits_language, loaded_at, source_file) VALUES ('v1-" + i + "', 'a', 'application_opened', "
                    + "TIMESTAMP '2026-11-01 10:00:00', TIMESTAMP '2026-11-01 10:00:01', TIMESTAMP '2026-11-01 10:00:02', 'ios', '"
                    + (i % 2 == 0 ? "de" : "en") + "', TIMESTAMP '2026-11-01 11:00:00', 'incoming/events/dt=2026-11-01/old-000001.ndjson.gz')");
        }
        sql("INSERT INTO " + Schema.LEDGER + " VALUES ('incoming/events/dt=2026-11-01/old-000001.ndjson.gz', " + rows + ", 0, "
                + "TIMESTAMP '2026-11-01 11:00:00')");
    }

    @Test
    void aVersionOneWarehouseIsMigratedKeepingTheLanguageValuesThenLoadsNewFiles() throws Exception {
        createVersionOne(8);

        MigrationResult r = warehouse.migrate(new MigrationOptions(false, false));

        assertThat(r.kind()).isEqualTo(MigrationResult.Kind.UPGRADED);
        assertThat(r.fromVersion()).isEqualTo(1);
        assertThat(r.line()).contains("schema version 1 migrated to 5, 8 rows kept", "context_traits_taxfix_language", "eventpipe_hourly_counts added",
                "eventpipe_device_weeks and eventpipe_device_months added", "events.loaded_at indexed");
        assertThat(count("SELECT max(version) FROM " + Schema.VERSION_TABLE)).isEqualTo(5);
        assertLoadedAtIndexed();
        KeptSummaries.assertMatchEvents(warehouse);
        assertThat(count("SELECT count(*) FROM events WHERE context_traits_taxfix_language = 'de'")).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM events WHERE context_device_token IS NULL AND queued_at IS NULL AND consumed_at IS NULL"))
                .isEqualTo(8);
        assertThat(shape(Schema.EVENTS).columns()).doesNotContainKey("context_traits_language");
        assertThat(warehouse.migrate(new MigrationOptions(false, false)).kind()).isEqualTo(MigrationResult.Kind.UNCHANGED);

        List<Event> fresh = EventFiles.events(120, 50);
        EventFiles.write(store, "w", 1, fresh);
        assertThat(load().inserted()).isEqualTo(120);
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(128);
        assertThat(count("SELECT count(*) FROM events WHERE context_traits_taxfix_language IS NOT NULL")).isEqualTo(8 + 120);
        WarehouseStats stats = warehouse.stats();
        assertThat(stats.rowsAdopted()).isZero();
        assertThat(stats.duplicatesSkipped()).isZero();
        KeptSummaries.assertMatchEvents(warehouse);
    }

    @Test
    void everyCommandsSchemaCheckAlsoMigratesVersionOne() throws Exception {
        createVersionOne(3);
        assertThat(warehouse.ensureSchema()).singleElement().asString().contains("schema version 1 migrated to 5, 3 rows kept");
        assertThat(count("SELECT count(*) FROM events WHERE context_traits_taxfix_language IN ('de', 'en')")).isEqualTo(3);
    }

    @Test
    void aFailureMidwayLeavesVersionOneAsItWas() throws Exception {
        createVersionOne(4);
        TableShape before = shape(Schema.EVENTS);
        Warehouse failing = new JdbcWarehouse(dialect(), () -> FailingConnection.wrap(open(), "INSERT INTO " + Schema.VERSION_TABLE),
                "failing");
        assertThatThrownBy(failing::ensureSchema).isInstanceOf(WarehouseException.class).hasMessageContaining("injected failure");
        assertThat(shape(Schema.EVENTS)).isEqualTo(before);
        assertThat(count("SELECT max(version) FROM " + Schema.VERSION_TABLE)).isEqualTo(1);
    }
}
