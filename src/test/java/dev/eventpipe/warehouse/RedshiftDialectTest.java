package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoredObject;
import dev.eventpipe.testkit.EventFiles;
import dev.eventpipe.testkit.StoreContents;
import dev.eventpipe.warehouse.dialect.RedshiftDialect;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redshift path is checked as generated SQL text, and its load against a fake connection that
 * records what it is sent: there is no cluster here to run it against.
 */
class RedshiftDialectTest {

    private final RedshiftDialect redshift = new RedshiftDialect("arn:aws:iam::123456789012:role/eventpipe-copy");

    @TempDir
    Path dir;

    @Test
    void aLoadAddsItsHoursWithStatementsRedshiftRunsInsideTheLoadsTransaction() {
        List<String> sql = Schema.hourlyCountsUpdate(redshift);
        assertThat(sql).first().asString().startsWith("CREATE TEMP TABLE eventpipe_hourly_stage (hour TIMESTAMP NOT NULL");
        assertThat(sql).last().isEqualTo("DROP TABLE eventpipe_hourly_stage");
        assertThat(sql).noneMatch(s -> s.contains("ON CONFLICT") || s.contains("::") || s.contains("MERGE"));
        // Only the counting of the load's own rows takes a parameter: its loaded_at.
        assertThat(sql.stream().mapToLong(s -> s.chars().filter(c -> c == '?').count()).sum()).isEqualTo(1);
        assertThat(sql.get(1)).contains("date_trunc('hour', \"timestamp\")", "WHERE \"timestamp\" IS NOT NULL AND loaded_at = ?");
        assertThat(sql).anyMatch(s -> s.startsWith("DELETE FROM eventpipe_hourly_counts WHERE hour IN (SELECT DISTINCT hour FROM eventpipe_hourly_stage)"));
    }

    @Test
    void aLoadOrsItsDevicesDaysInWithAnUpdateAndAnInsertRedshiftRunsInsideTheLoadsTransaction() {
        List<String> sql = DeviceActivity.update(redshift);
        assertThat(sql).first().asString().startsWith("CREATE TEMP TABLE eventpipe_device_days_stage (day TIMESTAMP NOT NULL");
        assertThat(sql).last().isEqualTo("DROP TABLE eventpipe_device_days_stage");
        assertThat(sql).noneMatch(s -> s.contains("ON CONFLICT") || s.contains("::") || s.contains("MERGE"));
        assertThat(sql.stream().mapToLong(s -> s.chars().filter(c -> c == '?').count()).sum()).as("only loaded_at").isEqualTo(1);
        for (String table : List.of(DeviceActivity.WEEKS, DeviceActivity.MONTHS)) {
            assertThat(sql).anyMatch(s -> s.startsWith("UPDATE " + table + " t SET days = t.days | s.days FROM eventpipe_device_stage s WHERE "
                    + "t.period_start = s.period_start AND t.scope = s.scope AND t.platform = s.platform AND t.anonymous_id = s.anonymous_id"));
            assertThat(sql).anyMatch(s -> s.startsWith("INSERT INTO " + table + " (period_start, scope, platform, anonymous_id, days) SELECT ")
                    && s.contains("WHERE NOT EXISTS"));
        }
        assertThat(String.join("\n", sql)).contains("date_trunc('week', day)", "date_trunc('month', day)", "(extract(dow FROM day) + 6) % 7",
                "extract(day FROM day) - 1", "bit_or(");
        assertThat(new dev.eventpipe.warehouse.dialect.DuckDbDialect(dir.resolve("w.duckdb")).orDays(DeviceActivity.WEEKS, "s", DeviceActivity.KEYS))
                .singleElement().asString().startsWith("MERGE INTO eventpipe_device_weeks t USING s s ON (");
    }

