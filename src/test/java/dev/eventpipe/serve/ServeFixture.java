package dev.eventpipe.serve;

import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventField;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.NdjsonGzip;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.testkit.EventFiles;
import dev.eventpipe.testkit.MutableClock;
import dev.eventpipe.warehouse.Loader;
import dev.eventpipe.warehouse.Warehouse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A known dataset for the dashboard's tests, loaded into a real warehouse through the real loader:
 * 60 devices on three platforms over the 20 days up to {@link #NOW}, each going through
 * app_open, registration_initiated, submission_success and purchase_completed with gaps from a
 * minute to two days, so a funnel's window decides who converts. Names with quotes and markup, an
 * event exactly at the start of a day, and one at the start of tomorrow are in it too.
 */
final class ServeFixture {

    /** The dashboard's "now": a Tuesday afternoon. */
    static final Instant NOW = Instant.parse("2026-11-24T15:42:10Z");
    static final LocalDate TODAY = LocalDate.parse("2026-11-24");
    static final Instant FIRST_LOAD = NOW.minus(Duration.ofHours(26)).minusSeconds(17 * 60);
    static final Instant SECOND_LOAD = NOW.minus(Duration.ofHours(2)).minusSeconds(3 * 60);
    static final String QUOTED = "it's \"quoted\", really";
    static final String MARKUP = "<img src=x onerror=alert(1)>";
    static final List<String> PLATFORMS = List.of("android", "ios", "web");
    static final List<String> FUNNEL = List.of("app_open", "registration_initiated", "submission_success", "purchase_completed");
    static final LoadSchedule SCHEDULE = new LoadSchedule("*/5 * * * *", ZoneId.of("UTC"));

    private ServeFixture() {
    }

    static Event event(String id, String device, String platform, String name, Instant ts) {
        return Event.builder()
                .set(EventField.ID, id)
                .set(EventField.ANONYMOUS_ID, device)
                .set(EventField.EVENT, name)
                .set(EventField.TIMESTAMP, ts)
                .set(EventField.SENT_AT, ts.plusSeconds(1))
                .set(EventField.RECEIVED_AT, ts.plusSeconds(2))
                .set(EventField.CONTEXT_DEVICE_TYPE, platform)
                .build();
    }

    static List<Event> dataset(long seed) {
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>();
        long[] gaps = {60, 600, 3_000, 7_200, 40_000, 100_000, 170_000};
        int n = 0;
        for (int d = 0; d < 60; d++) {
            String platform = d < 30 ? "android" : d < 50 ? "ios" : "web";
            String device = "device-" + d;
            int visits = 1 + random.nextInt(4);
            for (int v = 0; v < visits; v++) {
                Instant t = NOW.minusSeconds(600 + random.nextInt(20 * 86_400));
                for (String step : FUNNEL) {
                    if (t.isAfter(NOW)) {
                        break;
                    }
                    events.add(event("e" + n++, device, platform, step, t));
                    if (random.nextInt(10) < 3) {
                        break;
                    }
                    t = t.plusSeconds(gaps[random.nextInt(gaps.length)] + random.nextInt(60));
                }
                if (random.nextInt(4) == 0) {
                    events.add(event("e" + n++, device, platform, QUOTED, NOW.minusSeconds(random.nextInt(10 * 86_400))));
                }
                if (random.nextInt(6) == 0) {
                    events.add(event("e" + n++, device, platform, MARKUP, NOW.minusSeconds(random.nextInt(10 * 86_400))));
                }
            }
        }
        events.add(event("start-of-day", "device-1", "android", "app_open", Instant.parse("2026-11-11T00:00:00Z")));
        events.add(event("tomorrow", "device-2", "android", "app_open", Instant.parse("2026-11-25T00:00:00Z")));
        return events;
    }

    /**
     * Loads {@code events} in two passes: the first {@code split} rows as if loaded before the pipeline
     * stamped its clocks (null), the rest as the queue and the consumer stamp them, by their own clocks
     * shortly before the second load (never by the client's times).
     */
    static void load(Warehouse warehouse, ObjectStore store, List<Event> events, int split) {
        List<Event> stamped = new ArrayList<>(events.subList(0, split));
        int i = 0;
        for (Event e : events.subList(split, events.size())) {
            Instant queued = SECOND_LOAD.minusSeconds(3_600).plusSeconds(i++ % 3_000);
            stamped.add(e.stamped(queued, queued.plusSeconds(2)));
        }
        writeFiles(store, stamped.subList(0, split), 1);
        new Loader(warehouse, store, 50, new MutableClock(FIRST_LOAD)).run(x -> { }, x -> { });
        writeFiles(store, stamped.subList(split, stamped.size()), 100);
        new Loader(warehouse, store, 50, new MutableClock(SECOND_LOAD)).run(x -> { }, x -> { });
        long run = warehouse.jobStarted("load", SECOND_LOAD);
        warehouse.jobFinished(run, SECOND_LOAD.plusSeconds(1), "ok", "2 files, " + (events.size() - split) + " rows");
    }

    /** Files of 100 events, each within one UTC day (as the consumer writes them). */
    private static void writeFiles(ObjectStore store, List<Event> events, int seq) {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(java.util.Comparator.comparing(Event::timestamp));
        List<Event> file = new ArrayList<>();
        for (Event e : sorted) {
            if (!file.isEmpty() && (file.size() == 100 || !file.get(0).date().equals(e.date()))) {
                EventFiles.write(store, "serve-test", seq++, file);
                file = new ArrayList<>();
            }
            file.add(e);
        }
        if (!file.isEmpty()) {
            EventFiles.write(store, "serve-test", seq, file);
        }
    }

    /** Dead-letter records as consumers write them: three rejections (one recorded twice), one replayed and accepted. */
    static void deadLetters(ObjectStore store) {
        LocalDate day = TODAY;
        store.put(DfsLayout.recordsKey(day, "a", 1), NdjsonGzip.of(1, List.of(
                rejected("m1", "0", "invalid_json", "2026-11-24T10:00:00Z"),
                rejected("m2", "0", "bad_timestamp", "2026-11-24T10:00:00Z"),
                rejected("m3", "0", "bad_timestamp", "2026-11-24T10:00:01Z"),
                rejected("m4", "0", "too_large", "2026-11-24T10:00:01Z"))));
        store.put(DfsLayout.recordsKey(day, "b", 1), NdjsonGzip.of(1, List.of(
                rejected("m1", "0", "invalid_json", "2026-11-24T10:05:00Z"),
                "{\"message_id\":\"m4\",\"index\":\"0\",\"status\":\"accepted\",\"at\":\"2026-11-24T11:00:00Z\"}")));
    }

    private static String rejected(String msg, String index, String reason, String at) {
        return "{\"message_id\":\"" + msg + "\",\"index\":\"" + index + "\",\"status\":\"rejected\",\"reason\":\"" + reason
                + "\",\"detail\":\"" + reason + " in <b>body</b>\",\"at\":\"" + at + "\"}";
    }

    /**
     * The funnel worked out in plain Java: per device, its first step-1 event in [start, end), then
     * each later step's first event after the previous step and within the window of the first.
     */
    static long[] funnel(List<Event> events, List<String> steps, Instant start, Instant end, long windowSeconds) {
        java.util.Map<String, List<Event>> byDevice = new java.util.TreeMap<>();
        for (Event e : events) {
            byDevice.computeIfAbsent((String) e.get(EventField.ANONYMOUS_ID), d -> new ArrayList<>()).add(e);
        }
        long[] reached = new long[steps.size()];
        for (List<Event> mine : byDevice.values()) {
            mine.sort(java.util.Comparator.comparing(Event::timestamp));
            Instant first = mine.stream().filter(e -> e.name().equals(steps.get(0)) && !e.timestamp().isBefore(start)
                    && e.timestamp().isBefore(end)).map(Event::timestamp).findFirst().orElse(null);
            if (first == null) {
                continue;
            }
            reached[0]++;
            Instant last = first;
            Instant deadline = first.plusSeconds(windowSeconds);
            for (int k = 1; k < steps.size(); k++) {
                String step = steps.get(k);
                Instant after = last;
                Instant next = mine.stream().filter(e -> e.name().equals(step) && e.timestamp().isAfter(after)
                        && !e.timestamp().isAfter(deadline)).map(Event::timestamp).findFirst().orElse(null);
                if (next == null) {
                    break;
                }
                reached[k]++;
                last = next;
            }
        }
        return reached;
    }

    static Instant startOf(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
