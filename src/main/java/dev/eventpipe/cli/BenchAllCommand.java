package dev.eventpipe.cli;

import com.sun.management.OperatingSystemMXBean;
import dev.eventpipe.bench.BenchEnvironment;
import dev.eventpipe.bench.ChildCommand;
import dev.eventpipe.bus.EmbeddedQueueServer;
import dev.eventpipe.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code eventpipe bench all}: every figure in one table, each next to its limit measured in the same
 * run on the same servers, and the table written to docs/BENCHMARKS.md.
 */
@Command(name = "all", mixinStandardHelpOptions = true,
        description = {"Every benchmark in one run and one table: generator and consumer against the raw SQS calls on",
                "one ElasticMQ, the loader against each engine's raw bulk path, packed messages, end-to-end",
                "freshness (sent_at to queryable, polled) at 1,000 events/s with continuous loading, compaction against",
                "DuckDB's raw NDJSON-to-Parquet copy, flat cost as history grows (bench scale), and the peak memory",
                "of each command. Writes the table to --out (default docs/BENCHMARKS.md). Takes about 35 minutes."})
final class BenchAllCommand implements Callable<Integer> {

    @ParentCommand
    private BenchCommand bench;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", description = "Where the table goes (default: ${DEFAULT-VALUE}).")
    private Path outFile = Path.of("docs/BENCHMARKS.md");

    @Option(names = "--freshness-minutes", paramLabel = "M", description = "Length of the freshness run (default: ${DEFAULT-VALUE}).")
    private int freshnessMinutes = 3;

    @Option(names = "--postgres-url", paramLabel = "URL", description = "PostgreSQL to measure the loader on (default: EVENTPIPE_TEST_POSTGRES_URL).")
    private String postgresUrl;

    @Option(names = "--quick", description = "Small sizes and short phases, to check the command works (the figures mean little).")
    private boolean quick;

