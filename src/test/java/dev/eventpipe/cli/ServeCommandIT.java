package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.config.Settings;
import dev.eventpipe.testkit.Await;
import dev.eventpipe.testkit.PostgresDb;
import dev.eventpipe.testkit.Prerequisite;
import dev.eventpipe.warehouse.JdbcWarehouse;
import dev.eventpipe.warehouse.dialect.PostgresDialect;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** {@code eventpipe serve}: against DuckDB and PostgreSQL, on loopback by default, behind passwords otherwise. */
class ServeCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private Map<String, String> env(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString());
        env.put("EVENTPIPE_WAREHOUSE_PATH", dir.resolve("warehouse.duckdb").toString());
        env.put("EVENTPIPE_REPORT_OUT", dir.resolve("reports").toString());
        env.put("EVENTPIPE_REPORT_PORT", Integer.toString(port));
        env.put("EVENTPIPE_AWS_ENDPOINT", "embedded");
        env.put("EVENTPIPE_AWS_EMBEDDED_PORT", Integer.toString(EmbeddedQueueServer.freePort()));
        return env;
    }

    private CompletableFuture<CliRun> serve(Map<String, String> env, String duration) {
        return CompletableFuture.supplyAsync(() -> CliRun.run(env, "--config", CliRun.emptySettings(), "serve", "--duration", duration));
    }

    private HttpResponse<String> get(int port, String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitUp(int port, CompletableFuture<CliRun> run) {
        Await.until(Duration.ofSeconds(60), () -> {
            if (run.isDone()) {
                return true;
            }
            try {
                return get(port, "/health", null, null).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }, "serve listening on " + port);
        assertThat(run.isDone()).as(() -> "serve ended early: " + run.join().err()).isFalse();
    }

    @Test
    void servesTheDashboardOfADuckDbWarehouseOnLoopbackReadingOnly() throws Exception {
        int port = EmbeddedQueueServer.freePort();
        Map<String, String> env = env(port);
        Settings settings = Settings.load(Path.of(CliRun.emptySettings()), true, env);
        Adapters.warehouse(settings).ensureSchema();
        CompletableFuture<CliRun> run = serve(env, "8s");
        awaitUp(port, run);
        assertThat(get(port, "/", null, null).body()).contains("<title>eventpipe dashboard</title>");
        JsonNode freshness = JSON.readTree(get(port, "/api/freshness", null, null).body());
        assertThat(freshness.path("files_loaded").asLong()).isZero();
        assertThat(freshness.path("warehouse").asText()).isEqualTo("duckdb");
        JsonNode dead = JSON.readTree(get(port, "/api/dead-letters", null, null).body());
        assertThat(dead.path("queue_error").asText()).startsWith("no queue server listens on 127.0.0.1:");
        // The static report's folder is served too (before any report: a page saying so).
        assertThat(get(port, "/report/", null, null).body()).contains("No report yet");
        CliRun done = run.get();
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(done.out()).contains("serve: dashboard at http://127.0.0.1:" + port + "/ reading duckdb ")
                .contains("serve: stopped");
    }

    @Test
    void aWarehouseThatDoesNotExistYetIsSaidSoAndNothingIsCreated() throws Exception {
        int port = EmbeddedQueueServer.freePort();
        CompletableFuture<CliRun> run = serve(env(port), "5s");
        awaitUp(port, run);
        HttpResponse<String> r = get(port, "/api/freshness", null, null);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).path("error").asText())
                .isEqualTo("no DuckDB warehouse at '" + dir.resolve("warehouse.duckdb") + "' yet: 'eventpipe init' or the first load creates it");
        assertThat(run.get().exitCode()).isZero();
        assertThat(dir.resolve("warehouse.duckdb")).doesNotExist();
    }

    @Test
    void openingItToTheNetworkWithoutUsersIsRefusedWithExitTwo() {
        Map<String, String> env = env(EmbeddedQueueServer.freePort());
        env.put("EVENTPIPE_REPORT_BIND", "0.0.0.0");
        CliRun r = CliRun.run(env, "--config", CliRun.emptySettings(), "serve", "--duration", "5s");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("eventpipe serve: bad settings: [report] bind = '0.0.0.0' (from EVENTPIPE_REPORT_BIND): "
                + "opens the dashboard to the network: set [report] users (name:bcrypt-hash, ...) so it asks for a password, "
                + "or bind 127.0.0.1");
    }

    @Test
    void openedToTheNetworkEveryPathButHealthAsksForAPassword() throws Exception {
        int port = EmbeddedQueueServer.freePort();
        Map<String, String> env = env(port);
        env.put("EVENTPIPE_REPORT_BIND", "0.0.0.0");
        env.put("EVENTPIPE_REPORT_USERS", "alice:" + BCrypt.hashpw(PASSWORD, BCrypt.gensalt(4)) + ", bob:" + BCrypt.hashpw("other one", BCrypt.gensalt(4)));
        Adapters.warehouse(Settings.load(Path.of(CliRun.emptySettings()), true, env)).ensureSchema();
        CompletableFuture<CliRun> run = serve(env, "8s");
        awaitUp(port, run);
        for (String path : new String[] {"/", "/api/config", "/api/freshness", "/assets/app.js", "/report/"}) {
            HttpResponse<String> none = get(port, path, null, null);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("www-authenticate")).hasValue("Basic realm=\"eventpipe dashboard\", charset=\"UTF-8\"");
            assertThat(get(port, path, "alice", "wrong password").statusCode()).as(path).isEqualTo(401);
            assertThat(get(port, path, "mallory", PASSWORD).statusCode()).as(path).isEqualTo(401);
            assertThat(get(port, path, "alice", PASSWORD).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(get(port, "/api/freshness", "bob", "other one").statusCode()).isEqualTo(200);
        assertThat(get(port, "/health", null, null).statusCode()).isEqualTo(200);
        CliRun done = run.get();
        assertThat(done.out()).contains("(basic auth: 2 users)");
    }

    @Test
    void hashPasswordPrintsABcryptHashOfTheLineOnStandardInput() {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
            CliRun r = CliRun.run(Map.of(), "serve", "--hash-password");
            assertThat(r.exitCode()).as(r.err()).isZero();
            String hash = r.out().strip();
            assertThat(hash).startsWith("$2a$12$").hasSize(60);
            assertThat(BCrypt.checkpw(PASSWORD, hash)).isTrue();
            System.setIn(new ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8)));
            CliRun shortOne = CliRun.run(Map.of(), "serve", "--hash-password");
            assertThat(shortOne.exitCode()).isEqualTo(2);
            assertThat(shortOne.err()).contains("a password needs 8 characters or more");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void servesAPostgresWarehouseInReadOnlySessions() throws Exception {
        Prerequisite.postgres();
        String url = PostgresDb.freshSchema();
        try {
            new JdbcWarehouse(new PostgresDialect(), () -> DriverManager.getConnection(url), "postgres").ensureSchema();
            int port = EmbeddedQueueServer.freePort();
            Map<String, String> env = env(port);
            env.put("EVENTPIPE_WAREHOUSE_TYPE", "postgres");
            env.put("EVENTPIPE_WAREHOUSE_URL", url);
            Settings settings = Settings.load(Path.of(CliRun.emptySettings()), true, env);
            try (Connection c = Adapters.readOnly(settings, false).connections().open()) {
                c.setAutoCommit(false);
                assertThat(c.isReadOnly()).isTrue();
                try (var st = c.createStatement()) {
                    st.execute("CREATE TABLE intruder (x int)");
                    throw new AssertionError("a read-only session created a table");
                } catch (SQLException expected) {
                    assertThat(expected.getMessage()).contains("read-only transaction");
                }
            }
            CompletableFuture<CliRun> run = serve(env, "6s");
            awaitUp(port, run);
            JsonNode freshness = JSON.readTree(get(port, "/api/freshness", null, null).body());
            assertThat(freshness.path("warehouse").asText()).isEqualTo("postgres");
            assertThat(run.get().out()).contains("reading postgres jdbc:postgresql://");
        } finally {
            PostgresDb.drop(url);
        }
    }
}