    @Test
    void theEventsTableIsDistributedOnIdAndSortedOnTimestamp() {
        String ddl = Schema.create(redshift).get(0);
        assertThat(ddl).startsWith("CREATE TABLE IF NOT EXISTS events (\"id\" VARCHAR(512) NOT NULL, ");
        assertThat(ddl).contains("\"timestamp\" TIMESTAMP NOT NULL", "\"original_timestamp\" TIMESTAMPTZ",
                "\"context_network_wifi\" BOOLEAN", "\"context_traits_taxfix_language\" VARCHAR(256)",
                "\"context_device_token\" VARCHAR(1024)", "\"queued_at\" TIMESTAMP, \"consumed_at\" TIMESTAMP",
                "\"extra\" VARCHAR(65535)", "\"loaded_at\" TIMESTAMP NOT NULL", "PRIMARY KEY (\"id\")");
        assertThat(ddl).endsWith(") DISTSTYLE KEY DISTKEY (\"id\") SORTKEY (\"timestamp\")");
    }

    @Test
    void versionOneBecomesTwoByARenameAndThreeAddedColumnsInsideOneTransaction() {
        assertThat(Schema.toVersion2(redshift)).containsExactly(
                "ALTER TABLE events RENAME COLUMN \"context_traits_language\" TO \"context_traits_taxfix_language\"",
                "ALTER TABLE events ADD COLUMN \"context_device_token\" VARCHAR(1024)",
                "ALTER TABLE events ADD COLUMN \"queued_at\" TIMESTAMP",
                "ALTER TABLE events ADD COLUMN \"consumed_at\" TIMESTAMP");
    }

    /** The prototype's table as Redshift describes it in information_schema (VARCHAR lengths are bytes). */
    static TableShape prototypeOnRedshift() {
        Map<String, TableShape.Found> cols = new LinkedHashMap<>();
        Object[][] spec = {
                {"id", "character varying", 36, true}, {"anonymous_id", "character varying", 36, true}, {"user_id", "integer", 0, false},
                {"context_app_version", "character varying", 8, false}, {"context_device_ad_tracking_enabled", "boolean", 0, false},
                {"context_device_manufacturer", "character varying", 32, false}, {"context_device_model", "character varying", 32, false},
                {"context_device_type", "character varying", 16, true}, {"context_library_name", "character varying", 16, false},
                {"context_library_version", "character varying", 8, false}, {"context_locale", "character varying", 5, false},
                {"context_network_wifi", "boolean", 0, false}, {"context_os_name", "character varying", 32, false},
                {"context_network_carrier", "character varying", 16, false}, {"context_timezone", "character varying", 16, false},
                {"context_traits_taxfix_language", "character varying", 5, false}, {"event", "character varying", 32, true},
                {"event_text", "character varying", 64, true}, {"original_timestamp", "timestamp with time zone", 0, false},
                {"timestamp", "timestamp without time zone", 0, true}, {"sent_at", "timestamp without time zone", 0, true},
                {"received_at", "timestamp without time zone", 0, true}};
        for (Object[] c : spec) {
            cols.put((String) c[0], new TableShape.Found((String) c[0], (String) c[1], (Integer) c[2], (Boolean) c[3]));
        }
        return new TableShape(cols, List.of());
    }

    @Test
    void thePrototypesTableDiffersInMissingNarrowAndIntegerColumnsNullabilityAndItsKey() {
        List<String> lines = Adoption.differences(redshift, prototypeOnRedshift()).stream().map(TableDifference::line).toList();
        assertThat(lines).contains(
                "missing column context_device_token (VARCHAR(1024))", "missing column queued_at (TIMESTAMP)",
                "missing column consumed_at (TIMESTAMP)", "missing column extra (VARCHAR(65535))",
                "missing column loaded_at (TIMESTAMP)", "missing column source_file (VARCHAR(4096))",
                "narrow column id: character varying(36), eventpipe's is VARCHAR(512)",
                "narrow column context_locale: character varying(5), eventpipe's is VARCHAR(256)",
                "user_id is integer: eventpipe stores it as text (VARCHAR(512))",
                "event_text is NOT NULL: eventpipe leaves it empty when an event has no value",
                "no primary key on id: eventpipe's loads rely on it to skip ids already stored");
        assertThat(lines).hasSize(6 + 15 + 1 + 1 + 1);
    }

