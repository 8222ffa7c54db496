package dev.eventpipe.warehouse.dialect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipe.event.EventField;
import dev.eventpipe.event.FieldType;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.warehouse.ColumnDef;
import dev.eventpipe.warehouse.Dialect;
import dev.eventpipe.warehouse.Schema;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.WarehouseException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Amazon Redshift: the cluster reads the files from S3 itself. A load copies each file into a
 * temporary table through a one-file manifest under the store's {@code manifests/} (deleted after
 * its COPY, whatever happens), tags the file's rows with its key, and inserts new ids into
 * {@code events} (distributed on {@code id}, sorted on {@code timestamp}); rows and duplicates are
 * counted per file.
 *
 * <p>This path is generated and checked as SQL text; it has not been run against a live cluster.
 */
public final class RedshiftDialect implements Dialect {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(RedshiftDialect.class);

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

    /** After each file's COPY: its rows are the stage's rows without a file yet. */
    public String tagStageSql() {
        return "UPDATE " + Schema.STAGE + " SET source_file = ? WHERE source_file IS NULL";
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

    /**
     * Each file is copied into the stage by its own COPY and its rows tagged with its key, so every
     * row's {@code source_file} is its data file and the rows inserted per file are counted (COPY has
     * no file-name column). One COPY per file gives up loading a batch's files in parallel across
     * slices; the loader's batches are small and lineage is worth more.
     */
    @Override
    public LoadedRows loadFiles(Connection c, List<String> fileKeys, ObjectStore store, Timestamp loadedAt) throws SQLException {
        Map<String, Long> rows = stage(c, fileKeys, store);
        try (PreparedStatement ps = c.prepareStatement(insertSql())) {
            ps.setTimestamp(1, loadedAt);
            ps.executeUpdate();
        }
        return new LoadedRows(rows, Schema.countByFile(c, loadedAt));
    }

    /** The key of the {@code n}th manifest of a load, under the file store's {@link DfsLayout#MANIFESTS}. */
    static String manifestKey(String load, int n) {
        return DfsLayout.MANIFESTS + "load-" + load + "/" + String.format("%06d", n) + ".manifest";
    }

    private Map<String, Long> stage(Connection c, List<String> fileKeys, ObjectStore store) throws SQLException {
        Map<String, Long> sizes = new HashMap<>();
        if (store.s3Url(fileKeys.get(0)).isEmpty()) {
            throw new WarehouseException("Redshift loads files from S3: set [dfs] type = s3", null);
        }
        Set<String> wanted = new HashSet<>(fileKeys);
        try (var listed = store.list(commonPrefix(fileKeys))) {
            listed.filter(o -> wanted.contains(o.key())).forEach(o -> sizes.put(store.s3Url(o.key()).orElseThrow(), o.size()));
        }
        try (Statement st = c.createStatement()) {
            st.execute(createStageSql());
        }
        String load = UUID.randomUUID().toString();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String key : fileKeys) {
            String manifestKey = manifestKey(load, rows.size() + 1);
            try {
                // A manifest names exactly one object: COPY FROM a plain key would load every key it prefixes.
                store.put(manifestKey, manifest(List.of(store.s3Url(key).orElseThrow()), sizes).getBytes(StandardCharsets.UTF_8));
                try (Statement st = c.createStatement()) {
                    st.execute(copySql(store.s3Url(manifestKey).orElseThrow()));
                }
                try (PreparedStatement ps = c.prepareStatement(tagStageSql())) {
                    ps.setString(1, key);
                    rows.put(key, (long) ps.executeUpdate());
                }
            } finally {
                deleteQuietly(store, manifestKey);
            }
        }
        return rows;
    }

    /** A manifest left behind is harmless: it says so rather than hide the load's own failure. */
    private static void deleteQuietly(ObjectStore store, String manifestKey) {
        try {
            store.delete(manifestKey);
        } catch (RuntimeException e) {
            log.warn("load: could not delete the manifest '{}' (harmless; delete it by hand): {}", manifestKey, e.getMessage());
        }
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

    /**
     * Redshift cannot change a column's type inside a transaction (only a VARCHAR's length, and only
     * outside one), nor drop NOT NULL: each changed column is replaced by a new one filled from the
     * old (add, one UPDATE with a cast for all, drop, rename). The column moves to the end of the
     * table; eventpipe names its columns in every statement. A NOT NULL text column gets
     * {@code DEFAULT ''}: Redshift adds NOT NULL only with a default; eventpipe names every column on
     * insert, so the default never fills a row.
     */
    @Override
    public List<String> changeColumns(String table, List<ColumnDef.Change> changes) {
        List<String> add = new ArrayList<>();
        List<String> set = new ArrayList<>();
        List<String> swap = new ArrayList<>();
        for (ColumnDef.Change change : changes) {
            ColumnDef target = change.target();
            String old = quote(target.name());
            String fresh = quote("eventpipe_new_" + target.name());
            String def = "ALTER TABLE " + table + " ADD COLUMN " + fresh + " " + target.type();
            if (target.notNull()) {
                if (target.kind() != FieldType.TEXT) {
                    throw new IllegalArgumentException("cannot replace NOT NULL column '" + target.name() + "' of type " + target.type());
                }
                def += " DEFAULT '' NOT NULL";
            }
            add.add(def);
            set.add(fresh + " = " + (change.retype() ? "CAST(" + old + " AS " + target.type() + ")" : old));
            swap.add("ALTER TABLE " + table + " DROP COLUMN " + old);
            swap.add("ALTER TABLE " + table + " RENAME COLUMN " + fresh + " TO " + old);
        }
        List<String> out = new ArrayList<>(add);
        if (!set.isEmpty()) {
            out.add("UPDATE " + table + " SET " + String.join(", ", set));
        }
        out.addAll(swap);
        return out;
    }

    /** Redshift adds a NOT NULL column only with a default, and cannot drop a default: it stays, never used by eventpipe's inserts. */
    @Override
    public List<String> addColumn(String table, ColumnDef column, String fill) {
        if (fill == null) {
            return Dialect.super.addColumn(table, column, null);
        }
        return List.of("ALTER TABLE " + table + " ADD COLUMN " + quote(column.name()) + " " + column.type() + " DEFAULT " + fill
                + (column.notNull() ? " NOT NULL" : ""));
    }

    @Override
    public List<String> lockTable(String table) {
        return List.of("LOCK " + table);
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
