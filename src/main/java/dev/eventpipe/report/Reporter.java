package dev.eventpipe.report;

import dev.eventpipe.config.ReportSettings;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.Warehouse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code eventpipe report}: reads the KPIs from the warehouse, renders every chart as PNG and SVG
 * and writes the dashboard, into {@code [report] out} and the file store's {@code reports/}.
 *
 * <p>The charts (days are UTC calendar days; daily charts cover {@code [report] days} days ending
 * today, every day shown even with nothing in it):
 * <ul>
 *   <li>{@code daily-<event>}: per report event, its daily count per platform ({@code context_device_type}), grouped bars;
 *   <li>{@code daily-active-devices}: distinct {@code anonymous_id} per day per platform;
 *   <li>{@code funnel-conversion}: per day, {@code submission_success} / {@code registration_initiated} in percent
 *       (0 on a day with no registration started; not capped at 100);
 *   <li>{@code events-per-hour}: events per hour over the last 48 hours, the current hour last;
 *   <li>{@code freshness}: rows in the files loaded per hour (by load time) over the same 48 hours, titled with
 *       the lag (now minus the newest arrival: {@code queued_at}, else {@code consumed_at}, else {@code loaded_at},
 *       times the pipeline stamps; never a client-sent {@code received_at}) and the last load time.
 * </ul>
 * Charts are written before the page that shows them, so the page never points at a missing file.
 * Not thread-safe: one run at a time per instance.
 */
public final class Reporter {

    private static final Logger log = LoggerFactory.getLogger(Reporter.class);

    /** Runs per job listed on the dashboard. */
    static final int JOB_RUNS_PER_JOB = 5;

    private final Clock clock;
    private final int days;
    private final Map<String, String> chartNames;
    private final KpiQueries queries;
    private final ChartRenderer renderer;
    private final Dashboard dashboard;
    private final ReportFiles files;
    private final ObjectStore store;

    /**
     * @param warehouse    where the events are (read only, through {@link Warehouse#query} and friends)
     * @param store        the file store; files also go under {@code reports/} there
     * @param settings     {@code [report]}: local folder, days, chart size
     * @param reportEvents the events charted per day and platform ({@code [events] report_events}); repeats are charted once
     * @param clock        "now": today, the current hour, file time stamps
     */
    public Reporter(Warehouse warehouse, ObjectStore store, ReportSettings settings, List<String> reportEvents, Clock clock) {
        Objects.requireNonNull(warehouse, "warehouse");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.days = settings.days();
        this.chartNames = ChartNames.forEvents(List.copyOf(reportEvents));
        this.queries = new KpiQueries(warehouse);
        this.renderer = new ChartRenderer(settings.width(), settings.height());
        this.dashboard = new Dashboard(settings.width(), settings.height());
        this.files = new ReportFiles(settings.out(), store);
    }

    /**
     * Renders every chart and the dashboard once.
     *
     * @throws dev.eventpipe.warehouse.WarehouseException when a query fails (nothing is written then)
     * @throws dev.eventpipe.store.StoreException when the file store refuses a file
     * @throws java.io.UncheckedIOException when the local folder cannot be written
     */
    public ReportSummary run() {
        long start = System.nanoTime();
        ReportData data = collect();
        List<ReportChart> charts = charts(data);
        Instant at = data.window().now();
        int written = 0;
        int pruned = 0;
        for (ReportChart chart : charts) {
            long t0 = System.nanoTime();
            byte[] png = renderer.png(chart);
            byte[] svg = renderer.svg(chart);
            files.write(ReportFiles.timestamped(chart.name(), at, "png"), png);
            files.write(ReportFiles.timestamped(chart.name(), at, "svg"), svg);
            files.write(ReportFiles.latest(chart.name(), "png"), png);
            files.write(ReportFiles.latest(chart.name(), "svg"), svg);
            written += 4;
            pruned += files.prune(chart.name());
            log.debug("report: chart '{}' ({} series) written: {} bytes PNG, {} bytes SVG, {} ms", chart.name(),
                    chart.chart().getSeriesMap().size(), png.length, svg.length, (System.nanoTime() - t0) / 1_000_000);
        }
        files.write(ReportFiles.DASHBOARD, dashboard.html(data, charts).getBytes(StandardCharsets.UTF_8));
        written++;
        double seconds = Math.round((System.nanoTime() - start) / 1e6) / 1000.0;
        ReportSummary summary = new ReportSummary(charts.size(), written, pruned,
                files.out().resolve(ReportFiles.DASHBOARD).toString(), seconds);
        log.info("report: {} charts, {} files written to '{}' and '{}/{}', {} old files removed, {} events total, {} s",
                summary.charts(), summary.files(), files.out(), store.location(), DfsLayout.REPORTS, pruned,
                data.headline().eventsTotal(), seconds);
        return summary;
    }

    /** Everything the report shows, read now. */
    ReportData collect() {
        return queries.collect(ReportWindow.of(clock, days), new ArrayList<>(chartNames.keySet()), JOB_RUNS_PER_JOB);
    }

    /** The charts of {@code data}, in dashboard order. */
    List<ReportChart> charts(ReportData data) {
        return renderer.charts(data, chartNames);
    }
}
