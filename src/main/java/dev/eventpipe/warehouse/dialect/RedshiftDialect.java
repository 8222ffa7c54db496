package dev.eventpipe.warehouse.dialect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipe.event.EventField;
import dev.eventpipe.store.ObjectStore;

import dev.eventpipe.warehouse.Dialect;
import dev.eventpipe.warehouse.Schema;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.WarehouseException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Amazon Redshift: the cluster reads the files from S3 itself. A load writes a manifest of the
 * batch's files next to them, runs {@code COPY ... MANIFEST} into a temporary table, and inserts new
 * ids into {@code events} (distributed on {@code id}, sorted on {@code timestamp}). Rows per file come
 * from {@code stl_load_commits}; COPY cannot tag rows with their file, so {@code source_file} holds the
 * manifest's key and duplicates are counted per batch only.
 *
 * <p>This path is generated and checked as SQL text; it has not been run against a live cluster.
 */
public final class RedshiftDialect implements Dialect {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String iamRole;

    public RedshiftDialect(String iamRole) {
        this.iamRole = iamRole;
    }

    @Override
    public String name() {
        return "redshift";
    }

    /** VARCHAR lengths are bytes in Redshift: four per character leaves room for any UTF-8. */
    @Override
    public String columnType(EventField field) {
        return switch (field.type()) {
            case TEXT -> "VARCHAR(" + Math.min(65535, field.maxLength() * 4) + ")";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_TZ -> "TIMESTAMPTZ";
            case BOOLEAN -> "BOOLEAN";
        };
    }

    @Override
    public String textType() {
        return "VARCHAR(65535)";
    }

    @Override
    public String textType(int chars) {
        return "VARCHAR(" + Math.min(65535, chars * 4) + ")";
    }

    @Override
    public String eventsTableOptions() {
        return " DISTSTYLE KEY DISTKEY (" + quote("id") + ") SORTKEY (" + quote("timestamp") + ")";
    }

    /**
     * PostgreSQL's retriable SQLStates (Redshift's driver reports the same classes), and Redshift's
     * own serializable isolation violation (error 1023), which passes when the other transaction ends.
     */
    @Override
    public boolean isRetriable(SQLException e) {
        if (PostgresDialect.retriableState(e)) {
            return true;
        }
        for (Throwable t : Errors.chain(e)) {
            if (String.valueOf(t.getMessage()).contains("Serializable isolation violation")) {
                return true;
            }
        }
        return false;
    }

    /** The manifest of a batch: every file mandatory, with its size. */
    public String manifest(List<String> s3Urls, Map<String, Long> sizes) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode entries = root.putArray("entries");
        for (String url : s3Urls) {
            ObjectNode e = entries.addObject();
            e.put("url", url);
            e.put("mandatory", true);
            e.putObject("meta").put("content_length", sizes.getOrDefault(url, 0L));
        }
        return root.toString();
    }

    public String createStageSql() {
        return "CREATE TEMP TABLE " + Schema.STAGE + " (" + Schema.stageColumns(this) + ")";
    }

    public String copySql(String manifestUrl) {
        return "COPY " + Schema.STAGE + " FROM " + literal(manifestUrl) + " IAM_ROLE " + literal(iamRole)
                + " FORMAT AS JSON 'auto' GZIP TIMEFORMAT 'auto' MANIFEST";
    }

    public String rowsPerFileSql() {
        return "SELECT TRIM(filename), SUM(lines_scanned) FROM stl_load_commits WHERE query = pg_last_copy_id() GROUP BY 1";
    }

    public String tagStageSql() {
        return "UPDATE " + Schema.STAGE + " SET source_file = ?";
    }

    public String insertSql() {
        return Schema.insertNewSql(this, "?", "source_file");
    }

    public String lockSql() {
        return "LOCK " + Schema.LEDGER;
    }

    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    @Override
    public LoadedRows loadFiles(Connection c, List<String> fileKeys, ObjectStore store, Timestamp loadedAt) throws SQLException {
        Map<String, Long> rows = stage(c, fileKeys, store);
        try (PreparedStatement ps = c.prepareStatement(insertSql())) {
            ps.setTimestamp(1, loadedAt);
            ps.executeUpdate();
        }
        // COPY cannot tag rows with their file: rows inserted are known per batch only.
        return new LoadedRows(rows, null);
    }

    private Map<String, Long> stage(Connection c, List<String> fileKeys, ObjectStore store) throws SQLException {
        Map<String, String> keyByUrl = new HashMap<>();
        Map<String, Long> sizes = new HashMap<>();
        for (String key : fileKeys) {
            String url = store.s3Url(key).orElseThrow(() -> new WarehouseException(
                    "Redshift loads files from S3: set [dfs] type = s3", null));
            keyByUrl.put(url, key);
        }
        try (var listed = store.list(commonPrefix(fileKeys))) {
            listed.filter(o -> fileKeys.contains(o.key()))
                    .forEach(o -> sizes.put(store.s3Url(o.key()).orElseThrow(), o.size()));
        }
        String manifestKey = "manifests/load-" + UUID.randomUUID() + ".manifest";
        store.put(manifestKey, manifest(List.copyOf(keyByUrl.keySet()), sizes).getBytes(StandardCharsets.UTF_8));
        try (Statement st = c.createStatement()) {
            st.execute(createStageSql());
            st.execute(copySql(store.s3Url(manifestKey).orElseThrow()));
        }
        Map<String, Long> rows = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(rowsPerFileSql())) {
            while (rs.next()) {
                String key = keyByUrl.get(rs.getString(1));
                if (key != null) {
                    rows.merge(key, rs.getLong(2), Long::sum);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(tagStageSql())) {
            ps.setString(1, manifestKey);
            ps.executeUpdate();
        }
        store.delete(manifestKey);
        return rows;
    }

    private static String commonPrefix(List<String> keys) {
        String p = keys.get(0);
        for (String k : keys) {
            while (!k.startsWith(p)) {
                p = p.substring(0, p.length() - 1);
            }
        }
        return p;
    }

    @Override
    public void lockLedger(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(lockSql());
        }
    }

    /** Redshift has no advisory locks: the ledger lock inside each load transaction keeps passes apart. */
    @Override
    public Optional<Warehouse.LoadLock> tryLoadLock(ConnectionSource connections) {
        return Optional.of(() -> { });
    }

}
