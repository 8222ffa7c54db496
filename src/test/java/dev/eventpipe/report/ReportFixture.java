package dev.eventpipe.report;

import dev.eventpipe.config.ReportSettings;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventField;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.testkit.EventFiles;
import dev.eventpipe.testkit.MutableClock;
import dev.eventpipe.warehouse.JdbcWarehouse;
import dev.eventpipe.warehouse.Loader;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongConsumer;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

/** A real DuckDB warehouse with a known dataset, and helpers to read charts back. */
final class ReportFixture {

    /** The report's "now" in these tests: a Tuesday afternoon, not on an hour boundary. */
    static final Instant NOW = Instant.parse("2026-11-24T15:42:10Z");
    static final String QUOTED = "it's \"quoted\"";
    static final String HOSTILE = "<script>alert('x')</script>";
    static final List<String> PLATFORMS = List.of("android", "ios", "web");
    static final LongConsumer IGNORE = n -> { };

    private ReportFixture() {
    }

    /** A DuckDB file warehouse, as {@code DuckDbWarehouseIT.duckDb} builds it. */
    static Warehouse duckDb(Path file) {
        return new JdbcWarehouse(new DuckDbDialect(file), () -> DriverManager.getConnection("jdbc:duckdb:" + file), "duckdb " + file);
    }

    static ReportSettings settings(Path out, int days) {
        return new ReportSettings(out, 8080, days, 640, 320);
    }

    static Event event(String id, String device, String name, Instant timestamp, String platform, Instant receivedAt) {
        return Event.builder()
                .set(EventField.ID, id)
                .set(EventField.ANONYMOUS_ID, device)
                .set(EventField.EVENT, name)
                .set(EventField.TIMESTAMP, timestamp)
                .set(EventField.SENT_AT, timestamp.plusSeconds(1))
                .set(EventField.RECEIVED_AT, receivedAt)
                .set(EventField.CONTEXT_DEVICE_TYPE, platform)
                .build();
    }

    /**
     * {@code count} events over the 10 days up to {@link #NOW} (so some fall before a 7-day window),
     * none after it, on 30 devices and three platforms, with the funnel events, an event name with
     * quotes, and one event exactly at the start of tomorrow, which no chart may count.
     */
    static List<Event> dataset(int count, long seed) {
        Random random = new Random(seed);
        List<String> names = List.of("registration_initiated", "registration_initiated", "submission_success", "app_open",
                "app_open", "app_open", QUOTED);
        long span = Duration.ofDays(10).toSeconds();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant ts = NOW.minusSeconds(120 + random.nextLong(span));
            String platform = PLATFORMS.get(random.nextInt(PLATFORMS.size()));
            String device = platform + "-device-" + random.nextInt(10);
            events.add(event("e" + i, device, names.get(random.nextInt(names.size())), ts, platform,
                    ts.plusSeconds(2 + random.nextInt(60))));
        }
        events.add(event("tomorrow", "ios-device-1", "registration_initiated", Instant.parse("2026-11-25T00:00:00Z"), "ios",
                NOW.minusSeconds(90)));
        return events;
    }

    /** Writes {@code events} as files of {@code perFile} events each, numbered from {@code seq}; returns the files written. */
    static int writeFiles(ObjectStore store, List<Event> events, int perFile, int seq) {
        int files = 0;
        for (int from = 0; from < events.size(); from += perFile) {
            EventFiles.write(store, "report-test", seq + files, events.subList(from, Math.min(events.size(), from + perFile)));
            files++;
        }
        return files;
    }

    /** One load pass at {@code at} of everything in incoming/. */
    static void load(Warehouse warehouse, ObjectStore store, Instant at) {
        new Loader(warehouse, store, 50, new MutableClock(at)).run(IGNORE, IGNORE);
    }

    /** A chart's series as name -> values. */
    static Map<String, List<Double>> series(CategoryChart chart) {
        Map<String, List<Double>> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, CategorySeries> s : chart.getSeriesMap().entrySet()) {
            out.put(s.getKey(), s.getValue().getYData().stream().map(Number::doubleValue).toList());
        }
        return out;
    }

    /** A chart's category labels. */
    static List<String> categories(CategoryChart chart) {
        return chart.getSeriesMap().values().iterator().next().getXData().stream().map(Object::toString).toList();
    }
}
