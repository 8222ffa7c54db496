package dev.eventpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.eventpipe.config.Settings;
import dev.eventpipe.lake.CompactionSummary;
import dev.eventpipe.lake.Compactor;
import dev.eventpipe.lake.FinishedDays;
import dev.eventpipe.lake.LakeReader;
import dev.eventpipe.lake.LakeSql;
import dev.eventpipe.schedule.JobRecorder;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.S3ObjectStore;
import dev.eventpipe.warehouse.Warehouse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe compact}: finished days of archive/ into the Parquet lake (what cron or run's [schedule] compact runs). */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Rewrite the archived files of each finished day (a UTC day that ended [schedule] compact_grace_minutes",
                "ago, with no file of it left in incoming/) into Parquet files under lake/events/dt=YYYY-MM-DD/, sorted by",
                "timestamp, zstd, each event id once per day; then delete them from archive/. Each Parquet file commits",
                "by one atomic put; running it again changes nothing. Recorded in eventpipe_job_runs as job 'compact'.",
                "--sql ENGINE prints the SQL that makes the lake a table in duckdb, athena, spark, spectrum, or loads it",
                "into Redshift (redshift-copy), and compacts nothing."})
final class CompactCommand implements Callable<Integer> {

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--grace", paramLabel = "D", converter = DurationConverter.class,
            description = "A day counts as finished D after it ends, UTC (default: [schedule] compact_grace_minutes).")
    private Duration grace;

    @Option(names = "--sql", paramLabel = "ENGINE", description = "Print the SQL for ENGINE (duckdb, athena, spark, spectrum, redshift-copy) and exit.")
    private String sql;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    private Path summaryJson;

    @Override
    public Integer call() throws IOException {
        Settings settings = root.settings();
        settings.requireUsable(Settings.PathKey.DFS);
        if (grace != null && grace.isNegative()) {
            throw CommandException.usage("--grace must be 0 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectStore store = Adapters.objectStore(settings, 8);
        if (sql != null) {
            out.print(sql(store, settings));
            out.flush();
            return EventPipe.EXIT_OK;
        }
        settings.requireUsable(Settings.PathKey.WAREHOUSE);
        CompactionSummary summary;
        try (Warehouse warehouse = Adapters.warehouse(settings)) {
            summary = recorded(warehouse, store, grace != null ? grace : settings.schedule().compactGrace());
        }
        out.println("compact: " + summary.line());
        out.flush();
        if (summaryJson != null) {
            Path parent = summaryJson.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(summaryJson.toFile(), summary);
        }
        if (!summary.failedDays().isEmpty()) {
            throw CommandException.failure(summary.failedDays().size() + " days could not be compacted: "
                    + String.join("; ", summary.failedDays()));
        }
        return EventPipe.EXIT_OK;
    }

    /** One compaction, recorded in the job history (a warehouse that cannot record it is a warning, not a failure). */
    static CompactionSummary recorded(Warehouse warehouse, ObjectStore store, Duration grace) {
        return JobRecorder.run(warehouse, "compact", Clock.systemUTC(),
                () -> new Compactor(store, new FinishedDays(grace), Clock.systemUTC()).run(), CompactionSummary::line);
    }

    /** The scheduler's compact job: its summary line is the job's detail; a day that failed fails the job. */
    static String job(ObjectStore store, Duration grace) {
        CompactionSummary s = new Compactor(store, new FinishedDays(grace), Clock.systemUTC()).run();
        if (!s.failedDays().isEmpty()) {
            throw new IllegalStateException(s.line());
        }
        return s.line();
    }

    private String sql(ObjectStore store, Settings settings) {
        LakeSql.Engine engine = null;
        for (LakeSql.Engine e : LakeSql.Engine.values()) {
            if (e.cli().equalsIgnoreCase(sql)) {
                engine = e;
            }
        }
        if (engine == null) {
            throw CommandException.usage("--sql '" + sql + "': must be one of duckdb, athena, spark, spectrum, redshift-copy");
        }
        String location;
        String note = "";
        if (store instanceof S3ObjectStore s3) {
            location = "s3://" + s3.bucket() + "/" + s3.s3Key(DfsLayout.LAKE);
        } else {
            location = store.localFile(DfsLayout.LAKE).orElseThrow().toString() + "/";
            if (engine != LakeSql.Engine.DUCKDB) {
                note = "-- The file store is a local folder: " + engine.cli() + " reads the lake from S3 ([dfs] type = s3).\n";
            }
        }
        List<LocalDate> days = new ArrayList<>(LakeReader.read(store).days().keySet());
        String role = settings.redshift().arnCredentials();
        return note + new LakeSql(location).forEngine(engine, days, role == null || role.isBlank() ? "<[redshift] arn_credentials>" : role);
    }
}