    @Test
    void adoptingThePrototypesTableReplacesChangedColumnsByAddUpdateDropRenameNeverAlterColumnType() {
        Instant at = Instant.parse("2026-11-25T10:00:00.123456Z");
        TableShape proto = prototypeOnRedshift();
        List<String> sql = Adoption.statements(redshift, proto, Adoption.differences(redshift, proto), 1000, DuplicateIds.NONE, at);
        assertThat(sql).noneMatch(s -> s.contains("ALTER COLUMN"));
        assertThat(sql).contains(
                "ALTER TABLE events ADD COLUMN \"eventpipe_new_id\" VARCHAR(512) DEFAULT '' NOT NULL",
                "ALTER TABLE events ADD COLUMN \"eventpipe_new_user_id\" VARCHAR(512)",
                "ALTER TABLE events ADD COLUMN \"eventpipe_new_event_text\" VARCHAR(4096)",
                "ALTER TABLE events DROP COLUMN \"user_id\"",
                "ALTER TABLE events RENAME COLUMN \"eventpipe_new_user_id\" TO \"user_id\"",
                "ALTER TABLE events ADD COLUMN \"loaded_at\" TIMESTAMP DEFAULT TIMESTAMP '2026-11-25 10:00:00.123456' NOT NULL",
                "ALTER TABLE events ADD COLUMN \"source_file\" VARCHAR(4096) DEFAULT 'prototype:events' NOT NULL",
                "ALTER TABLE events ADD COLUMN \"context_device_token\" VARCHAR(1024)",
                "ALTER TABLE events ADD PRIMARY KEY (\"id\")",
                "INSERT INTO eventpipe_loaded_files (file_key, row_count, duplicates_skipped, loaded_at) "
                        + "VALUES ('prototype:events', 1000, 0, TIMESTAMP '2026-11-25 10:00:00.123456')",
                "INSERT INTO eventpipe_schema (version, applied_at) VALUES (" + Schema.VERSION + ", TIMESTAMP '2026-11-25 10:00:00.123456')");
        String update = sql.stream().filter(s -> s.startsWith("UPDATE events")).collect(java.util.stream.Collectors.joining("\n"));
        assertThat(update).as("one UPDATE fills every new column").doesNotContain("\n")
                .startsWith("UPDATE events SET ")
                .contains("\"eventpipe_new_user_id\" = CAST(\"user_id\" AS VARCHAR(512))",
                        "\"eventpipe_new_id\" = CAST(\"id\" AS VARCHAR(512))",
                        "\"eventpipe_new_event_text\" = CAST(\"event_text\" AS VARCHAR(4096))");
        // Every replaced column: added before the UPDATE, dropped and renamed after it; the key last.
        int updateAt = sql.indexOf(update);
        assertThat(sql.indexOf("ALTER TABLE events ADD COLUMN \"eventpipe_new_user_id\" VARCHAR(512)")).isLessThan(updateAt);
        assertThat(sql.indexOf("ALTER TABLE events DROP COLUMN \"user_id\"")).isGreaterThan(updateAt);
        assertThat(sql.indexOf("ALTER TABLE events ADD PRIMARY KEY (\"id\")"))
                .isGreaterThan(sql.indexOf("ALTER TABLE events RENAME COLUMN \"eventpipe_new_id\" TO \"id\""));
        assertThat(redshift.lockTable("events")).containsExactly("LOCK events");
    }

    @Test
    void repeatedIdsAreMovedAsideWithPlainSqlRedshiftSpeaks() {
        TableShape proto = prototypeOnRedshift();
        List<String> sql = Adoption.statements(redshift, proto, Adoption.differences(redshift, proto), 1000,
                new DuplicateIds(2, 3, List.of("'A' x3", "'B' x2")), Instant.EPOCH);
        assertThat(sql).contains("CREATE TABLE eventpipe_prototype_duplicates AS SELECT * FROM events WHERE 1 = 0",
                "DELETE FROM events WHERE \"id\" IN (SELECT \"id\" FROM eventpipe_duplicate_rows)",
                "DROP TABLE eventpipe_duplicate_rows");
        assertThat(sql).anyMatch(s -> s.startsWith("CREATE TEMP TABLE eventpipe_duplicate_rows AS SELECT e.*, ROW_NUMBER() OVER "
                + "(PARTITION BY \"id\" ORDER BY \"received_at\", \"sent_at\", \"timestamp\") AS eventpipe_rn FROM events e"));
        assertThat(sql).anyMatch(s -> s.startsWith("INSERT INTO events (\"id\", ") && s.endsWith("WHERE eventpipe_rn = 1"));
        assertThat(sql).anyMatch(s -> s.startsWith("INSERT INTO eventpipe_prototype_duplicates (\"id\", ") && s.endsWith("WHERE eventpipe_rn > 1"));
        assertThat(sql.stream().filter(s -> s.startsWith("INSERT INTO eventpipe_loaded_files")).findFirst().orElseThrow())
                .contains("('prototype:events', 1000, 3, ");
        assertThat(sql.indexOf("ALTER TABLE events ADD PRIMARY KEY (\"id\")")).as("the key once ids are unique")
                .isGreaterThan(sql.indexOf("DROP TABLE eventpipe_duplicate_rows"));
    }

