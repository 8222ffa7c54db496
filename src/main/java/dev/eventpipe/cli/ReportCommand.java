package dev.eventpipe.cli;

import dev.eventpipe.config.Settings;
import dev.eventpipe.report.ReportSummary;
import dev.eventpipe.report.Reporter;
import dev.eventpipe.schedule.JobRecorder;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.Warehouse;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe report}: charts and the dashboard, once (what cron runs). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Render the charts (PNG and SVG) and index.html once, into [report] out and the file store's",
                "reports/: daily counts per platform of each [events] report_events, daily active devices, the",
                "daily funnel conversion, events per hour over 48 hours, and data freshness.",
                "Recorded in eventpipe_job_runs as job 'report'."})
final class ReportCommand implements Callable<Integer> {

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Settings settings = root.settings();
        settings.requireUsable(Settings.PathKey.DFS, Settings.PathKey.WAREHOUSE, Settings.PathKey.REPORT);
        ObjectStore store = Adapters.objectStore(settings, 2);
        ReportSummary summary;
        try (Warehouse warehouse = Adapters.warehouse(settings)) {
            warehouse.ensureSchema();
            summary = run(settings, warehouse, store, Clock.systemUTC());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("report: " + summary.line());
        out.flush();
        return EventPipe.EXIT_OK;
    }

    /** One recorded report run. */
    static ReportSummary run(Settings settings, Warehouse warehouse, ObjectStore store, Clock clock) {
        Reporter reporter = new Reporter(warehouse, store, settings.report(), settings.events().reportEvents(), clock);
        return JobRecorder.run(warehouse, "report", clock, reporter::run, ReportSummary::line);
    }
}
