package dev.eventpipe.cli;

import dev.eventpipe.bench.FileTrees;
import dev.eventpipe.bench.BenchEnvironment;
import dev.eventpipe.bench.WarehouseSeed;
import dev.eventpipe.config.ReportSettings;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.report.Reporter;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.NdjsonGzip;
import dev.eventpipe.warehouse.JdbcWarehouse;
import dev.eventpipe.warehouse.LoadSummary;
import dev.eventpipe.warehouse.Loader;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code eventpipe bench scale}: whether cost stays flat as history grows. The same load pass into a
 * DuckDB warehouse whose ledger holds 10,000 files and one whose ledger holds 1,000,000; and the
 * report over 50,000,000 rows.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = {"Flat cost as history grows, on DuckDB. Load: the same pass (--pass-files files of --events-per-file",
                "events) into a warehouse whose ledger already holds --ledger-small files and one whose ledger holds",
                "--ledger-large, both with --history-events rows in events; rounds alternate, medians compared (target:",
                "large / small <= 1.2). Report: 'report' (every query and chart) over --rows rows spread over --days days",
                "ending now (target: <= 5 s). History is written by DuckDB from range(), not loaded from files."})
final class BenchScaleCommand implements Callable<Integer> {

    @ParentCommand
    private BenchCommand bench;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--ledger-small", paramLabel = "N", description = "Files in the smaller ledger (default: ${DEFAULT-VALUE}).")
    private long ledgerSmall = 10_000;

    @Option(names = "--ledger-large", paramLabel = "N", description = "Files in the larger ledger (default: ${DEFAULT-VALUE}).")
    private long ledgerLarge = 1_000_000;

    @Option(names = "--history-events", paramLabel = "N", description = "Rows in events before the pass, both warehouses (default: ${DEFAULT-VALUE}).")
    private long historyEvents = 1_000_000;

    @Option(names = "--pass-files", paramLabel = "F", description = "Files the measured pass loads (default: ${DEFAULT-VALUE}).")
    private int passFiles = 200;

    @Option(names = "--events-per-file", paramLabel = "N", description = "Events per file of the pass (default: ${DEFAULT-VALUE}).")
    private int eventsPerFile = 500;

    @Option(names = "--rows", paramLabel = "N", description = "Rows under the report (default: ${DEFAULT-VALUE}).")
    private long rows = 50_000_000;

    @Option(names = "--days", paramLabel = "D", description = "Days those rows span, ending now (default: ${DEFAULT-VALUE}).")
    private int days = 365;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds of each measurement; medians reported (default: ${DEFAULT-VALUE}).")
    private int rounds = 3;

    @Option(names = "--keep", paramLabel = "DIR", description = "Keep the seeded warehouses in DIR and reuse them next time (seeding 50,000,000 rows takes minutes).")
    private Path keep;

    @Option(names = "--skip-load", description = "Measure only the report.")
    private boolean skipLoad;

    @Option(names = "--skip-report", description = "Measure only the load pass.")
    private boolean skipReport;

    @Option(names = "--quick", description = {"Small sizes in place of the options above (1,000 / 100,000 files in the ledgers,",
            "100,000 history rows, 20 files in the pass, 1,000,000 report rows over 30 days, 1 round), to check the",
            "command works in about a minute (the figures mean little)."})
    private boolean quick;

    record Result(long ledgerSmall, long ledgerLarge, double passSmall, double passLarge, double lookupSmallMs, double lookupLargeMs,
                  long rows, double reportCold, double reportWarm) {
        double passRatio() {
            return passLarge / passSmall;
        }
    }

    /** The sizes of --quick. */
    private void shrink() {
        ledgerSmall = 1_000;
        ledgerLarge = 100_000;
        historyEvents = 100_000;
        passFiles = 20;
        rows = 1_000_000;
        days = 30;
        rounds = 1;
    }

    @Override
    public Integer call() throws Exception {
        if (quick) {
            shrink();
        }
        if (ledgerSmall < 1 || ledgerLarge < ledgerSmall || passFiles < 1 || eventsPerFile < 1 || rows < 1 || days < 1 || rounds < 1) {
            throw CommandException.usage("sizes and --rounds must be 1 or more, and --ledger-large at least --ledger-small");
        }
        PrintWriter out = spec.commandLine().getOut();
        Result r = measure(out);
        out.println();
        FigureTable.header(out);
        print(out, r, !skipLoad, !skipReport);
        out.flush();
        return EventPipe.EXIT_OK;
    }

    /** A small run, for checking that it works (the sizes of --quick). */
    static BenchScaleCommand quick() {
        BenchScaleCommand c = new BenchScaleCommand();
        c.shrink();
        return c;
    }

