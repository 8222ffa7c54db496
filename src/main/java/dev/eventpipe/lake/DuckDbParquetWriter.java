package dev.eventpipe.lake;

import dev.eventpipe.event.EventField;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one lake Parquet file from archived NDJSON-gzip files with DuckDB's own Parquet writer
 * (bundled in the JDBC driver, works offline): the rows sorted by {@code timestamp}, zstd, in
 * {@link LakeSchema}'s columns and types. Each event id is written once: a repeat inside the
 * sources, or an id already in {@code earlier} Parquet files of the same day, is left out.
 *
 * <p>The JSON is parsed once, straight into a Parquet file; one aggregate over that file's {@code id}
 * and {@code source_file} columns (columnar, so a small fraction of the parse) then gives the
 * repeats, the ids already in earlier files, the rows of unknown source and the rows per source.
 * Only when some ids repeat, or are already in earlier files, is the file rewritten without them.
 * An at-least-once queue makes repeats rare, so most files are written once, and their rows per
 * source are those of the first pass. An in-memory DuckDB per file, with a memory limit and a spill
 * folder, so a large day sorts on disk instead of failing.
 */
final class DuckDbParquetWriter {

    private static final Logger log = LoggerFactory.getLogger(DuckDbParquetWriter.class);

    /**
     * DuckDB's memory for one file, above which the sort spills to {@code spill}: a quarter of the
     * machine's memory (as the JVM sees it, so a container's limit), 1 GB at least. The sort holds
     * about 1.1 GB per million events; squeezed under the 1 GB this once was, a million-event day
     * took 0.6 to 1 s longer (bench compact, 2026-11-26). A quarter leaves the rest to the JVM and a
     * DuckDB warehouse in the same process (DuckDB's own default is 80%).
     */
    static final long MEMORY_LIMIT_BYTES = memoryLimit(
            ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize());

    /** A quarter of {@code machineBytes}, 1 GiB at least. */
    static long memoryLimit(long machineBytes) {
        return Math.max(1L << 30, machineBytes / 4);
    }

    /** An archived file, readable at {@code path} on this machine. */
    record LocalSource(String key, Path path) {
    }

    /** What was written: rows per source key (every source, 0 when all its rows were repeats) and in all. */
    record Written(long rows, long rowsRead, Map<String, Long> rowsPerSource) {
    }

    private final Path spill;

    /** @param spill a folder for DuckDB's temporary files (a sort larger than memory) */
    DuckDbParquetWriter(Path spill) {
        this.spill = spill;
    }

    /**
     * Writes {@code target} from {@code sources}.
     *
     * @param earlier Parquet files already in the day's lake, whose ids are left out
     * @throws SQLException when DuckDB cannot read a source or write the file (nothing is at {@code target} then)
     */
    Written write(List<LocalSource> sources, List<Path> earlier, Path target) throws SQLException, IOException {
        Path first = target.resolveSibling(target.getFileName() + ".unchecked");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET memory_limit = '" + MEMORY_LIMIT_BYTES / (1 << 20) + "MiB'");
            st.execute("SET temp_directory = " + literal(spill.toString()));
            long t0 = System.nanoTime();
            long read = st.executeUpdate("COPY (" + select(sources) + " ORDER BY " + LakeSchema.quoted("timestamp") + ") TO "
                    + literal(first.toString()) + " " + FORMAT);
            long t1 = System.nanoTime();
            String written = "read_parquet(" + literal(first.toString()) + ")";
            String id = LakeSchema.quoted(EventField.ID.jsonName());
            String earlierIds = earlier.isEmpty() ? null
                    : "SELECT " + id + " FROM read_parquet(" + list(earlier.stream().map(Path::toString).toList()) + ")";
            Tally tally = tally(st, written, earlierIds);
            if (tally.unnamed() > 0) {
                throw new SQLException(tally.unnamed() + " rows read from a file DuckDB named otherwise than it was given");
            }
            long t2 = System.nanoTime();
            Map<String, Long> perSource = tally.perSource();
            if (tally.distinctIds() == read && tally.inEarlier() == 0) {
                Files.move(first, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                // Of each repeated id, the row of the first source (by key) stays, as the loader keeps the first load's.
                String notEarlier = earlierIds == null ? "" : " WHERE " + id + " NOT IN (" + earlierIds + ")";
                st.executeUpdate("COPY (SELECT * FROM " + written + notEarlier + " QUALIFY row_number() OVER (PARTITION BY " + id
                        + " ORDER BY " + LakeSchema.SOURCE_FILE + ") = 1 ORDER BY " + LakeSchema.quoted("timestamp") + ") TO "
                        + literal(target.toString()) + " " + FORMAT);
                perSource = tally(st, "read_parquet(" + literal(target.toString()) + ")", null).perSource();
            }
            long t3 = System.nanoTime();
            Map<String, Long> byKey = new HashMap<>();
            for (LocalSource s : sources) {
                byKey.put(s.key(), perSource.getOrDefault(dev.eventpipe.store.DfsLayout.incomingKeyOf(s.key()), 0L));
            }
            long rows = byKey.values().stream().mapToLong(Long::longValue).sum();
            log.debug("parquet: {} rows read and sorted in {} ms, checked in {} ms, {} rows kept in {} ms", read, ms(t1 - t0),
                    ms(t2 - t1), rows, ms(t3 - t2));
            return new Written(rows, read, byKey);
        } finally {
            Files.deleteIfExists(first);
        }
    }

