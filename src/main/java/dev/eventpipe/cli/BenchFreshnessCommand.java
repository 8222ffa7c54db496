package dev.eventpipe.cli;

import dev.eventpipe.bus.EmbeddedQueueServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code eventpipe bench freshness}: {@code run} on the embedded default at a steady rate, and, beside
 * it, a reader polling the warehouse: each row's delay is the moment the reader first saw it minus its
 * {@code sent_at} (the simulator's send time). Queryable is measured, not taken from {@code loaded_at}.
 */
@Command(name = "freshness", mixinStandardHelpOptions = true,
        description = {"run on the embedded default (continuous loading) at --rate events/s for --minutes, while a",
                "reader polls the warehouse every 100 ms: p50/p95/p99 of (row first seen - sent_at), beside the",
                "anchors (eventpipe before continuous loading: p95 58 s; Kinesis Firehose with zero buffering: a few seconds)."})
final class BenchFreshnessCommand implements Callable<Integer> {

    @ParentCommand
    private BenchCommand bench;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--rate", paramLabel = "N", description = "Events per second (default: ${DEFAULT-VALUE}).")
    private int rate = 1000;

    @Option(names = "--minutes", paramLabel = "M", description = "Length of the run (default: ${DEFAULT-VALUE}).")
    private int minutes = 3;

    @Option(names = "--batch-age", paramLabel = "S", description = "[consumer] batch_max_age_seconds of the run (default: ${DEFAULT-VALUE}).")
    private int batchAge = 2;

    /** What was measured; delays in seconds. */
    record Result(long rows, double p50, double p95, double p99, double queuedP95, double steadyP95, int rate, int minutes,
            int batchAge) {
    }

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || minutes < 1 || batchAge < 1) {
            throw CommandException.usage("--rate, --minutes and --batch-age must be 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        Result r = measure(bench.root.env(), rate, minutes, batchAge, out);
        out.println();
        FigureTable.header(out);
        print(out, r);
        out.flush();
        return EventPipe.EXIT_OK;
    }

    static void print(PrintWriter out, Result r) {
        FigureTable.figure(out, String.format("freshness p50, sent_at to queryable, %,d events/s (s)", r.rate()),
                String.format("%.1f", r.p50()));
        FigureTable.checked(out, "freshness p95, sent_at to queryable (s)", String.format("%.1f", r.p95()), "<= 5", r.p95() <= 5, "ABOVE");
        FigureTable.figure(out, "freshness p99, sent_at to queryable (s)", String.format("%.1f", r.p99()));
        FigureTable.figure(out, "freshness p95, queued_at (SQS) to queryable (s)", String.format("%.1f", r.queuedP95()));
        FigureTable.figure(out, "freshness p95 of rows queued after the run's first minute (s)", String.format("%.1f", r.steadyP95()));
        FigureTable.figure(out, "  anchor: eventpipe with a 1-minute cron load, p95 (s)", "58");
        FigureTable.figure(out, "  anchor: Kinesis Firehose, zero buffering", "a few seconds");
    }

    /** Runs the pipeline in this JVM (so a reader can share its DuckDB file) and measures every row's delay. */
    static Result measure(Map<String, String> base, int rate, int minutes, int batchAge, PrintWriter out) throws Exception {
        Path dir = Files.createTempDirectory("eventpipe-bench-freshness");
        Path settings = dir.resolve("settings.ini");
        Files.copy(repositorySettings(), settings);
        Path warehouse = dir.resolve("warehouse.duckdb");
        Map<String, String> env = new LinkedHashMap<>();
        base.forEach((k, v) -> {
            if (!k.startsWith("EVENTPIPE_")) {
                env.put(k, v);
            }
        });
        env.put("EVENTPIPE_AWS_ENDPOINT", "embedded");
        env.put("EVENTPIPE_AWS_EMBEDDED_PORT", Integer.toString(EmbeddedQueueServer.freePort()));
        env.put("EVENTPIPE_AWS_EMBEDDED_PERSIST", "false");
        env.put("EVENTPIPE_EVENTS_EVENTS_PER_SEC", Integer.toString(rate));
        env.put("EVENTPIPE_CONSUMER_BATCH_MAX_AGE_SECONDS", Integer.toString(batchAge));
        env.put("EVENTPIPE_SCHEDULE_LOAD", "continuous");
        env.put("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString());
        env.put("EVENTPIPE_WAREHOUSE_PATH", warehouse.toString());
        env.put("EVENTPIPE_REPORT_OUT", dir.resolve("reports").toString());
        env.put("EVENTPIPE_REPORT_PORT", Integer.toString(EmbeddedQueueServer.freePort()));
        out.printf("bench freshness: run at %,d events/s for %d min, batch age %d s, continuous loading; a reader polls every 100 ms%n",
                rate, minutes, batchAge);
        out.flush();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> EventPipe.commandLine(env)
                .execute("--config", settings.toString(), "run", "--duration", minutes + "m"));
        List<Double> sent = new ArrayList<>();
        List<Double> queued = new ArrayList<>();
        Instant runEnd = Instant.now().plusSeconds(minutes * 60L);
        long warm = System.currentTimeMillis() + 60_000;
        List<Double> steady = new ArrayList<>();
        Timestamp seen = new Timestamp(0);
        while (!Files.exists(warehouse) && !run.isDone()) {
            Thread.sleep(100);
        }
        String query = "SELECT epoch_ms(sent_at), epoch_ms(queued_at), loaded_at FROM events WHERE loaded_at > ? ORDER BY loaded_at";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + warehouse)) {
            PreparedStatement ps = null;
            // Rows of the run's own loads only: the final load after the stop would make events look fresher.
            while (!run.isDone() && Instant.now().isBefore(runEnd)) {
                double now = System.currentTimeMillis();
                try {
                    if (ps == null) {
                        ps = c.prepareStatement(query); // fails until run has made the schema
                    }
                    ps.setTimestamp(1, seen);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            sent.add((now - rs.getLong(1)) / 1000.0);
                            if (rs.getObject(2) != null) {
                                queued.add((now - rs.getLong(2)) / 1000.0);
                                if (rs.getLong(2) >= warm) {
                                    steady.add((now - rs.getLong(1)) / 1000.0);
                                }
                            }
                            Timestamp t = rs.getTimestamp(3);
                            if (t.after(seen)) {
                                seen = t;
                            }
                        }
                    }
                } catch (java.sql.SQLException e) {
                    // the schema may not be there yet in the first seconds
                }
                Thread.sleep(100);
            }
            if (ps != null) {
                ps.close();
            }
        }
        int code = run.get();
        if (code != 0) {
            throw CommandException.failure("the run failed with exit code " + code);
        }
        if (sent.isEmpty()) {
            throw CommandException.failure("no row became queryable during the run");
        }
        Collections.sort(sent);
        Collections.sort(queued);
        Collections.sort(steady);
        Result r = new Result(sent.size(), quantile(sent, 0.5), quantile(sent, 0.95), quantile(sent, 0.99),
                queued.isEmpty() ? Double.NaN : quantile(queued, 0.95), steady.isEmpty() ? Double.NaN : quantile(steady, 0.95),
                rate, minutes, batchAge);
        out.printf("  freshness: %,d rows seen while the run went on: p50 %.1f s, p95 %.1f s, p99 %.1f s (from queued_at: p95 %.1f s)%n",
                r.rows(), r.p50(), r.p95(), r.p99(), r.queuedP95());
        out.flush();
        return r;
    }

    private static double quantile(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * (sorted.size() - 1))));
    }

    /** The repository's settings.ini (the embedded default) the benchmark runs with. */
    private static Path repositorySettings() {
        String home = System.getProperty("eventpipe.home");
        Path p = (home == null ? Path.of(".") : Path.of(home)).resolve("settings.ini");
        if (!Files.exists(p)) {
            throw CommandException.failure("the repository's settings.ini is not at " + p.toAbsolutePath()
                    + ": run the benchmark with bin/eventpipe from a checkout");
        }
        return p;
    }
}
