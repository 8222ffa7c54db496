package dev.eventpipe.cli;

import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.NdjsonGzip;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.CopyText;
import dev.eventpipe.warehouse.JdbcWarehouse;
import dev.eventpipe.warehouse.LoadSummary;
import dev.eventpipe.warehouse.Loader;
import dev.eventpipe.warehouse.Schema;
import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import dev.eventpipe.warehouse.dialect.PostgresDialect;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code eventpipe bench load}: the loader against the raw bulk path of each engine, on the same
 * files in the same run.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Load N generated events in F files. DuckDB: load rows/s divided by a raw",
                "INSERT INTO t SELECT * FROM read_ndjson([...]) of the same files. PostgreSQL (with --postgres-url,",
                "or EVENTPIPE_TEST_POSTGRES_URL): load rows/s divided by a raw COPY FROM STDIN of the same rows",
                "into a table of the same shape."})
final class BenchLoadCommand implements Callable<Integer> {

    @ParentCommand
    private BenchCommand bench;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", description = "Events in all (default: ${DEFAULT-VALUE}).")
    private int events = 1_000_000;

    @Option(names = "--files", paramLabel = "F", description = "Files they are spread over (default: ${DEFAULT-VALUE}).")
    private int files = 1_000;

    @Option(names = "--rounds", paramLabel = "N", description = "Raw/load rounds per engine; medians compared (default: ${DEFAULT-VALUE}).")
    private int rounds = 2;

    @Option(names = "--postgres-url", paramLabel = "URL", description = "A PostgreSQL JDBC URL (with user and password) to measure too.")
    private String postgresUrl;

    record Result(int events, int files, double duckRaw, double duckLoad, double pgRaw, double pgLoad) {
        double duckRatio() {
            return duckLoad / duckRaw;
        }

        double pgRatio() {
            return pgRaw > 0 ? pgLoad / pgRaw : Double.NaN;
        }
    }

    /** A small load, for checking that bench all works. */
    static BenchLoadCommand quick() {
        BenchLoadCommand c = new BenchLoadCommand();
        c.events = 20_000;
        c.files = 20;
        c.rounds = 1;
        return c;
    }

    @Override
    public Integer call() throws Exception {
        if (events < 1 || files < 1 || rounds < 1 || files > events) {
            throw CommandException.usage("--events, --files and --rounds must be 1 or more, and --files at most --events");
        }
        PrintWriter out = spec.commandLine().getOut();
        String pg = postgresUrl != null ? postgresUrl : bench.root.env().get("EVENTPIPE_TEST_POSTGRES_URL");
        Result r = measure(out, pg);
        out.println();
        FigureTable.header(out);
        print(out, r);
        out.flush();
        return EventPipe.EXIT_OK;
    }

    static void print(PrintWriter out, Result r) {
        String n = String.format("%,d rows in %,d files", r.events(), r.files());
        FigureTable.figure(out, "DuckDB raw INSERT ... read_ndjson, " + n + " (rows/s)", r.duckRaw());
        FigureTable.figure(out, "DuckDB load (rows/s)", r.duckLoad());
        FigureTable.ratio(out, "DuckDB load / raw", r.duckRatio(), 0.7);
        if (r.pgRaw() > 0) {
            FigureTable.figure(out, "PostgreSQL raw COPY FROM STDIN, " + n + " (rows/s)", r.pgRaw());
            FigureTable.figure(out, "PostgreSQL load (rows/s)", r.pgLoad());
            FigureTable.ratio(out, "PostgreSQL load / raw", r.pgRatio(), 0.7);
        } else {
            FigureTable.figure(out, "PostgreSQL", "not measured (no --postgres-url)");
        }
    }