    /**
     * What one pass over a written file's {@code id} and {@code source_file} columns tells.
     *
     * @param distinctIds different ids among them
     * @param unnamed     rows whose source is none of the files given
     * @param inEarlier   rows whose id is in the earlier files (0 when there are none)
     * @param perSource   rows per source, by its incoming key
     */
    private record Tally(long distinctIds, long unnamed, long inEarlier, Map<String, Long> perSource) {
    }

    private static Tally tally(Statement st, String file, String earlierIds) throws SQLException {
        String id = LakeSchema.quoted(EventField.ID.jsonName());
        String inEarlier = earlierIds == null ? "0" : "count(*) FILTER (WHERE " + id + " IN (" + earlierIds + "))";
        // histogram(): a map of each source_file to its rows (NULLs left out, hence the unnamed count beside it).
        try (ResultSet rs = st.executeQuery("SELECT count(DISTINCT " + id + "), count(*) - count(" + LakeSchema.SOURCE_FILE + "), "
                + inEarlier + ", histogram(" + LakeSchema.SOURCE_FILE + ") FROM " + file)) {
            rs.next();
            Map<String, Long> perSource = new HashMap<>();
            Object histogram = rs.getObject(4);
            if (histogram != null) {
                ((Map<?, ?>) histogram).forEach((k, n) -> perSource.put((String) k, ((Number) n).longValue()));
            }
            return new Tally(rs.getLong(1), rs.getLong(2), rs.getLong(3), perSource);
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static final String FORMAT = "(FORMAT parquet, COMPRESSION zstd)";

    /**
     * Every row of the sources in the lake's columns, each tagged with its source key: read_ndjson's
     * {@code filename} joined to the (path, key) pairs made here. The key is the file's incoming key
     * (as the warehouse's {@code source_file}), not its archive key.
     */
    static String select(List<LocalSource> sources) {
        StringBuilder cols = new StringBuilder();
        StringBuilder types = new StringBuilder();
        for (LakeSchema.Column col : LakeSchema.columns()) {
            if (col.name().equals(LakeSchema.SOURCE_FILE)) {
                continue;
            }
            cols.append("r.").append(LakeSchema.quoted(col.name())).append(", ");
            types.append(types.isEmpty() ? "" : ", ").append(literal(col.name())).append(": ")
                    .append(literal(LakeSchema.duckDbType(col.type())));
        }
        String pairs = sources.stream().map(s -> "(" + literal(s.path().toAbsolutePath().toString()) + ", "
                + literal(dev.eventpipe.store.DfsLayout.incomingKeyOf(s.key())) + ")").collect(Collectors.joining(", "));
        return "SELECT " + cols + "k.file_key AS " + LakeSchema.SOURCE_FILE + " FROM read_ndjson("
                + list(sources.stream().map(s -> s.path().toAbsolutePath().toString()).toList()) + ", columns = {" + types
                + "}, format = 'newline_delimited', compression = 'gzip', filename = true) r LEFT JOIN (VALUES " + pairs
                + ") k(path, file_key) ON r.filename = k.path";
    }

    private static String list(List<String> paths) {
        return "[" + paths.stream().map(DuckDbParquetWriter::literal).collect(Collectors.joining(", ")) + "]";
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
