package dev.eventpipe.lake;

import dev.eventpipe.event.EventField;
import java.io.IOException;
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

/**
 * Writes one lake Parquet file from archived NDJSON-gzip files with DuckDB's own Parquet writer
 * (bundled in the JDBC driver, works offline): the rows sorted by {@code timestamp}, zstd, in
 * {@link LakeSchema}'s columns and types. Each event id is written once: a repeat inside the
 * sources, or an id already in {@code earlier} Parquet files of the same day, is left out.
 *
 * <p>The JSON is parsed once, straight into a Parquet file; the repeats are then looked for in that
 * file's {@code id} column (columnar, so a small fraction of the parse), and only when there are any
 * is the file rewritten without them. An at-least-once queue makes repeats rare, so most files are
 * written once. An in-memory DuckDB per file, with a memory limit and a spill folder, so a large
 * day sorts on disk instead of failing.
 */
final class DuckDbParquetWriter {

    /** DuckDB's memory for one file; above it the sort spills to {@code spill}. */
    static final String MEMORY_LIMIT = "1GB";

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
            st.execute("SET memory_limit = '" + MEMORY_LIMIT + "'");
            st.execute("SET temp_directory = " + literal(spill.toString()));
            long read = st.executeUpdate("COPY (" + select(sources) + " ORDER BY " + LakeSchema.quoted("timestamp") + ") TO "
                    + literal(first.toString()) + " " + FORMAT);
            String written = "read_parquet(" + literal(first.toString()) + ")";
            long unnamed = scalar(st, "SELECT count(*) FROM " + written + " WHERE " + LakeSchema.SOURCE_FILE + " IS NULL");
            if (unnamed > 0) {
                throw new SQLException(unnamed + " rows read from a file DuckDB named otherwise than it was given");
            }
            String id = LakeSchema.quoted(EventField.ID.jsonName());
            long repeats = scalar(st, "SELECT count(*) - count(DISTINCT " + id + ") FROM " + written);
            String notEarlier = earlier.isEmpty() ? "" : " WHERE " + id + " NOT IN (SELECT " + id + " FROM read_parquet("
                    + list(earlier.stream().map(Path::toString).toList()) + "))";
            long inEarlier = earlier.isEmpty() ? 0 : read - scalar(st, "SELECT count(*) FROM " + written + notEarlier);
            if (repeats == 0 && inEarlier == 0) {
                Files.move(first, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                // Of each repeated id, the row of the first source (by key) stays, as the loader keeps the first load's.
                st.executeUpdate("COPY (SELECT * FROM " + written + notEarlier + " QUALIFY row_number() OVER (PARTITION BY " + id
                        + " ORDER BY " + LakeSchema.SOURCE_FILE + ") = 1 ORDER BY " + LakeSchema.quoted("timestamp") + ") TO "
                        + literal(target.toString()) + " " + FORMAT);
            }
            Map<String, Long> perSource = new HashMap<>();
            Map<String, String> byIncomingKey = new HashMap<>();
            for (LocalSource s : sources) {
                perSource.put(s.key(), 0L);
                byIncomingKey.put(dev.eventpipe.store.DfsLayout.incomingKeyOf(s.key()), s.key());
            }
            long rows = 0;
            try (ResultSet rs = st.executeQuery("SELECT " + LakeSchema.SOURCE_FILE + ", count(*) FROM read_parquet("
                    + literal(target.toString()) + ") GROUP BY 1")) {
                while (rs.next()) {
                    perSource.put(byIncomingKey.get(rs.getString(1)), rs.getLong(2));
                    rows += rs.getLong(2);
                }
            }
            return new Written(rows, read, perSource);
        } finally {
            Files.deleteIfExists(first);
        }
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

    private static long scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String list(List<String> paths) {
        return "[" + paths.stream().map(DuckDbParquetWriter::literal).collect(Collectors.joining(", ")) + "]";
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
