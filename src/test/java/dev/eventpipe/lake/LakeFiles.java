package dev.eventpipe.lake;

import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.NdjsonGzip;
import dev.eventpipe.store.ObjectStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Archived event files of a chosen day, and reading the lake back with DuckDB, for the lake's tests. */
public final class LakeFiles {

    private static final EventCodec CODEC = new EventCodec(32_768);

    private LakeFiles() {
    }

    /** {@code count} events of {@code day}, their times spread over the day (a clock that moves on per event). */
    public static List<Event> events(LocalDate day, int count, long seed) {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(60);
        long step = Math.max(1, (86_000_000L - 60_000) / Math.max(1, count));
        Clock stepping = new Clock() {
            private Instant next = start;

            @Override
            public Instant instant() {
                Instant now = next;
                next = next.plusMillis(step);
                return now;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        return Generator.sample(count, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 300, 0.4, 0.6, 1L, seed, 32_768),
                stepping);
    }

    /** Writes {@code events} as one archived file (as the loader leaves it) and returns its key. */
    public static String archive(ObjectStore store, String writer, long seq, List<Event> events) {
        String key = DfsLayout.archiveKey(DfsLayout.incomingKey(events.get(0).date(), writer, seq));
        store.put(key, NdjsonGzip.of(1, events.stream().map(CODEC::toFileLine).toList()));
        return key;
    }

    /** Writes {@code events} as one incoming file (as the consumer writes it) and returns its key. */
    public static String incoming(ObjectStore store, String writer, long seq, List<Event> events) {
        String key = DfsLayout.incomingKey(events.get(0).date(), writer, seq);
        store.put(key, NdjsonGzip.of(1, events.stream().map(CODEC::toFileLine).toList()));
        return key;
    }

    /** The ids of {@code events}. */
    public static List<String> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    /** Runs a query over the lake at {@code root} (a local folder: {@code lake/events/*}{@code /*.parquet} as Hive partitions). */
    public static <T> List<T> query(Path root, String sqlOverLake, RowMapper<T> mapper) throws SQLException {
        String lake = "read_parquet('" + root.resolve("lake/events").toString().replace("'", "''")
                + "/*/*.parquet', hive_partitioning = true)";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sqlOverLake.replace("LAKE", lake))) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        }
    }

    /** Maps one row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A moment well past the end of {@code day} and its grace. */
    public static Instant after(LocalDate day) {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(6));
    }
}
