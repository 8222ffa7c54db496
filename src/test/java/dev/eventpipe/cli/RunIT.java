package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.testkit.Await;
import dev.eventpipe.testkit.Browser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The whole pipeline in one process, as the README's first command runs it. */
class RunIT {

    @TempDir
    Path dir;

    /** Every line the run logs; an ERROR among them fails the test, whatever the counts say. */
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureTheLog() {
        logged.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logged);
    }

    @AfterEach
    void releaseTheLog() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logged);
    }

    private List<String> errorLines() {
        synchronized (logged) {
            return logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                    .map(e -> e.getLoggerName() + " " + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
                    .toList();
        }
    }

    @Test
    void runForFortySecondsLoadsEveryValidEventOnceAndServesADashboardThatLoadsInABrowser() throws Exception {
        int dashboardPort = EmbeddedQueueServer.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("EVENTPIPE_AWS_ENDPOINT", "embedded");
        env.put("EVENTPIPE_AWS_EMBEDDED_PORT", Integer.toString(EmbeddedQueueServer.freePort()));
        // As a first run has it: the queue keeps its messages in its H2 store (issue 12.12 broke there).
        env.put("EVENTPIPE_AWS_EMBEDDED_PERSIST", "true");
        env.put("EVENTPIPE_AWS_EMBEDDED_DATA_DIR", dir.resolve("queue").toString());
        env.put("EVENTPIPE_AWS_SQS_POLLING_TIMEOUT", "2");
        // A queue name of its own: the other test JVM's servers come and go on free ports too, and a test that
        // still sends to its stopped server's port must find no queue here, not the default name.
        env.put("EVENTPIPE_AWS_SQS_NAME", "runit-" + Long.toHexString(System.nanoTime()));
        env.put("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString());
        env.put("EVENTPIPE_WAREHOUSE_PATH", dir.resolve("warehouse.duckdb").toString());
        env.put("EVENTPIPE_REPORT_OUT", dir.resolve("reports").toString());
        env.put("EVENTPIPE_REPORT_PORT", Integer.toString(dashboardPort));
        int collectorPort = EmbeddedQueueServer.freePort();
        env.put("EVENTPIPE_COLLECTOR_PORT", Integer.toString(collectorPort));
        env.put("EVENTPIPE_EVENTS_EVENTS_PER_SEC", "200");
        env.put("EVENTPIPE_EVENTS_MAX_EVENT_BYTES", "4096");
        env.put("EVENTPIPE_CONSUMER_BATCH_MAX_AGE_SECONDS", "2");
        env.put("EVENTPIPE_SCHEDULE_LOAD", "continuous");
        env.put("EVENTPIPE_SCHEDULE_REPORT", "* * * * *");
        String settings = CliRun.emptySettings();
        Path summary = dir.resolve("generated.json");

        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.run(env, "--config", settings, "run",
                "--duration", "40s", "--faults", "duplicate=0.01,malformed=0.01,oversize=0.005", "--summary-json", summary.toString()));

        // While it runs: the dashboard, as a browser shows it.
        Path index = dir.resolve("reports/index.html");
        Await.until(Duration.ofSeconds(60), () -> Files.exists(index) || run.isDone(), "the first report");
        assertThat(run.isDone()).as("run ended before its first report: " + (run.isDone() ? run.join().err() : "")).isFalse();
        // The API reads the DuckDB file the loader in the same process writes (it starts just after the first report).
        HttpRequest api = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboardPort + "/api/freshness")).build();
        AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
        Await.until(Duration.ofSeconds(30), () -> {
            try {
                answer.set(HttpClient.newHttpClient().send(api, HttpResponse.BodyHandlers.ofString()));
                return true;
            } catch (java.io.IOException e) {
                return run.isDone();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }, "the dashboard's API");
        HttpResponse<String> freshness = answer.get();
        assertThat(freshness).as("run ended before serving the dashboard").isNotNull();
        assertThat(freshness.statusCode()).as(freshness.body()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(freshness.body()).path("warehouse").asText()).isEqualTo("duckdb");
        if (Browser.available()) {
            Browser.Page live = Browser.load("http://127.0.0.1:" + dashboardPort + "/");
            assertThat(live.title()).isEqualTo("eventpipe dashboard");
            assertThat(live.consoleErrors()).isEmpty();
            // The static report is served beside the interactive dashboard.
            Browser.Page page = Browser.load("http://127.0.0.1:" + dashboardPort + "/report/");
            assertThat(page.title()).contains("eventpipe");
            assertThat(page.images()).hasSizeGreaterThanOrEqualTo(6).allSatisfy(i ->
                    assertThat(((Number) i.get("naturalWidth")).intValue()).as(String.valueOf(i.get("src"))).isPositive());
            assertThat(page.consoleErrors()).isEmpty();
        }

        // And the collector, up with the queue (the status rows below are the simulator's alone, so nothing is posted).
        java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + collectorPort + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);

        // Continuous loading: rows are queryable while the run goes on, not only after a minute's cron.
        Await.until(Duration.ofSeconds(30), () -> {
            CliRun st = CliRun.run(env, "--config", settings, "status", "--json");
            try {
                return new ObjectMapper().readTree(st.out()).path("warehouse").path("rows").asLong() > 0 || run.isDone();
            } catch (java.io.IOException e) {
                return false;
            }
        }, "rows in the warehouse while the run goes on");
        assertThat(run.isDone()).as("the run was still going when its first rows were queryable").isFalse();

        CliRun done = run.get();
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(errorLines()).as("ERROR lines in the log").isEmpty();
        assertThat(done.out()).contains("run: dashboard at http://127.0.0.1:" + dashboardPort + "/")
                .contains("run: collector (Segment's Tracking API) at http://127.0.0.1:" + collectorPort + "/")
                .contains("load: ").contains("report: ").contains("run: stopped");

        CliRun status = CliRun.run(env, "--config", settings, "status", "--json", "--generated", summary.toString());
        JsonNode s = new ObjectMapper().readTree(status.out());
        assertThat(s.path("reconciliation").path("ok").asBoolean()).as(() -> status.out() + diagnosis(done, summary)).isTrue();
        JsonNode generated = new ObjectMapper().readTree(summary.toFile());
        long invalid = generated.path("faults").path("malformed").asLong() + generated.path("faults").path("oversize").asLong();
        long expected = generated.path("sent").asLong() - invalid - generated.path("faults").path("duplicate").asLong();
        assertThat(generated.path("sent").asLong()).isGreaterThan(5_000);
        assertThat(s.path("warehouse").path("rows").asLong()).isEqualTo(expected);
        // The run's load line adds up every pass of the run, not only the last one after the drain.
        java.util.regex.Matcher loadLine = java.util.regex.Pattern.compile("(?m)^load: \\d+ files, \\d+ rows, (\\d+) inserted")
                .matcher(done.out());
        assertThat(loadLine.find()).as(done.out()).isTrue();
        assertThat(Long.parseLong(loadLine.group(1))).as(done.out()).isEqualTo(expected);
        assertThat(s.path("counts").path("rejected_total").asLong()).as(() -> diagnosis(done, summary)).isEqualTo(invalid);

        assertThat(index).exists();
        try (Stream<Path> files = Files.list(dir.resolve("reports"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-latest.png")))
                    .contains("daily-registration_initiated-latest.png", "daily-submission_success-latest.png",
                            "daily-active-devices-latest.png", "funnel-conversion-latest.png", "events-per-hour-latest.png",
                            "freshness-latest.png");
        }
        assertThat(ImageIO.read(dir.resolve("reports/events-per-hour-latest.png").toFile()).getWidth()).isEqualTo(900);
    }

    /**
     * What a count mismatch needs to be understood (it was seen once in ~20 runs, under CI's two test JVMs): the
     * simulator's summary, the run's output, every WARN line, and the dead-letter records of invalid JSON.
     */
    private String diagnosis(CliRun done, Path summary) {
        StringBuilder b = new StringBuilder("\n--- diagnosis\n");
        try {
            b.append("generated: ").append(Files.readString(summary)).append('\n');
        } catch (java.io.IOException e) {
            b.append("generated: unreadable: ").append(e).append('\n');
        }
        b.append("run out:\n").append(done.out()).append('\n');
        synchronized (logged) {
            logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .forEach(e -> b.append(e.getLoggerName()).append(' ').append(e.getFormattedMessage()).append('\n'));
        }
        try (Stream<Path> files = Files.walk(dir.resolve("dfs").resolve(dev.eventpipe.store.DfsLayout.DEAD_LETTER_RECORDS))) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                try (java.io.BufferedReader r = dev.eventpipe.store.NdjsonGzip.reader(Files.newInputStream(f))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.contains("invalid_json")) {
                            b.append(f.getFileName()).append(": ").append(line, 0, Math.min(line.length(), 300)).append('\n');
                        }
                    }
                }
            }
        } catch (java.io.IOException e) {
            b.append("records: unreadable: ").append(e).append('\n');
        }
        return b.toString();
    }
}