    @Test
    void copyReadsTheManifestAsGzipJsonWithTheIamRole() {
        assertThat(redshift.copySql("s3://bucket/dfs/manifests/load-1/000001.manifest")).isEqualTo(
                "COPY eventpipe_stage FROM 's3://bucket/dfs/manifests/load-1/000001.manifest' "
                        + "IAM_ROLE 'arn:aws:iam::123456789012:role/eventpipe-copy' "
                        + "FORMAT AS JSON 'auto' GZIP TIMEFORMAT 'auto' MANIFEST");
    }

    @Test
    void aQuoteInALiteralIsEscaped() {
        RedshiftDialect odd = new RedshiftDialect("arn:aws:iam::1:role/it's");
        assertThat(odd.copySql("s3://b/k")).contains("IAM_ROLE 'arn:aws:iam::1:role/it''s'");
    }

    @Test
    void theManifestListsEveryFileAsMandatoryWithItsSize() throws Exception {
        String manifest = redshift.manifest(List.of("s3://bucket/dfs/incoming/events/dt=2026-11-24/a.ndjson.gz",
                "s3://bucket/dfs/incoming/events/dt=2026-11-24/b.ndjson.gz"),
                Map.of("s3://bucket/dfs/incoming/events/dt=2026-11-24/a.ndjson.gz", 1234L));
        JsonNode m = new ObjectMapper().readTree(manifest);
        assertThat(m.get("entries")).hasSize(2);
        assertThat(m.get("entries").get(0).get("url").asText()).isEqualTo("s3://bucket/dfs/incoming/events/dt=2026-11-24/a.ndjson.gz");
        assertThat(m.get("entries").get(0).get("mandatory").asBoolean()).isTrue();
        assertThat(m.get("entries").get(0).get("meta").get("content_length").asLong()).isEqualTo(1234);
    }

    @Test
    void theMergeInsertsOnlyNewIdsAndTheFirstOfEqualIdsInTheBatch() {
        String sql = redshift.insertSql();
        assertThat(sql).startsWith("INSERT INTO events (\"id\", \"anonymous_id\", ");
        assertThat(sql).contains("ROW_NUMBER() OVER (PARTITION BY \"id\" ORDER BY \"received_at\") AS eventpipe_rn FROM eventpipe_stage s");
        assertThat(sql).endsWith("WHERE eventpipe_rn = 1 AND NOT EXISTS (SELECT 1 FROM events e WHERE e.\"id\" = t.\"id\")");
        assertThat(redshift.createStageSql()).startsWith("CREATE TEMP TABLE eventpipe_stage (\"id\" VARCHAR(512)");
        assertThat(redshift.tagStageSql()).isEqualTo("UPDATE eventpipe_stage SET source_file = ? WHERE source_file IS NULL");
        assertThat(redshift.lockSql()).isEqualTo("LOCK eventpipe_loaded_files");
    }

    /** A local folder that says its objects are on S3, as an S3 store would. */
    private static ObjectStore s3Like(ObjectStore local) {
        return new ObjectStore() {
            public String location() {
                return "s3://bucket/dfs";
            }

            public String ensureReady() {
                return local.ensureReady();
            }

            public void put(String key, byte[] data) {
                local.put(key, data);
            }

            public InputStream open(String key) {
                return local.open(key);
            }

            public Stream<StoredObject> list(String prefix) {
                return local.list(prefix);
            }

            public void move(String from, String to) {
                local.move(from, to);
            }

            public void delete(String key) {
                local.delete(key);
            }

            public boolean exists(String key) {
                return local.exists(key);
            }

            @Override
            public Optional<String> s3Url(String key) {
                return Optional.of("s3://bucket/dfs/" + key);
            }
        };
    }

