package dev.eventpipe.cli;

import dev.eventpipe.bench.HeadlessChromium;
import dev.eventpipe.config.ReportSettings;
import dev.eventpipe.serve.ApiLimits;
import dev.eventpipe.serve.DashboardSources;
import dev.eventpipe.serve.DeadLetterStatus;
import dev.eventpipe.serve.InteractiveDashboard;
import dev.eventpipe.serve.LoadSchedule;
import dev.eventpipe.serve.PageConfig;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.dialect.DuckDbFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code eventpipe bench dashboard}: the dashboard's API calls and page load on DuckDB warehouses
 * of a million and fifty million rows.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"For each --rows: build a DuckDB warehouse of that many synthetic events (in time order, over",
                "--days days up to now, as loads append them), serve the dashboard on it (as 'eventpipe serve'),",
                "and print each API call's p50 and p95 over --calls calls (the page's default 14-day view; target",
                "<= 1 s each) and the time from navigation to the seed's chart drawn in headless chromium (first",
                "load with an empty cache, then the median of the others). Building 50,000,000 rows takes a few",
                "minutes and about 3 GB of disk in the temporary folder."})
final class BenchDashboardCommand implements Callable<Integer> {

    private static final List<String> EVENTS = List.of("app_open", "registration_initiated", "submission_success",
            "purchase_completed", "screen_view", "settings_opened", "logout", "error_shown");
    /** How often each event occurs, out of 100: a funnel that narrows, and some noise. */
    private static final int[] WEIGHTS = {30, 15, 8, 4, 25, 8, 6, 4};
    private static final List<String> PLATFORMS = List.of("android", "ios", "web");
    private static final int PAGE_DAYS = 14;
    private static final Duration TARGET = Duration.ofSeconds(1);