    /** Both measurements (or the one not skipped), their progress printed to {@code out}. */
    Result measure(PrintWriter out) throws Exception {
        Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("eventpipe-bench-scale");
        try {
            out.printf("bench scale under %s, %d cores, %d rounds%n", dir, Runtime.getRuntime().availableProcessors(), rounds);
            out.flush();
            double[] load = skipLoad ? new double[4] : load(out, dir);
            double[] report = skipReport ? new double[2] : report(out, dir);
            return new Result(ledgerSmall, ledgerLarge, load[0], load[1], load[2], load[3], rows, report[0], report[1]);
        } finally {
            if (keep == null) {
                FileTrees.delete(dir);
            }
        }
    }

    static void print(PrintWriter out, Result r, boolean load, boolean report) {
        if (load) {
            FigureTable.figure(out, String.format("load pass, %,d files already in the ledger (s)", r.ledgerSmall()),
                    String.format("%.2f", r.passSmall()));
            FigureTable.figure(out, String.format("load pass, %,d files already in the ledger (s)", r.ledgerLarge()),
                    String.format("%.2f", r.passLarge()));
            FigureTable.checked(out, "load pass, large ledger / small ledger", String.format("%.2f", r.passRatio()), "<= 1.2",
                    r.passRatio() <= 1.2, "ABOVE");
            FigureTable.figure(out, String.format("  of which ledger lookups of the pass's files, %,d / %,d in the ledger (ms)",
                    r.ledgerSmall(), r.ledgerLarge()), String.format("%.0f / %.0f", r.lookupSmallMs(), r.lookupLargeMs()));
        }
        if (report) {
            FigureTable.figure(out, String.format("report over %,d rows, first run (s)", r.rows()), String.format("%.2f", r.reportCold()));
            FigureTable.checked(out, String.format("report over %,d rows, median of the next runs (s)", r.rows()),
                    String.format("%.2f", r.reportWarm()), "<= 5", r.reportWarm() <= 5, "ABOVE");
        }
    }

    private static JdbcWarehouse duckDb(Path file) {
        return new JdbcWarehouse(new DuckDbDialect(file), () -> DriverManager.getConnection("jdbc:duckdb:" + file), "duckdb " + file);
    }

