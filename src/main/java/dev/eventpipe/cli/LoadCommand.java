package dev.eventpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.eventpipe.config.Settings;
import dev.eventpipe.schedule.JobRecorder;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.LoadSummary;
import dev.eventpipe.warehouse.LoadFollower;
import dev.eventpipe.warehouse.Loader;
import dev.eventpipe.warehouse.Warehouse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe load}: one load pass from incoming/ into the warehouse (what cron runs). */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"One load pass: every file in incoming/ into the warehouse, exactly once per event id, then",
                "moved to archive/; a file that cannot be read goes to quarantine/ with a .reason.json beside it.",
                "If another load holds the lock, it does nothing. Recorded in eventpipe_job_runs as job 'load'.",
                "With --follow: keep loading as files land (a pass as soon as files wait and the last pass ended, at",
                "most every [schedule] min_load_interval_ms) until Ctrl-C or SIGTERM; recorded as job 'load-follow'."})
final class LoadCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(LoadCommand.class);

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    private Path summaryJson;

    @Option(names = "--follow", description = "Keep loading files as they land, until stopped (a loader service).")
    private boolean follow;

    @Override
    public Integer call() throws IOException {
        Settings settings = root.settings();
        settings.requireUsable(Settings.PathKey.DFS, Settings.PathKey.WAREHOUSE);
        PrintWriter out = spec.commandLine().getOut();
        ObjectStore store = Adapters.objectStore(settings, 4);
        LoadSummary summary;
        try (Warehouse warehouse = Adapters.warehouse(settings)) {
            warehouse.ensureSchema();
            summary = follow ? follow(warehouse, store, settings, StopSignal.install())
                    : recorded(warehouse, store, settings.warehouse().batchFiles(), true);
        }
        out.println("load: " + summary.line());
        out.flush();
        if (summaryJson != null) {
            Path parent = summaryJson.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(summaryJson.toFile(), summary);
        }
        return EventPipe.EXIT_OK;
    }

    /** One pass, recorded in the job history; {@code progress}: a bar on a terminal. */
    static LoadSummary recorded(Warehouse warehouse, ObjectStore store, int batchFiles, boolean progress) {
        return JobRecorder.run(warehouse, "load", Clock.systemUTC(),
                () -> progress ? run(warehouse, store, batchFiles)
                        : new Loader(warehouse, store, batchFiles, Clock.systemUTC()).run(n -> { }, n -> { }),
                LoadSummary::line);
    }

    /** Loads as files land until {@code stop}; the whole session is one job run, 'load-follow'. */
    static LoadSummary follow(Warehouse warehouse, ObjectStore store, Settings settings, StopSignal stop) {
        LoadFollower follower = new LoadFollower(new Loader(warehouse, store, settings.warehouse().batchFiles(), Clock.systemUTC()),
                store, settings.schedule().minLoadInterval());
        log.info("load: following the file store, a pass as files land (at most every {} ms); SIGTERM or Ctrl-C stops",
                settings.schedule().minLoadInterval().toMillis());
        return JobRecorder.run(warehouse, "load-follow", Clock.systemUTC(), () -> {
            try {
                return follower.follow(() -> !stop.stopped(), pass -> log.info("load: {}", pass.line()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return LoadSummary.empty();
            }
        }, LoadSummary::line);
    }

    /** The scheduler's load job: one pass without a progress bar (the scheduler records it; its summary line is the detail). */
    static LoadSummary pass(Warehouse warehouse, ObjectStore store, int batchFiles) {
        return new Loader(warehouse, store, batchFiles, Clock.systemUTC()).run(n -> { }, n -> { });
    }

    /** One pass with a progress bar on a terminal. */
    static LoadSummary run(Warehouse warehouse, ObjectStore store, int batchFiles) {
        AtomicLong total = new AtomicLong();
        AtomicLong done = new AtomicLong();
        Loader loader = new Loader(warehouse, store, batchFiles, Clock.systemUTC());
        Progress[] bar = new Progress[1];
        try {
            return loader.run(n -> {
                total.set(n);
                if (n >= 20) {
                    bar[0] = Progress.start("load", n, "files", done::get);
                }
            }, done::set);
        } finally {
            if (bar[0] != null) {
                bar[0].finish(done.get());
                bar[0].close();
            }
        }
    }
}