    Result measure(PrintWriter out, String pg) throws Exception {
        Path dir = Files.createTempDirectory("eventpipe-bench-load");
        try {
            out.printf("bench load: %,d events in %,d files under %s, %d rounds, %d cores%n", events, files, dir, rounds,
                    Runtime.getRuntime().availableProcessors());
            out.flush();
            LocalObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
            List<String> keys = writeFiles(store);
            long bytes;
            try (Stream<Path> s = Files.walk(dir.resolve("dfs"))) {
                bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            out.printf("  wrote %,d files (%.1f MB gzip)%n", keys.size(), bytes / 1e6);
            out.flush();
            double[] duckRaw = new double[rounds];
            double[] duckLoad = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                duckRaw[i] = duckRaw(dir, store, keys, i);
                duckLoad[i] = load(duckWarehouse(dir.resolve("load-" + i + ".duckdb")), store, keys);
                out.printf("  DuckDB round %d: raw %,.0f rows/s, load %,.0f rows/s%n", i + 1, duckRaw[i], duckLoad[i]);
                out.flush();
            }
            double[] pgRaw = new double[rounds];
            double[] pgLoad = new double[rounds];
            if (pg != null) {
                restore(store, keys);
                Path copyText = dir.resolve("rows.copy");
                convert(store, keys, copyText);
                for (int i = 0; i < rounds; i++) {
                    pgRaw[i] = pgRaw(pg, copyText);
                    pgLoad[i] = pgLoad(pg, store, keys);
                    out.printf("  PostgreSQL round %d: raw %,.0f rows/s, load %,.0f rows/s%n", i + 1, pgRaw[i], pgLoad[i]);
                    out.flush();
                }
            }
            return new Result(events, files, median(duckRaw), median(duckLoad), pg == null ? 0 : median(pgRaw),
                    pg == null ? 0 : median(pgLoad));
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double median(double[] v) {
        return dev.eventpipe.bench.BenchEnvironment.median(v);
    }

    private List<String> writeFiles(ObjectStore store) {
        int perFile = events / files;
        EventCodec codec = new EventCodec(32_768);
        return IntStream.range(0, files).parallel().mapToObj(i -> {
            int n = i == files - 1 ? events - perFile * (files - 1) : perFile;
            List<String> lines = Generator.sample(n, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 2000, 0.4, 0.6,
                    1L, System.nanoTime() + i, 32_768), Clock.systemUTC()).stream().map(codec::toFileLine).toList();
            String key = DfsLayout.incomingKey(LocalDate.of(2026, 11, 24), "bench", i);
            store.put(key, NdjsonGzip.of(1, lines));
            return key;
        }).sorted().toList();
    }

    /** Moves archived files back to incoming/ for the next round (a rename each). */
    private static void restore(ObjectStore store, List<String> keys) {
        for (String k : keys) {
            if (!store.exists(k)) {
                store.move(DfsLayout.archiveKey(k), k);
            }
        }
    }

    private static JdbcWarehouse duckWarehouse(Path file) {
        return new JdbcWarehouse(new DuckDbDialect(file), () -> DriverManager.getConnection("jdbc:duckdb:" + file), "duckdb " + file);
    }

    private static double load(JdbcWarehouse warehouse, ObjectStore store, List<String> keys) {
        restore(store, keys);
        warehouse.ensureSchema();
        LoadSummary s = new Loader(warehouse, store, 200, Clock.systemUTC()).run(n -> { }, n -> { });
        if (s.files() != keys.size()) {
            throw CommandException.failure("the load loaded " + s.files() + " of " + keys.size() + " files");
        }
        return s.rowsPerSec();
    }

    private double duckRaw(Path dir, LocalObjectStore store, List<String> keys, int round) throws SQLException {
        restore(store, keys);
        Path file = dir.resolve("raw-" + round + ".duckdb");
        DuckDbDialect d = new DuckDbDialect(file);
        List<String> paths = keys.stream().map(k -> store.localFile(k).orElseThrow().toString()).toList();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (" + Schema.eventColumns().stream().map(col -> d.quote(col) + " " + columnType(d, col))
                    .collect(Collectors.joining(", ")) + ")");
            long start = System.nanoTime();
            st.execute("INSERT INTO t SELECT " + Schema.eventColumns().stream().map(d::quote).collect(Collectors.joining(", "))
                    + " FROM " + DuckDbDialect.readNdjson(d, paths));
            return events / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static String columnType(dev.eventpipe.warehouse.Dialect d, String column) {
        for (dev.eventpipe.event.EventField f : dev.eventpipe.event.EventField.values()) {
            if (f.jsonName().equals(column)) {
                return d.columnType(f);
            }
        }
        return d.textType();
    }

    /** The same rows as COPY text, on disk, so the raw COPY does no conversion of its own. */
    private static void convert(ObjectStore store, List<String> keys, Path target) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20)) {
            for (String k : keys) {
                try (InputStream in = store.open(k)) {
                    out.write(CopyText.convert(k, in).text());
                }
            }
        }
    }

    private String schemaUrl(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private void resetSchema(String url, String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
        }
    }

    private double pgRaw(String url, Path copyText) throws Exception {
        resetSchema(url, "eventpipe_bench_raw");
        PostgresDialect d = new PostgresDialect();
        try (Connection c = DriverManager.getConnection(schemaUrl(url, "eventpipe_bench_raw")); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (" + Schema.stageColumns(d) + ", PRIMARY KEY (\"id\"))");
            String cols = Schema.eventColumns().stream().map(d::quote).collect(Collectors.joining(", ")) + ", source_file";
            long start = System.nanoTime();
            try (InputStream in = Files.newInputStream(copyText)) {
                new CopyManager(c.unwrap(BaseConnection.class)).copyIn("COPY t (" + cols + ") FROM STDIN", in, 1 << 16);
            }
            double rate = events / ((System.nanoTime() - start) / 1e9);
            st.execute("DROP TABLE t");
            return rate;
        } finally {
            resetSchema(url, "eventpipe_bench_raw");
        }
    }

    private double pgLoad(String url, ObjectStore store, List<String> keys) throws Exception {
        resetSchema(url, "eventpipe_bench_load");
        try {
            String u = schemaUrl(url, "eventpipe_bench_load");
            return load(new JdbcWarehouse(new PostgresDialect(), () -> DriverManager.getConnection(u), "postgres"), store, keys);
        } finally {
            resetSchema(url, "eventpipe_bench_load");
        }
    }
}
