package dev.eventpipe.report;

import static dev.eventpipe.report.ReportFixture.NOW;
import static dev.eventpipe.report.ReportFixture.QUOTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventField;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every chart's numbers against a real warehouse loaded with a known dataset, compared with the truth
 * computed here in plain Java from the same events; run against each engine (DuckDB always,
 * PostgreSQL where {@code EVENTPIPE_TEST_POSTGRES_URL} is set). The dataset is loaded once per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReportQueriesContract {

    static final int DAYS = 7;
    static final List<String> REPORT_EVENTS = List.of("registration_initiated", "submission_success", QUOTED, "never_sent");
    static final Instant FIRST_LOAD = NOW.minus(Duration.ofHours(30)).minusSeconds(17 * 60);
    static final Instant SECOND_LOAD = NOW.minus(Duration.ofHours(2)).minusSeconds(3 * 60);

    static final int DUPLICATES = 5;

    Warehouse warehouse;
    List<Event> events;
    long firstLoadRows;
    long secondLoadRows;
    int files;
    ReportData data;
    List<ReportChart> charts;
    List<LocalDate> days;

    /** A new, empty warehouse of the engine under test. */
    abstract Warehouse newWarehouse(Path dir) throws Exception;

    void cleanUp() throws Exception {
    }

    @BeforeAll
    void loadTheDatasetAndCollect(@TempDir Path dir) throws Exception {
        warehouse = newWarehouse(dir);
        ObjectStore store = new LocalObjectStore(dir.resolve("dfs"));
        store.ensureReady();
        warehouse.ensureSchema();
        events = new ArrayList<>(ReportFixture.dataset(900, 7));
        // Rows of the first load predate the pipeline's stamps (NULL); the second load's were queued 3 s after
        // the client says it sent them (received_at) and consumed 2 s later.
        for (int i = 500; i < events.size(); i++) {
            Instant queued = ((Instant) events.get(i).get(EventField.RECEIVED_AT)).plusSeconds(3);
            events.set(i, events.get(i).stamped(queued, queued.plusSeconds(2)));
        }
        List<Event> first = events.subList(0, 500);
        List<Event> second = new ArrayList<>(events.subList(500, events.size()));
        // Redelivered events: same ids, loaded again in the second pass and skipped there.
        second.addAll(events.subList(0, DUPLICATES));
        files = ReportFixture.writeFiles(store, first, 120, 1);
        ReportFixture.load(warehouse, store, FIRST_LOAD);
        files += ReportFixture.writeFiles(store, second, 120, 100);
        ReportFixture.load(warehouse, store, SECOND_LOAD);
        firstLoadRows = first.size();
        secondLoadRows = second.size();

        Reporter reporter = new Reporter(warehouse, store, ReportFixture.settings(dir.resolve("out"), DAYS), REPORT_EVENTS,
                Clock.fixed(NOW, ZoneOffset.UTC));
        data = reporter.collect();
        charts = reporter.charts(data);
        days = new ArrayList<>();
        for (int i = DAYS - 1; i >= 0; i--) {
            days.add(LocalDate.of(2026, 11, 24).minusDays(i));
        }
    }

    @AfterAll
    void close() throws Exception {
        if (warehouse != null) {
            warehouse.close();
        }
        cleanUp();
    }

    static LocalDate day(Event e) {
        return LocalDate.ofInstant(e.timestamp(), ZoneOffset.UTC);
    }

    static String platform(Event e) {
        return (String) e.get(EventField.CONTEXT_DEVICE_TYPE);
    }

    static String device(Event e) {
        return (String) e.get(EventField.ANONYMOUS_ID);
    }

    boolean inWindow(Event e) {
        return days.contains(day(e));
    }

    /** platform -> day -> count, zero counts left out. */
    static Map<String, Map<LocalDate, Long>> nonZero(DailyCounts counts) {
        Map<String, Map<LocalDate, Long>> out = new TreeMap<>();
        counts.series().forEach((platform, values) -> {
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) != 0) {
                    out.computeIfAbsent(platform, p -> new TreeMap<>()).put(counts.days().get(i), values.get(i));
                }
            }
        });
        return out;
    }

    ReportChart chart(String name) {
        return charts.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theWindowIsTheLastSevenUtcDaysEndingToday() {
        assertThat(data.window().days()).isEqualTo(days);
        assertThat(data.window().today()).isEqualTo(LocalDate.of(2026, 11, 24));
        assertThat(events).anyMatch(e -> day(e).isBefore(days.get(0)));
    }

    @Test
    void dailyCountsPerPlatformOfEachReportEventEqualTheTruth() {
        assertThat(data.perEvent().keySet()).containsExactlyElementsOf(REPORT_EVENTS);
        for (String name : REPORT_EVENTS) {
            Map<String, Map<LocalDate, Long>> truth = new TreeMap<>();
            events.stream().filter(e -> e.name().equals(name) && inWindow(e)).forEach(e -> truth
                    .computeIfAbsent(platform(e), p -> new TreeMap<>()).merge(day(e), 1L, Long::sum));
            DailyCounts counts = data.perEvent().get(name);
            assertThat(counts.days()).isEqualTo(days);
            assertThat(nonZero(counts)).as(name).isEqualTo(truth);
        }
        assertThat(data.perEvent().get("registration_initiated").series().keySet()).containsExactly("android", "ios", "web");
    }

    @Test
    void anEventNameWithQuotesIsBoundAndCounted() {
        long truth = events.stream().filter(e -> e.name().equals(QUOTED) && inWindow(e)).count();
        assertThat(truth).isPositive();
        long counted = data.perEvent().get(QUOTED).series().values().stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
        assertThat(counted).isEqualTo(truth);
        assertThat(data.perEvent().get("never_sent").series()).isEmpty();
    }

    @Test
    void eachReportEventsChartHasOneBarSeriesPerPlatformWithEveryDay() {
        Map<String, String> names = ChartNames.forEvents(REPORT_EVENTS);
        for (String name : REPORT_EVENTS) {
            ReportChart chart = chart(names.get(name));
            DailyCounts counts = data.perEvent().get(name);
            assertThat(ReportFixture.categories(chart.chart())).hasSize(DAYS).first().isEqualTo("11-18");
            Map<String, List<Double>> expected = new TreeMap<>();
            counts.series().forEach((p, v) -> expected.put(p, v.stream().map(Long::doubleValue).toList()));
            if (expected.isEmpty()) {
                expected.put(ChartRenderer.NO_DATA, Collections.nCopies(DAYS, 0.0));
            }
            assertThat(new TreeMap<>(ReportFixture.series(chart.chart()))).isEqualTo(expected);
        }
        assertThat(chart("daily-it-s-quoted").title()).contains(QUOTED);
    }

    @Test
    void dailyActiveDevicesPerPlatformAreDistinctDevicesOfThatDay() {
        Map<String, Map<LocalDate, Set<String>>> devices = new TreeMap<>();
        events.stream().filter(this::inWindow).forEach(e -> devices
                .computeIfAbsent(platform(e), p -> new TreeMap<>()).computeIfAbsent(day(e), d -> new TreeSet<>()).add(device(e)));
        Map<String, Map<LocalDate, Long>> truth = new TreeMap<>();
        devices.forEach((p, byDay) -> byDay.forEach((d, set) -> truth.computeIfAbsent(p, x -> new TreeMap<>()).put(d, (long) set.size())));
        assertThat(nonZero(data.activeDevices())).isEqualTo(truth);
        Map<String, List<Double>> plotted = ReportFixture.series(chart(ChartNames.ACTIVE_DEVICES).chart());
        assertThat(plotted.keySet()).containsExactlyInAnyOrderElementsOf(truth.keySet());
        truth.forEach((p, byDay) -> byDay.forEach((d, n) -> assertThat(plotted.get(p).get(days.indexOf(d))).isEqualTo((double) n)));
    }

    @Test
    void funnelConversionIsSuccessesOverRegistrationsPerDay() {
        List<Double> expected = new ArrayList<>();
        for (LocalDate d : days) {
            long started = events.stream().filter(e -> day(e).equals(d) && e.name().equals("registration_initiated")).count();
            long done = events.stream().filter(e -> day(e).equals(d) && e.name().equals("submission_success")).count();
            assertThat(data.funnel().started().get(days.indexOf(d))).isEqualTo(started);
            assertThat(data.funnel().completed().get(days.indexOf(d))).isEqualTo(done);
            expected.add(started == 0 ? 0.0 : 100.0 * done / started);
        }
        assertThat(ReportFixture.series(chart(ChartNames.FUNNEL).chart()).values().iterator().next())
                .usingComparatorForType(Comparator.comparingDouble(x -> Math.round(x * 1e9)), Double.class)
                .containsExactlyElementsOf(expected);
        assertThat(data.headline().conversionToday()).isCloseTo(expected.get(DAYS - 1), offset(1e-9));
    }

    @Test
    void eventsPerHourCoverTheLast48HoursEndingWithTheCurrentHour() {
        Instant currentHour = NOW.truncatedTo(ChronoUnit.HOURS);
        Instant first = currentHour.minus(Duration.ofHours(47));
        Map<Instant, Long> truth = events.stream()
                .filter(e -> !e.timestamp().isBefore(first) && e.timestamp().isBefore(currentHour.plus(Duration.ofHours(1))))
                .collect(Collectors.groupingBy(e -> e.timestamp().truncatedTo(ChronoUnit.HOURS), TreeMap::new, Collectors.counting()));
        HourlyCounts hourly = data.eventsPerHour();
        assertThat(hourly.hours()).hasSize(48).startsWith(first).endsWith(currentHour);
        for (Instant h : hourly.hours()) {
            assertThat(hourly.count(h)).as(h.toString()).isEqualTo(truth.getOrDefault(h, 0L));
        }
        assertThat(hourly.total()).isEqualTo(truth.values().stream().mapToLong(Long::longValue).sum()).isPositive();
        List<Double> plotted = ReportFixture.series(chart(ChartNames.EVENTS_PER_HOUR).chart()).values().iterator().next();
        assertThat(plotted).containsExactlyElementsOf(hourly.counts().stream().map(Long::doubleValue).toList());
        assertThat(ReportFixture.categories(chart(ChartNames.EVENTS_PER_HOUR).chart())).endsWith("11-24 15:00");
    }

    @Test
    void headlineNumbersEqualTheTruth() {
        LocalDate today = LocalDate.of(2026, 11, 24);
        Headline h = data.headline();
        assertThat(h.eventsTotal()).isEqualTo(events.size());
        assertThat(h.eventsToday()).isEqualTo(events.stream().filter(e -> day(e).equals(today)).count());
        assertThat(h.activeDevicesToday()).isEqualTo(events.stream().filter(e -> day(e).equals(today))
                .map(ReportQueriesContract::device).distinct().count());
        Instant newest = events.stream().map(this::arrival).max(Comparator.naturalOrder()).orElseThrow();
        assertThat(newest).isAfter(SECOND_LOAD);
        assertThat(h.newestArrival()).isEqualTo(newest);
        assertThat(h.freshnessLag()).isEqualTo(Duration.between(newest, NOW));
        assertThat(h.rowsLoaded()).isEqualTo(firstLoadRows + secondLoadRows);
        assertThat(h.duplicatesSkipped()).isEqualTo(DUPLICATES);
        assertThat(h.filesLoaded()).isEqualTo(files);
        assertThat(h.lastLoad()).isEqualTo(SECOND_LOAD);
    }

    /** When the row of {@code e} reached the pipeline: queued, else consumed, else the load that stored it. */
    Instant arrival(Event e) {
        if (e.get(EventField.QUEUED_AT) != null) {
            return (Instant) e.get(EventField.QUEUED_AT);
        }
        if (e.get(EventField.CONSUMED_AT) != null) {
            return (Instant) e.get(EventField.CONSUMED_AT);
        }
        return events.indexOf(e) < 500 ? FIRST_LOAD : SECOND_LOAD;
    }

    @Test
    void freshnessChartShowsRowsLoadedPerHourOfLoadTime() {
        HourlyCounts loaded = data.rowsLoadedPerHour();
        assertThat(loaded.count(FIRST_LOAD.truncatedTo(ChronoUnit.HOURS))).isEqualTo(firstLoadRows);
        assertThat(loaded.count(SECOND_LOAD.truncatedTo(ChronoUnit.HOURS))).isEqualTo(secondLoadRows);
        assertThat(loaded.total()).isEqualTo(firstLoadRows + secondLoadRows);
        ReportChart chart = chart(ChartNames.FRESHNESS);
        assertThat(ReportFixture.series(chart.chart()).values().iterator().next())
                .containsExactlyElementsOf(loaded.counts().stream().map(Long::doubleValue).toList());
        assertThat(chart.title()).contains(Formats.duration(data.headline().freshnessLag())).contains(Formats.time(SECOND_LOAD));
    }
}
