package dev.eventpipe.cli;

import dev.eventpipe.bench.FileTrees;
import dev.eventpipe.bench.BenchEnvironment;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.EventField;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.lake.CompactionSummary;
import dev.eventpipe.lake.Compactor;
import dev.eventpipe.lake.FinishedDays;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.NdjsonGzip;
import dev.eventpipe.store.StoredObject;
import dev.eventpipe.event.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code eventpipe bench compact}: compaction against DuckDB's raw NDJSON-to-Parquet copy of the
 * same files, in the same run, and the size of the lake against the archive.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Compact N generated events in F archived files of one finished day, against DuckDB's raw",
                "COPY (SELECT * FROM read_ndjson([...], columns = {...})) TO 'x.parquet' (FORMAT parquet, COMPRESSION zstd) of",
                "the same files (the same explicit column types compaction reads with). Rounds alternate; medians compared.",
                "Also the size of the Parquet files against the NDJSON.gz files."})
final class BenchCompactCommand implements Callable<Integer> {

    @ParentCommand
    private BenchCommand bench;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", description = "Events in all (default: ${DEFAULT-VALUE}).")
    private int events = 1_000_000;

    @Option(names = "--files", paramLabel = "F", description = "Archived files they are spread over (default: ${DEFAULT-VALUE}).")
    private int files = 1_000;

    @Option(names = "--rounds", paramLabel = "N", description = "Raw/compact rounds; medians compared (default: ${DEFAULT-VALUE}).")
    private int rounds = 3;

    @Option(names = "--quick", description = "20,000 events in 20 files, 1 round, in place of the options above: to check the command works.")
    private boolean quick;

    record Result(int events, int files, double raw, double compact, double sizeRatio, long ndjsonBytes, long parquetBytes) {
        double ratio() {
            return compact / raw;
        }
    }

    /** A small run, for checking that it works. */
    static BenchCompactCommand quick() {
        BenchCompactCommand c = new BenchCompactCommand();
        c.shrink();
        return c;
    }

    private void shrink() {
        events = 20_000;
        files = 20;
        rounds = 1;
    }

    @Override
    public Integer call() throws Exception {
        if (quick) {
            shrink();
        }
        if (events < 1 || files < 1 || rounds < 1 || files > events) {
            throw CommandException.usage("--events, --files and --rounds must be 1 or more, and --files at most --events");
        }
        PrintWriter out = spec.commandLine().getOut();
        Result r = measure(out);
        out.println();
        FigureTable.header(out);
        print(out, r);
        out.flush();
        return EventPipe.EXIT_OK;
    }

    static void print(PrintWriter out, Result r) {
        String n = String.format("%,d rows in %,d files", r.events(), r.files());
        FigureTable.figure(out, "DuckDB raw COPY read_ndjson -> Parquet zstd, " + n + " (rows/s)", r.raw());
        FigureTable.figure(out, "compact (rows/s)", r.compact());
        FigureTable.ratio(out, "compact / raw", r.ratio(), 0.8);
        FigureTable.figure(out, String.format("Parquet / NDJSON.gz size (%.1f MB / %.1f MB)", r.parquetBytes() / 1e6,
                r.ndjsonBytes() / 1e6), String.format("%.2f", r.sizeRatio()));
    }

    Result measure(PrintWriter out) throws Exception {
        Path dir = Files.createTempDirectory("eventpipe-bench-compact");
        try {
            out.printf("bench compact: %,d events in %,d files under %s, %d rounds, %d cores%n", events, files, dir, rounds,
                    Runtime.getRuntime().availableProcessors());
            out.flush();
            Path pristine = dir.resolve("pristine");
            long ndjson = writeFiles(new LocalObjectStore(pristine));
            out.printf("  wrote %,d files (%.1f MB gzip)%n", files, ndjson / 1e6);
            out.flush();
            double[] raw = new double[rounds];
            double[] compact = new double[rounds];
            long parquet = 0;
            for (int i = 0; i < rounds; i++) {
                raw[i] = raw(pristine, dir.resolve("raw-" + i + ".parquet"));
                Path root = dir.resolve("round-" + i);
                FileTrees.copy(pristine, root);
                CompactionSummary s = new Compactor(new LocalObjectStore(root), new FinishedDays(Duration.ofHours(1)), Clock.systemUTC()).run();
                if (s.rows() != events || !s.failedDays().isEmpty()) {
                    throw CommandException.failure("compaction wrote " + s.rows() + " of " + events + " rows: " + s.line());
                }
                compact[i] = s.rowsPerSec();
                parquet = s.parquetBytes();
                out.printf("  round %d: raw %,.0f rows/s, compact %,.0f rows/s (%d Parquet files, %.1f MB)%n", i + 1, raw[i], compact[i],
                        s.generations(), s.parquetBytes() / 1e6);
                out.flush();
                FileTrees.delete(root);
            }
            return new Result(events, files, BenchEnvironment.median(raw), BenchEnvironment.median(compact), (double) parquet / ndjson,
                    ndjson, parquet);
        } finally {
            FileTrees.delete(dir);
        }
    }

    /** Archived files of a day two days ago (finished), as the loader leaves them; returns their bytes. */
    private long writeFiles(LocalObjectStore store) {
        int perFile = events / files;
        EventCodec codec = new EventCodec(32_768);
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofDays(-2));
        return IntStream.range(0, files).parallel().mapToLong(i -> {
            int n = i == files - 1 ? events - perFile * (files - 1) : perFile;
            List<Event> sample = Generator.sample(n, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 2000, 0.4, 0.6,
                    1L, System.nanoTime() + i, 32_768), past);
            String key = DfsLayout.archiveKey(DfsLayout.incomingKey(sample.get(0).date(), "bench", i));
            byte[] data = NdjsonGzip.of(1, sample.stream().map(codec::toFileLine).toList());
            store.put(key, data);
            return data.length;
        }).sum();
    }

    /** DuckDB's own NDJSON-to-Parquet copy of the same files, with the same column types; rows/s. */
    private double raw(Path pristine, Path target) throws SQLException, IOException {
        List<String> paths;
        try (Stream<StoredObject> s = new LocalObjectStore(pristine).list(DfsLayout.ARCHIVE)) {
            paths = s.map(o -> pristine.resolve(o.key()).toString()).toList();
        }
        List<String> cols = new ArrayList<>();
        for (EventField f : EventField.values()) {
            cols.add("'" + f.jsonName() + "': '" + dev.eventpipe.lake.LakeSchema.duckDbType(f.type()) + "'");
        }
        cols.add("'" + EventField.EXTRA + "': 'VARCHAR'");
        String read = "read_ndjson([" + paths.stream().map(p -> "'" + p.replace("'", "''") + "'").collect(Collectors.joining(", "))
                + "], columns = {" + String.join(", ", cols) + "}, format = 'newline_delimited', compression = 'gzip')";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            long start = System.nanoTime();
            long rows = st.executeUpdate("COPY (SELECT * FROM " + read + ") TO '" + target.toString().replace("'", "''")
                    + "' (FORMAT parquet, COMPRESSION zstd)");
            double rate = rows / ((System.nanoTime() - start) / 1e9);
            Files.deleteIfExists(target);
            return rate;
        }
    }


}