    @Override
    public Integer call() throws Exception {
        if (freshnessMinutes < 1) {
            throw CommandException.usage("--freshness-minutes must be 1 or more");
        }
        Path folder = outFile.toAbsolutePath().getParent();
        Path base = nearestExisting(folder);
        if (!quick && !(Files.isDirectory(base) && Files.isWritable(base))) {
            // Found now, not after 25 minutes of measuring.
            throw CommandException.usage("--out '" + outFile + "': cannot write in '" + folder + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        Settings settings = bench.root.settings();
        Map<String, String> env = bench.root.env();
        String pg = postgresUrl != null ? postgresUrl : env.get("EVENTPIPE_TEST_POSTGRES_URL");

        BenchGenerateCommand.Result gen;
        BenchConsumeCommand.Result con;
        try (BenchEnvironment queue = BenchEnvironment.start(env, null)) {
            gen = (quick ? BenchGenerateCommand.quick() : new BenchGenerateCommand()).measure(queue, out);
            con = (quick ? BenchConsumeCommand.quick() : new BenchConsumeCommand())
                    .withColdMaxInflight(settings.consumer().maxInflightMessages()).measure(queue, out);
        }
        BenchLoadCommand.Result load = (quick ? BenchLoadCommand.quick() : new BenchLoadCommand()).measure(out, pg);
        BenchCompactCommand.Result compact = (quick ? BenchCompactCommand.quick() : new BenchCompactCommand()).measure(out);
        BenchScaleCommand.Result scale = (quick ? BenchScaleCommand.quick() : new BenchScaleCommand()).measure(out);
        BenchFreshnessCommand.Result fresh = BenchFreshnessCommand.measure(env, 1000, quick ? 1 : freshnessMinutes,
                settings.consumer().batchMaxAgeSeconds(), out);
        Map<String, Long> memory = memory(out);
        memory.put(String.format("consume (drain %,d events)", con.rssEvents()), con.peakRss());
        memory.put("run (" + (quick ? 1 : 2) + " min at 500 events/s)", runRss(settings, quick ? 1 : 2, out));

        StringWriter table = new StringWriter();
        PrintWriter t = new PrintWriter(table);
        FigureTable.header(t);
        BenchGenerateCommand.print(t, gen);
        BenchConsumeCommand.print(t, con);
        BenchLoadCommand.print(t, load);
        BenchCompactCommand.print(t, compact);
        BenchScaleCommand.print(t, scale, true, true);
        BenchFreshnessCommand.print(t, fresh);
        for (Map.Entry<String, Long> m : memory.entrySet()) {
            FigureTable.figure(t, "peak RSS " + m.getKey() + " (MB)", m.getValue() / 1e6);
        }
        t.flush();
        out.println();
        out.print(table);
        out.flush();
        if (quick) {
            out.println("bench all: --quick: the table is not written");
        } else {
            write(table.toString(), settings);
            out.println("bench all: table written to " + outFile.toAbsolutePath());
        }
        return EventPipe.EXIT_OK;
    }

    /** Peak RSS of {@code run} in its own process, with the launcher's flags, at 500 events/s. */
    private long runRss(Settings settings, int minutes, PrintWriter out) throws Exception {
        Path dir = Files.createTempDirectory("eventpipe-bench-run");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("EVENTPIPE_AWS_ENDPOINT", "embedded");
        env.put("EVENTPIPE_AWS_EMBEDDED_PORT", Integer.toString(EmbeddedQueueServer.freePort()));
        env.put("EVENTPIPE_AWS_EMBEDDED_PERSIST", "false");
        env.put("EVENTPIPE_EVENTS_EVENTS_PER_SEC", "500");
        env.put("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString());
        env.put("EVENTPIPE_WAREHOUSE_PATH", dir.resolve("w.duckdb").toString());
        env.put("EVENTPIPE_REPORT_OUT", dir.resolve("reports").toString());
        env.put("EVENTPIPE_REPORT_PORT", Integer.toString(EmbeddedQueueServer.freePort()));
        ChildCommand.Outcome run = check(ChildCommand.run(dir, env, "--config", settings.file().toString(), "run",
                "--duration", minutes + "m"));
        out.printf("  memory: run for %d min at 500 events/s, peak RSS %,.0f MB%n", minutes, run.peakRss() / 1e6);
        return run.peakRss();
    }

    /** Peak RSS of the one-shot commands, each in its own process on the same data. */
    private Map<String, Long> memory(PrintWriter out) throws Exception {
        Path dir = Files.createTempDirectory("eventpipe-bench-memory");
        Map<String, String> env = new LinkedHashMap<>();
        int port = EmbeddedQueueServer.freePort();
        env.put("EVENTPIPE_AWS_ENDPOINT", "http://127.0.0.1:" + port);
        env.put("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString());
        env.put("EVENTPIPE_WAREHOUSE_PATH", dir.resolve("w.duckdb").toString());
        env.put("EVENTPIPE_REPORT_OUT", dir.resolve("reports").toString());
        Map<String, Long> peaks = new LinkedHashMap<>();
        String n = quick ? "10,000" : "100,000";
        try (EmbeddedQueueServer server = EmbeddedQueueServer.start(port, null, "us-east-1")) {
            check(ChildCommand.run(dir, env, "init"));
            ChildCommand.Outcome g = check(ChildCommand.run(dir, env, "generate", "--count", quick ? "10000" : "100000", "--rate", "0"));
            peaks.put("generate (" + n + " events)", g.peakRss());
            check(ChildCommand.run(dir, env, "consume", "--until-empty"));
            ChildCommand.Outcome l = check(ChildCommand.run(dir, env, "load"));
            peaks.put("load (" + n + " events)", l.peakRss());
            ChildCommand.Outcome r = check(ChildCommand.run(dir, env, "report"));
            peaks.put("report (" + n + " events)", r.peakRss());
        }
        peaks.forEach((command, rss) -> out.printf("  memory: %s, peak RSS %,.0f MB%n", command, rss / 1e6));
        out.flush();
        return peaks;
    }

    /** {@code p}, or its nearest parent that exists: where the folders would be created. */
    private static Path nearestExisting(Path p) {
        Path q = p;
        while (q != null && !Files.exists(q)) {
            q = q.getParent();
        }
        return q == null ? p : q;
    }

    private static ChildCommand.Outcome check(ChildCommand.Outcome o) {
        if (o.exitCode() != 0) {
            throw CommandException.failure("a benchmark command failed; see " + o.log());
        }
        return o;
    }

    private void write(String table, Settings settings) throws Exception {
        Path file = outFile.toAbsolutePath();
        Files.createDirectories(file.getParent());
        long memory = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        String md = "# Benchmarks\n\n"
                + "Measured on " + LocalDate.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, "
                + Math.round(memory / 1e9) + " GB memory, " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + ", Java " + System.getProperty("java.version") + ", by:\n\n"
                + "```sh\nbin/eventpipe bench all\n```\n\n"
                + "Each figure stands next to its limit, measured in the same run on the same servers: the raw SQS calls "
                + "against one ElasticMQ (in memory, in its own JVM, warmed up), the raw bulk path of each warehouse "
                + "engine on the same files. Each rate is the median of its rounds (the mean, for two); the rounds are "
                + "in the command's output. Memory is the peak resident set size of each command in its own process "
                + "with the launcher's JVM flags. Freshness is, for each row, the moment a reader polling the warehouse "
                + "every 100 ms first saw it minus its `sent_at`, while `run` loaded continuously at 1,000 events/s with "
                + "batch age " + settings.consumer().batchMaxAgeSeconds() + " s. Compaction is the whole `compact` run against "
                + "DuckDB's own `COPY (SELECT * FROM read_ndjson(...)) TO ... (FORMAT parquet)` of the same files; "
                + "bench scale's history (ledger rows and events) is written by DuckDB from range(), not loaded.\n\n"
                + "```\n" + table + "```\n";
        Files.writeString(file, md);
    }
}
