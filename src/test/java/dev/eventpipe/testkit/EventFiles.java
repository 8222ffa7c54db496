package dev.eventpipe.testkit;

import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.NdjsonGzip;
import dev.eventpipe.store.ObjectStore;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

/** Writes event files as the consumer does, for loader tests. */
public final class EventFiles {

    private static final EventCodec CODEC = new EventCodec(32_768);

    private EventFiles() {
    }

    public static List<Event> events(int count, long seed) {
        return Generator.sample(count, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 300, 0.4, 0.6, 1L, seed, 32_768),
                Clock.systemUTC());
    }

    /** Writes {@code events} as one incoming file and returns its key. */
    public static String write(ObjectStore store, String writer, long seq, List<Event> events) {
        LocalDate date = events.isEmpty() ? LocalDate.of(2026, 11, 24) : events.get(0).date();
        String key = DfsLayout.incomingKey(date, writer, seq);
        store.put(key, NdjsonGzip.of(1, events.stream().map(CODEC::toFileLine).toList()));
        return key;
    }

    /** Writes raw bytes as an incoming file (for broken files) and returns its key. */
    public static String writeRaw(ObjectStore store, String name, byte[] data) {
        String key = DfsLayout.INCOMING + "dt=2026-11-24/" + name + DfsLayout.SUFFIX;
        store.put(key, data);
        return key;
    }
}
