package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.testkit.EventFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code init} and {@code migrate} on a warehouse that already holds the original prototype's
 * {@code events} table (issue 11.3): init says so and exits 1, migrate adopts it.
 */
class MigrateCommandIT {

    /** The prototype's create_table.sql, SORTKEY removed. */
    private static final String PROTOTYPE_DDL = "CREATE TABLE events (id VARCHAR(36) NOT NULL, anonymous_id VARCHAR(36) NOT NULL, "
            + "user_id INTEGER, context_app_version VARCHAR(8), context_device_ad_tracking_enabled BOOLEAN, "
            + "context_device_manufacturer VARCHAR(32), context_device_model VARCHAR(32), context_device_type VARCHAR(16) NOT NULL, "
            + "context_library_name VARCHAR(16), context_library_version VARCHAR(8), context_locale VARCHAR(5), "
            + "context_network_wifi BOOLEAN, context_os_name VARCHAR(32), context_network_carrier VARCHAR(16), "
            + "context_timezone VARCHAR(16), context_traits_taxfix_language VARCHAR(5), event VARCHAR(32) NOT NULL, "
            + "event_text VARCHAR(64) NOT NULL, original_timestamp TIMESTAMPTZ, timestamp TIMESTAMP NOT NULL, "
            + "sent_at TIMESTAMP NOT NULL, received_at TIMESTAMP NOT NULL)";

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @TempDir
    Path dir;

    private Map<String, String> env() {
        Map<String, String> env = queue.env();
        env.put("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString());
        env.put("EVENTPIPE_WAREHOUSE_PATH", warehouse().toString());
        return env;
    }

    private Path warehouse() {
        return dir.resolve("warehouse.duckdb");
    }

    private CliRun cli(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = CliRun.emptySettings();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.run(env(), all);
    }

    private void prototype(int rows, int repeatLast) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + warehouse()); Statement st = c.createStatement()) {
            st.execute(PROTOTYPE_DDL);
            for (int i = 0; i < rows + repeatLast; i++) {
                int n = Math.min(i, rows - 1);
                st.execute("INSERT INTO events VALUES ('" + String.format("ID-%032d", n) + "', 'ANON', " + (1000 + n)
                        + ", '5.1', true, 'Apple', 'iPhone', 'ios', 'analytics-ios', '4.1', 'de-DE', true, 'iOS', 'Telekom', "
                        + "'Europe/Berlin', 'de', 'application_opened', 'Application Opened', TIMESTAMPTZ '2026-11-20 10:00:00+01', "
                        + "TIMESTAMP '2026-11-20 09:00:00', TIMESTAMP '2026-11-20 09:00:01', TIMESTAMP '2026-11-20 09:00:0" + (i % 10) + "')");
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + warehouse()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void migrateHasHelp() {
        CliRun r = cli("migrate", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: eventpipe migrate").contains("--move-duplicates", "--dry-run");
    }

    @Test
    void initOnThePrototypesTableNamesEachDifferenceClaimsNothingAndExitsOne() throws Exception {
        prototype(10, 0);
        CliRun init = cli("init");
        assertThat(init.exitCode()).as(init.out() + init.err()).isEqualTo(1);
        assertThat(init.out()).doesNotContain("schema version").doesNotContain("done in");
        assertThat(init.err()).contains("already holds an events table that eventpipe did not create",
                "missing column loaded_at", "missing column source_file", "missing column extra",
                "user_id is integer: eventpipe stores it as text", "event_text is NOT NULL",
                "run 'eventpipe migrate'");
        assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'eventpipe_schema'")).isZero();
        CliRun load = cli("load");
        assertThat(load.exitCode()).isEqualTo(1);
        assertThat(load.err()).contains("did not create", "eventpipe migrate");
    }

    @Test
    void migrateAdoptsThePrototypesTableThenInitAndLoadWork() throws Exception {
        prototype(10, 0);
        CliRun m = cli("migrate");
        assertThat(m.exitCode()).as(m.out() + m.err()).isZero();
        assertThat(m.out()).contains("missing column loaded_at", "adopted as schema version 5: 10 rows kept; 6 columns added");
        CliRun init = cli("init");
        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(init.out()).contains("schema version 5 unchanged");
        EventFiles.write(new LocalObjectStore(dir.resolve("dfs")), "w", 1, EventFiles.events(50, 7));
        CliRun load = cli("load");
        assertThat(load.exitCode()).as(load.err()).isZero();
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(60);
        assertThat(cli("migrate").out()).contains("schema version 5 already: nothing to do");
    }

    @Test
    void repeatedIdsStopMigrateWithTheirCountUntilItIsToldToMoveThem() throws Exception {
        prototype(10, 3);
        CliRun refused = cli("migrate");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("1 id appears more than once (3 rows beyond the first), e.g. 'ID-00000000000000000000000000000009' x4",
                "nothing was changed", "--move-duplicates");
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(13);

        CliRun moved = cli("migrate", "--move-duplicates");
        assertThat(moved.exitCode()).as(moved.err()).isZero();
        assertThat(moved.out()).contains("10 rows kept", "3 duplicate rows moved to eventpipe_prototype_duplicates");
        assertThat(count("SELECT count(*) FROM eventpipe_prototype_duplicates")).isEqualTo(3);
    }

    @Test
    void aDryRunPrintsTheStatementsAndChangesNothing() throws Exception {
        prototype(5, 0);
        CliRun dry = cli("migrate", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("ALTER TABLE events ALTER COLUMN \"user_id\" TYPE VARCHAR USING CAST(\"user_id\" AS VARCHAR);",
                "INSERT INTO eventpipe_schema (version, applied_at) VALUES (5, ", "CREATE TABLE IF NOT EXISTS eventpipe_hourly_counts", "CREATE TABLE IF NOT EXISTS eventpipe_device_weeks", "would be adopted");
        assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'eventpipe_schema'")).isZero();
    }
}