    /** Seconds of the pass with the small and the large ledger, and the ledger lookups' ms of each. */
    private double[] load(PrintWriter out, Path dir) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Path small = seeded(out, dir.resolve(String.format("ledger-%d-events-%d.duckdb", ledgerSmall, historyEvents)), ledgerSmall, now);
        Path large = seeded(out, dir.resolve(String.format("ledger-%d-events-%d.duckdb", ledgerLarge, historyEvents)), ledgerLarge, now);
        Path pristine = dir.resolve("pass");
        FileTrees.delete(pristine);
        List<String> keys = writePass(new LocalObjectStore(pristine));
        double[] passSmall = new double[rounds];
        double[] passLarge = new double[rounds];
        double[] lookupSmall = new double[rounds];
        double[] lookupLarge = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            // Alternate which goes first, so a warming file cache or JIT favours neither.
            boolean smallFirst = i % 2 == 0;
            for (Path seed : smallFirst ? List.of(small, large) : List.of(large, small)) {
                double[] m = pass(dir, seed, pristine, keys);
                if (seed.equals(small)) {
                    passSmall[i] = m[0];
                    lookupSmall[i] = m[1];
                } else {
                    passLarge[i] = m[0];
                    lookupLarge[i] = m[1];
                }
            }
            out.printf("  round %d: pass %.2f s with %,d files in the ledger, %.2f s with %,d (lookups %.0f / %.0f ms)%n", i + 1,
                    passSmall[i], ledgerSmall, passLarge[i], ledgerLarge, lookupSmall[i], lookupLarge[i]);
            out.flush();
        }
        return new double[] {BenchEnvironment.median(passSmall), BenchEnvironment.median(passLarge),
                BenchEnvironment.median(lookupSmall), BenchEnvironment.median(lookupLarge)};
    }

    /** A warehouse with {@code files} in the ledger and the history events, made once (reused from --keep). */
    private Path seeded(PrintWriter out, Path file, long files, Instant now) throws SQLException {
        if (Files.exists(file)) {
            out.printf("  reusing %s%n", file);
            return file;
        }
        long t0 = System.nanoTime();
        Path temp = file.resolveSibling(file.getFileName() + ".seeding");
        try (JdbcWarehouse w = duckDb(temp)) {
            w.ensureSchema();
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + temp)) {
            WarehouseSeed.ledger(c, files, now.minus(java.time.Duration.ofDays(1)));
            WarehouseSeed.events(c, historyEvents, 30, now.minus(java.time.Duration.ofDays(1)));
            WarehouseSeed.checkpoint(c);
        }
        try {
            Files.move(temp, file);
        } catch (IOException e) {
            throw new SQLException("cannot keep the seeded warehouse '" + file + "': " + e.getMessage(), e);
        }
        out.printf("  seeded %,d ledger rows and %,d events in %.0f s%n", files, historyEvents, (System.nanoTime() - t0) / 1e9);
        out.flush();
        return file;
    }

    /** The pass's files in incoming/ (today), in a folder copied afresh for each measured pass. */
    private List<String> writePass(LocalObjectStore store) {
        EventCodec codec = new EventCodec(32_768);
        return IntStream.range(0, passFiles).parallel().mapToObj(i -> {
            List<Event> sample = Generator.sample(eventsPerFile, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 2000, 0.4, 0.6,
                    1L, 7_000_000L + i, 32_768), Clock.systemUTC());
            String key = DfsLayout.incomingKey(sample.get(0).date(), "pass", i);
            store.put(key, NdjsonGzip.of(1, sample.stream().map(codec::toFileLine).toList()));
            return key;
        }).sorted().toList();
    }

    /** One measured pass on a fresh copy of {@code seed} and of the files: seconds of the pass, ms of its ledger lookups. */
    private double[] pass(Path dir, Path seed, Path pristine, List<String> keys) throws IOException {
        Path db = dir.resolve("pass.duckdb");
        Path root = dir.resolve("pass-run");
        Files.deleteIfExists(db);
        Files.deleteIfExists(db.resolveSibling("pass.duckdb.wal"));
        FileTrees.delete(root);
        Files.copy(seed, db, StandardCopyOption.REPLACE_EXISTING);
        FileTrees.copy(pristine, root);
        try (Warehouse w = duckDb(db)) {
            LocalObjectStore store = new LocalObjectStore(root);
            long t0 = System.nanoTime();
            w.loadedFiles(keys);
            double lookupMs = (System.nanoTime() - t0) / 1e6;
            LoadSummary s = new Loader(w, store, 200, Clock.systemUTC()).run(n -> { }, n -> { });
            if (s.files() != keys.size()) {
                throw CommandException.failure("the pass loaded " + s.files() + " of " + keys.size() + " files");
            }
            return new double[] {s.seconds(), lookupMs};
        } finally {
            Files.deleteIfExists(db);
            FileTrees.delete(root);
        }
    }

    /** Seconds of the first report run and the median of the next ones. */
    private double[] report(PrintWriter out, Path dir) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Path db = dir.resolve(String.format("report-%d-rows-%d-days.duckdb", rows, days));
        if (Files.exists(db)) {
            out.printf("  reusing %s (its rows end when it was seeded; the report's clock is set there)%n", db);
            try (Warehouse w = duckDb(db)) {
                Instant end = w.query("SELECT max(\"timestamp\") FROM events", List.of(), rs -> rs.getTimestamp(1).toInstant()).get(0);
                now = end.plusSeconds(1);
            }
        } else {
            long t0 = System.nanoTime();
            Path temp = db.resolveSibling(db.getFileName() + ".seeding");
            try (JdbcWarehouse w = duckDb(temp)) {
                w.ensureSchema();
            }
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + temp)) {
                WarehouseSeed.events(c, rows, days, now);
                WarehouseSeed.ledger(c, Math.max(1, rows / 5_000), now);
                WarehouseSeed.checkpoint(c);
            }
            Files.move(temp, db);
            out.printf("  seeded %,d rows over %d days in %.0f s (%.1f GB)%n", rows, days, (System.nanoTime() - t0) / 1e9,
                    Files.size(db) / 1e9);
            out.flush();
        }
        Path reports = dir.resolve("reports");
        double[] runs = new double[rounds + 1];
        try (Warehouse w = duckDb(db)) {
            for (int i = 0; i <= rounds; i++) {
                Reporter reporter = new Reporter(w, new LocalObjectStore(dir.resolve("report-dfs")),
                        new ReportSettings(reports, 8080, 14, 900, 450), List.of("registration_initiated", "submission_success"),
                        Clock.fixed(now, ZoneOffset.UTC));
                long t0 = System.nanoTime();
                reporter.run();
                runs[i] = (System.nanoTime() - t0) / 1e9;
                out.printf("  report run %d: %.2f s%n", i + 1, runs[i]);
                out.flush();
            }
        }
        FileTrees.delete(reports);
        FileTrees.delete(dir.resolve("report-dfs"));
        return new double[] {runs[0], BenchEnvironment.median(java.util.Arrays.copyOfRange(runs, 1, runs.length))};
    }


}