    @ParentCommand
    private BenchCommand bench;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--rows", paramLabel = "N", split = ",",
            description = "Warehouse sizes in rows (default: ${DEFAULT-VALUE}).")
    private List<Long> rows = List.of(1_000_000L, 50_000_000L);

    @Option(names = "--days", paramLabel = "D", description = "Days the rows span, up to now (default: ${DEFAULT-VALUE}).")
    private int days = 90;

    @Option(names = "--rows-per-device", paramLabel = "R",
            description = "Rows of each device over the --days, spread at random: the distinct devices (rows / R) are what "
                    + "'active' and 'funnel' group by (default: ${DEFAULT-VALUE}, a worst case of about one row per device and active day).")
    private int rowsPerDevice = 25;

    @Option(names = "--calls", paramLabel = "N", description = "Timed calls per endpoint, after one untimed (default: ${DEFAULT-VALUE}).")
    private int calls = 20;

    @Option(names = "--page-loads", paramLabel = "N", description = "Page loads in chromium; 0 skips the page (default: ${DEFAULT-VALUE}).")
    private int pageLoads = 5;

    @Option(names = "--keep", paramLabel = "DIR",
            description = "Keep each warehouse built in DIR and reuse it on the next run with the same --rows and --days "
                    + "(its rows end when it was built; the calls ask for the days up to then).")
    private Path keep;

    @Option(names = "--quick", description = "100,000 rows, 3 calls, 2 page loads: to check the command works (the figures mean little).")
    private boolean quick;

    record Call(String name, String path) {
    }

    @Override
    public Integer call() throws Exception {
        if (quick) {
            rows = List.of(100_000L);
            calls = 3;
            pageLoads = 2;
        }
        if (rows.isEmpty() || rows.stream().anyMatch(r -> r < 1_000) || days < PAGE_DAYS || days > 366 || calls < 1 || pageLoads < 0
                || rowsPerDevice < 1) {
            throw CommandException.usage("--rows must each be 1000 or more, --days from " + PAGE_DAYS + " to 366, --calls 1 or more, "
                    + "--page-loads 0 or more, --rows-per-device 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> figures = new LinkedHashMap<>();
        List<String> misses = new ArrayList<>();
        for (long n : rows) {
            measure(out, n, figures, misses);
        }
        out.println();
        FigureTable.header(out);
        figures.forEach((label, value) -> {
            if (label.startsWith("API ")) {
                FigureTable.checked(out, label, value, "<= " + TARGET.toMillis() + " ms", !misses.contains(label), "SLOW");
            } else {
                FigureTable.figure(out, label, value);
            }
        });
        out.flush();
        return EventPipe.EXIT_OK;
    }

    private void measure(PrintWriter out, long n, Map<String, String> figures, List<String> misses) throws Exception {
        Path dir = keep == null ? Files.createTempDirectory("eventpipe-bench-dashboard")
                : Files.createDirectories(keep.resolve("dashboard-" + n + "-rows-" + days + "-days"
                        + (rowsPerDevice == 25 ? "" : "-" + rowsPerDevice + "-per-device")));
        try {
            Path file = dir.resolve("warehouse.duckdb");
            Path builtAt = dir.resolve("built-at");
            out.printf("bench dashboard: %,d rows of %,d devices over %d days in %s, %d cores%n", n, Math.max(10, n / rowsPerDevice), days, file,
                    Runtime.getRuntime().availableProcessors());
            out.flush();
            Instant now;
            if (keep != null && Files.exists(builtAt) && Files.exists(file)) {
                now = Instant.parse(Files.readString(builtAt).strip());
                out.printf("  reused, built at %s (%.0f MB)%n", now, Files.size(file) / 1e6);
                long t0 = System.nanoTime();
                try (Warehouse w = Adapters.duckDb(file)) {
                    // One built by an older eventpipe is migrated as a user's would be.
                    out.printf("  %s (%.1f s)%n", w.ensureSchema().get(0), (System.nanoTime() - t0) / 1e9);
                }
            } else {
                Files.deleteIfExists(file);
                Files.deleteIfExists(builtAt);
                now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                long t0 = System.nanoTime();
                build(file, n, now);
                Files.writeString(builtAt, now.toString());
                out.printf("  built in %.1f s (%.0f MB)%n", (System.nanoTime() - t0) / 1e9, Files.size(file) / 1e6);
            }
            out.flush();
            Adapters.ReadOnlySource source = Adapters.readOnlyDuckDb(file, false);
            DeadLetterStatus deadLetters = new DeadLetterStatus(new LocalObjectStore(dir.resolve("dfs")), () -> {
                throw new IllegalStateException("no queue in the bench");
            }, "bench-dlq", Clock.systemUTC());
            DashboardSources sources = new DashboardSources(source.dialect(), source.connections(), deadLetters,
                    new LoadSchedule("*/5 * * * *", ZoneOffset.UTC));
            PageConfig page = new PageConfig(EVENTS.subList(0, 3), PAGE_DAYS, Duration.ofHours(1), false, "duckdb");
            ReportSettings report = new ReportSettings(dir.resolve("reports"), 1, PAGE_DAYS, 900, 450);
            // A reused warehouse: the server's clock runs from when it was built, so the page's default view is the same.
            Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), now));
            try (InteractiveDashboard dashboard = InteractiveDashboard.start(report, 0, sources, page, ApiLimits.DEFAULT,
                    clock, null, false)) {
                String size = String.format("%,d rows", n) + (rowsPerDevice == 25 ? "" : String.format(" of %,d devices", n / rowsPerDevice));
                for (Call c : calls(now)) {
                    double[] ms = time(dashboard.url().resolve(c.path()));
                    double p95 = percentile(ms, 95);
                    out.printf("  %-12s p50 %7.1f ms  p95 %7.1f ms  %s%n", c.name(), percentile(ms, 50), p95, c.path());
                    out.flush();
                    String label = "API " + c.name() + " p95, " + size + " (ms)";
                    figures.put(label, String.format("%.0f", p95));
                    if (p95 > TARGET.toMillis()) {
                        misses.add(label);
                    }
                }
                if (pageLoads > 0 && HeadlessChromium.available()) {
                    double[] loads = pageLoads(dashboard.url());
                    out.printf("  page to first chart: first %.0f ms, then %s ms%n", loads[0], Arrays.stream(loads).skip(1)
                            .mapToObj(v -> String.format("%.0f", v)).toList());
                    figures.put("page load to first chart (cold cache), " + size + " (ms)", String.format("%.0f", loads[0]));
                    if (loads.length > 1) {
                        figures.put("page load to first chart (median, warm), " + size + " (ms)",
                                String.format("%.0f", percentile(Arrays.copyOfRange(loads, 1, loads.length), 50)));
                    }
                } else if (pageLoads > 0) {
                    figures.put("page load to first chart, " + size, "not measured (no " + HeadlessChromium.CHROMIUM + ")");
                }
            }
        } finally {
            if (keep == null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    /** The calls the page makes for its default view, and the finer and coarser ones a person picks. */
    private List<Call> calls(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        String range = "from=" + today.minusDays(PAGE_DAYS - 1) + "&to=" + today;
        String week = "from=" + today.minusDays(6) + "&to=" + today;
        String quarter = "from=" + today.minusDays(days - 1) + "&to=" + today;
        String seed = "&event=" + EVENTS.get(0) + "&event=" + EVENTS.get(1) + "&event=" + EVENTS.get(2);
        return List.of(
                new Call("events", "/api/events?" + range),
                new Call("platforms", "/api/platforms?" + range),
                new Call("counts/day", "/api/counts?" + range + "&granularity=day" + seed),
                new Call("counts/hour", "/api/counts?" + week + "&granularity=hour" + seed + "&platform=ios"),
                new Call("counts/week", "/api/counts?" + quarter + "&granularity=week" + seed),
                new Call("active", "/api/active?" + range),
                new Call("funnel", "/api/funnel?" + range + "&step=app_open&step=registration_initiated&step=submission_success"
                        + "&window=86400"),
                new Call("freshness", "/api/freshness"),
                new Call("loads", "/api/loads?" + week + "&granularity=hour"));
    }

    private double[] time(URI uri) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build();
        double[] ms = new double[calls];
        for (int i = -1; i < calls; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long took = System.nanoTime() - start;
            if (r.statusCode() != 200) {
                throw CommandException.failure(uri + " answered " + r.statusCode() + ": " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            if (i >= 0) {
                ms[i] = took / 1e6;
            }
        }
        return ms;
    }

    private double[] pageLoads(URI url) throws IOException, InterruptedException {
        double[] ms = new double[pageLoads];
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            for (int i = 0; i < pageLoads; i++) {
                ms[i] = chromium.timeMarks(url, List.of("eventpipe:drawn:counts"), Duration.ofSeconds(60))[0];
            }
        }
        return ms;
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /**
     * {@code n} events in time order over {@link #days} days up to {@code now}, with the pipeline's
     * clocks a few seconds after each, and a ledger of files of 10,000 rows, as loads would leave them.
     */
    private void build(Path file, long n, Instant now) throws Exception {
        try (Warehouse w = Adapters.duckDb(file)) {
            w.ensureSchema();
        }
        long startMicros = ChronoUnit.MICROS.between(Instant.EPOCH, now.minus(Duration.ofDays(days)));
        long stepMicros = Duration.ofDays(days).toNanos() / 1_000 / n;
        StringBuilder event = new StringBuilder("CASE");
        int upTo = 0;
        for (int k = 0; k < EVENTS.size(); k++) {
            upTo += WEIGHTS[k];
            event.append(" WHEN h < ").append(upTo).append(" THEN '").append(EVENTS.get(k)).append('\'');
        }
        event.append(" END");
        String ts = "TIMESTAMP '1970-01-01 00:00:00' + to_microseconds(CAST(? + i * ? AS BIGINT))";
        String devices = Long.toString(Math.max(10, n / rowsPerDevice));
        String sql = "INSERT INTO events (id, anonymous_id, \"event\", \"timestamp\", sent_at, received_at, context_device_type,"
                + " queued_at, consumed_at, loaded_at, source_file)"
                + " SELECT 'bench-' || i, 'device-' || d, " + event + ", t, t + INTERVAL 1 SECOND, t + INTERVAL 2 SECOND,"
                + " ['" + String.join("', '", PLATFORMS) + "'][1 + CAST(d % " + PLATFORMS.size() + " AS INTEGER)],"
                + " t + INTERVAL 2 SECOND, t + INTERVAL 3 SECOND, t + INTERVAL 5 MINUTE, 'bench/' || (i // 10000)"
                + " FROM (SELECT i, " + ts + " AS t, hash(i) % " + devices + " AS d, hash(i * 7 + 1) % 100 AS h FROM range(?) r(i))";
        String ledger = "INSERT INTO eventpipe_loaded_files (file_key, row_count, duplicates_skipped, loaded_at)"
                + " SELECT 'bench/' || f, 10000, 0, " + ts.replace("i * ?", "f * 10000 * ?") + " + INTERVAL 5 MINUTE FROM range(?) r(f)";
        try (Connection c = DuckDbFiles.open(file.toAbsolutePath().normalize(), new Properties())) {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setLong(1, startMicros);
                st.setLong(2, stepMicros);
                st.setLong(3, n);
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement(ledger)) {
                st.setLong(1, startMicros);
                st.setLong(2, stepMicros);
                st.setLong(3, (n + 9_999) / 10_000);
                st.executeUpdate();
            }
            try (var st = c.createStatement()) {
                // The rows went in by SQL, not by loads: count them into the summaries the loads keep, as a migration would.
                var duckdb = new dev.eventpipe.warehouse.dialect.DuckDbDialect(file);
                st.execute(dev.eventpipe.warehouse.Schema.hourlyBackfill(duckdb));
                for (String statement : dev.eventpipe.warehouse.DeviceActivity.backfill(duckdb)) {
                    st.execute(statement);
                }
                st.execute("CHECKPOINT");
            }
        }
    }
}
