package dev.eventpipe.report;

import static dev.eventpipe.report.ReportFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventField;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freshness is measured with the times the pipeline stamps (queue arrival, consumer receipt, load),
 * never with the times a client sends: a client's clock, or a hostile client, must not move it.
 */
class FreshnessIT {

    /** A client's idea of "now" that no pipeline clock will ever reach. */
    static final Instant YEAR_9999 = Instant.parse("9999-12-31T23:59:59Z");
    static final Instant LOAD = NOW.minusSeconds(300);
    static final Instant NEWEST_QUEUED = NOW.minusSeconds(420);

    @TempDir
    Path dir;

    Warehouse warehouse;
    ObjectStore store;
    int files;

    @BeforeEach
    void createTheWarehouse() {
        warehouse = ReportFixture.duckDb(dir.resolve("w.duckdb"));
        warehouse.ensureSchema();
        store = new LocalObjectStore(dir.resolve("dfs"));
        store.ensureReady();
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /** An ordinary event that the queue accepted at {@code queuedAt} and a consumer received 2 s later. */
    static Event arrived(String id, Instant queuedAt) {
        Instant ts = queuedAt.minusSeconds(30);
        return ReportFixture.event(id, "ios-device-1", "app_open", ts, "ios", ts.plusSeconds(5))
                .stamped(queuedAt, queuedAt.plusSeconds(2));
    }

    /** An event whose client-sent times say year 9999. */
    static Event fromYear9999(String id, Instant queuedAt, boolean timestampToo) {
        Event e = arrived(id, queuedAt);
        return e.toBuilder()
                .set(EventField.TIMESTAMP, timestampToo ? YEAR_9999 : e.timestamp())
                .set(EventField.SENT_AT, YEAR_9999)
                .set(EventField.RECEIVED_AT, YEAR_9999)
                .build();
    }

    private ReportData report(List<Event> events, Instant loadedAt) throws Exception {
        files += ReportFixture.writeFiles(store, events, 1, files + 1);
        ReportFixture.load(warehouse, store, loadedAt);
        return reporter().collect();
    }

    private Reporter reporter() {
        return new Reporter(warehouse, store, ReportFixture.settings(dir.resolve("out"), 7), List.of("app_open"),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void anEventReceivedInYear9999DoesNotMoveTheLagOrTheCounts() throws Exception {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(arrived("e" + i, NEWEST_QUEUED.minusSeconds(60L * i)));
        }
        events.add(fromYear9999("received-9999", NEWEST_QUEUED.minusSeconds(3600), false));
        events.add(fromYear9999("all-9999", NEWEST_QUEUED.minusSeconds(3600), true));

        ReportData data = report(events, LOAD);

        Headline h = data.headline();
        assertThat(h.freshnessLag()).isEqualTo(Duration.between(NEWEST_QUEUED, NOW));
        assertThat(h.eventsTotal()).isEqualTo(22);
        assertThat(h.eventsToday()).isEqualTo(21);
        assertThat(data.eventsPerHour().total()).isEqualTo(21);
        ReportChart freshness = reporter().charts(data).stream().filter(c -> c.name().equals(ChartNames.FRESHNESS))
                .findFirst().orElseThrow();
        assertThat(freshness.title()).contains("lag 7 min 0 s,");

        reporter().run();
        String html = Files.readString(dir.resolve("out/index.html"));
        assertThat(html).contains("<td>7 min 0 s</td>").doesNotContain("9999");
    }

    @Test
    void rowsFromBeforeThePipelineStampedThemCountFromTheirLoad() throws Exception {
        Event unstamped = ReportFixture.event("old", "ios-device-1", "app_open", NOW.minusSeconds(7200), "ios", YEAR_9999);

        Headline h = report(List.of(unstamped), LOAD).headline();

        assertThat(h.newestArrival()).isEqualTo(LOAD);
        assertThat(h.freshnessLag()).isEqualTo(Duration.between(LOAD, NOW));
    }

    @Test
    void aRowWithoutQueueTimeCountsFromItsConsumerReceipt() throws Exception {
        Instant consumed = NOW.minusSeconds(400);
        Event e = arrived("consumed-only", NEWEST_QUEUED).stamped(null, consumed);

        Headline h = report(List.of(e), LOAD).headline();

        assertThat(h.newestArrival()).isEqualTo(consumed);
    }

    @Test
    void aWarehouseLastLoadedDaysAgoStillShowsItsLag() throws Exception {
        Instant queued = NOW.minus(Duration.ofDays(5));
        Event e = arrived("long-ago", queued);

        Headline h = report(List.of(e, fromYear9999("hostile", queued.minusSeconds(3600), false)), NOW.minus(Duration.ofDays(4))).headline();

        assertThat(h.newestArrival()).isEqualTo(queued);
        assertThat(Formats.duration(h.freshnessLag())).isEqualTo("5 d 0 h");
    }

    @Test
    void aRowLoadedLatelyThatArrivedLongAgoDoesNotHideANewerRowLoadedBefore() throws Exception {
        Instant newer = NOW.minus(Duration.ofHours(49));
        report(List.of(arrived("newer", newer)), NOW.minus(Duration.ofHours(48).plusMinutes(30)));
        Headline h = report(List.of(arrived("backlog", NOW.minus(Duration.ofDays(3)))), LOAD).headline();

        assertThat(h.newestArrival()).isEqualTo(newer);
    }

    @Test
    void anEmptyWarehouseHasNoLag() {
        Headline h = reporter().collect().headline();

        assertThat(h.newestArrival()).isNull();
        assertThat(h.freshnessLag()).isNull();
    }
}