    @Test
    void eachFileIsCopiedThroughItsOwnManifestAndItsRowsCarryItsKey() throws Exception {
        ObjectStore store = s3Like(new LocalObjectStore(dir.resolve("dfs")));
        String a = EventFiles.write(store, "w", 1, EventFiles.events(3, 1));
        String b = EventFiles.write(store, "w", 2, EventFiles.events(2, 2));
        Map<String, List<String>> manifestsAtCopy = new LinkedHashMap<>();
        FakeJdbc jdbc = new FakeJdbc(sent -> {
            if (sent.sql().startsWith("COPY")) {
                manifestsAtCopy.put(sent.sql(), StoreContents.keys(store, DfsLayout.MANIFESTS));
            }
            if (sent.sql().startsWith("UPDATE eventpipe_stage")) {
                return sent.values().get(0).equals(a) ? 3 : 2;
            }
            if (sent.sql().startsWith("SELECT source_file, count(*) FROM events")) {
                return List.of(new Object[] {a, 3L}, new Object[] {b, 1L});
            }
            return 0;
        });
        Dialect.LoadedRows loaded = redshift.loadFiles(jdbc.connection(), List.of(a, b), store, Timestamp.from(Instant.EPOCH));

        assertThat(loaded.rows()).isEqualTo(Map.of(a, 3L, b, 2L));
        assertThat(loaded.inserted()).as("rows inserted are known per file now").isEqualTo(Map.of(a, 3L, b, 1L));
        List<FakeJdbc.Sent> sent = jdbc.sent();
        List<String> sql = jdbc.sql();
        assertThat(sql.get(0)).startsWith("CREATE TEMP TABLE eventpipe_stage");
        assertThat(sql.get(1)).startsWith("COPY eventpipe_stage FROM 's3://bucket/dfs/manifests/load-").endsWith("/000001.manifest' "
                + "IAM_ROLE 'arn:aws:iam::123456789012:role/eventpipe-copy' FORMAT AS JSON 'auto' GZIP TIMEFORMAT 'auto' MANIFEST");
        assertThat(sent.get(2)).isEqualTo(new FakeJdbc.Sent(redshift.tagStageSql(), List.of(a)));
        assertThat(sql.get(3)).contains("/000002.manifest'");
        assertThat(sent.get(4)).isEqualTo(new FakeJdbc.Sent(redshift.tagStageSql(), List.of(b)));
        assertThat(sql.get(5)).isEqualTo(redshift.insertSql());
        // Each manifest named its one file, and lived under manifests/ only while its COPY ran.
        assertThat(manifestsAtCopy.values()).allSatisfy(keys -> assertThat(keys).singleElement().asString()
                .startsWith(DfsLayout.MANIFESTS + "load-"));
        assertThat(StoreContents.keys(store, DfsLayout.MANIFESTS)).isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
    void theManifestsAreDeletedWhenACopyFails(int failing) {
        ObjectStore store = s3Like(new LocalObjectStore(dir.resolve("dfs")));
        String a = EventFiles.write(store, "w", 1, EventFiles.events(3, 1));
        String b = EventFiles.write(store, "w", 2, EventFiles.events(2, 2));
        List<String> copies = new ArrayList<>();
        FakeJdbc jdbc = new FakeJdbc(sent -> {
            if (sent.sql().startsWith("COPY")) {
                copies.add(sent.sql());
                if (copies.size() == failing) {
                    throw new SQLException("Load into table 'eventpipe_stage' failed. Check 'stl_load_errors' system table for details.", "XX000");
                }
            }
            return 1;
        });
        assertThatThrownBy(() -> redshift.loadFiles(jdbc.connection(), List.of(a, b), store, Timestamp.from(Instant.EPOCH)))
                .isInstanceOf(SQLException.class).hasMessageContaining("stl_load_errors");
        assertThat(copies).hasSize(failing);
        assertThat(StoreContents.keys(store, DfsLayout.MANIFESTS)).isEmpty();
        assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).containsExactly(a, b);
    }
}
