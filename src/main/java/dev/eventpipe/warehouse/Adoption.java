package dev.eventpipe.warehouse;

import dev.eventpipe.event.FieldType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How an {@code events} table eventpipe did not create (the original prototype's) differs from
 * eventpipe's, and the statements that bring it there in one transaction keeping every row:
 * columns retyped (wider text; a number to its decimal text) or freed of NOT NULL, missing columns
 * added (old rows get {@code loaded_at} = the migration's time and {@code source_file} =
 * {@value Schema#ADOPTED_SOURCE}), repeated ids moved aside when asked, the primary key on
 * {@code id}, eventpipe's other tables, a ledger entry for the adopted rows and the version row.
 * Pure: it builds text, the caller runs it.
 */
final class Adoption {

    private static final DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    private static final String ROWS = "eventpipe_duplicate_rows";

    private Adoption() {
    }

    /** What a value of a found column is. */
    private enum Family { TEXT, NUMBER, TIMESTAMP, TIMESTAMP_TZ, BOOLEAN, OTHER }

    private static Family family(String dataType) {
        String t = dataType.toLowerCase(Locale.ROOT);
        if (t.contains("char") || t.equals("text") || t.equals("string")) {
            return Family.TEXT;
        }
        if (t.contains("int") || t.startsWith("numeric") || t.startsWith("decimal")) {
            return Family.NUMBER;
        }
        if (t.startsWith("timestamp")) {
            return t.contains("with time zone") && !t.contains("without") || t.equals("timestamptz") ? Family.TIMESTAMP_TZ : Family.TIMESTAMP;
        }
        return t.equals("boolean") || t.equals("bool") ? Family.BOOLEAN : Family.OTHER;
    }

    private static Family family(FieldType kind) {
        return switch (kind) {
            case TEXT -> Family.TEXT;
            case TIMESTAMP -> Family.TIMESTAMP;
            case TIMESTAMP_TZ -> Family.TIMESTAMP_TZ;
            case BOOLEAN -> Family.BOOLEAN;
        };
    }

    /** Each way {@code found} differs from {@code d}'s {@code events}, missing columns first. */
    static List<TableDifference> differences(Dialect d, TableShape found) {
        List<TableDifference> missing = new ArrayList<>();
        List<TableDifference> other = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>();
        for (ColumnDef want : Schema.eventsTable(d)) {
            known.add(want.name());
            TableShape.Found has = found.columns().get(want.name());
            if (has == null) {
                boolean fillable = !want.notNull() || fill(want.name(), Instant.EPOCH) != null;
                missing.add(new TableDifference(fillable ? TableDifference.Kind.MISSING_COLUMN : TableDifference.Kind.INCOMPATIBLE,
                        want.name(), fillable ? null : "missing", want.type() + (fillable ? "" : " NOT NULL")));
                continue;
            }
            Family is = family(has.dataType());
            Family should = family(want.kind());
            if (should == Family.TEXT && is == Family.NUMBER) {
                other.add(new TableDifference(TableDifference.Kind.CONVERTED_TYPE, want.name(), has.sqlType(), want.type()));
            } else if (is != should) {
                other.add(new TableDifference(TableDifference.Kind.INCOMPATIBLE, want.name(), has.sqlType(), want.type()));
            } else if (is == Family.TEXT && has.width() > 0 && (want.width() == 0 || has.width() < want.width())) {
                other.add(new TableDifference(TableDifference.Kind.NARROW_COLUMN, want.name(), has.sqlType(), want.type()));
            }
            if (has.notNull() && !want.notNull()) {
                other.add(new TableDifference(TableDifference.Kind.NOT_NULL, want.name(), has.sqlType(), want.type()));
            }
        }
        for (TableShape.Found has : found.columns().values()) {
            if (!known.contains(has.name().toLowerCase(Locale.ROOT)) && has.notNull()) {
                // A column eventpipe does not know stays, but its loads leave it empty.
                other.add(new TableDifference(TableDifference.Kind.NOT_NULL, has.name(), has.sqlType(), has.sqlType()));
            }
        }
        if (d.primaryKeyOnEvents() && !found.primaryKey().equals(List.of("id"))) {
            other.add(found.primaryKey().isEmpty()
                    ? new TableDifference(TableDifference.Kind.NO_PRIMARY_KEY, "id", null, "PRIMARY KEY (id)")
                    : new TableDifference(TableDifference.Kind.INCOMPATIBLE, "primary key",
                            "on (" + String.join(", ", found.primaryKey()) + ")", "on (id)"));
        }
        missing.addAll(other);
        return missing;
    }

    /** What the rows already there get in a column eventpipe adds NOT NULL; null for the others. */
    static String fill(String column, Instant at) {
        return switch (column) {
            case "loaded_at" -> "TIMESTAMP '" + LITERAL.format(at) + "'";
            case "source_file" -> "'" + Schema.ADOPTED_SOURCE + "'";
            default -> null;
        };
    }

    /**
     * The statements, in order, that adopt {@code found} (whose {@code differences} are all fixable)
     * inside one transaction. {@code rows} and {@code duplicates} were counted under the table lock;
     * rows beyond the first of each id are moved aside when there are any (the caller refuses them
     * otherwise).
     */
    static List<String> statements(Dialect d, TableShape found, List<TableDifference> differences, long rows,
                                   DuplicateIds duplicates, Instant at) {
        Map<String, ColumnDef> want = Schema.eventsTable(d).stream()
                .collect(Collectors.toMap(ColumnDef::name, c -> c, (a, b) -> a, java.util.LinkedHashMap::new));
        for (TableDifference diff : differences) {
            if (!diff.fixable()) {
                throw new IllegalArgumentException("cannot adopt: " + diff.line());
            }
        }
        List<ColumnDef.Change> changes = new ArrayList<>();
        for (TableShape.Found has : found.columns().values()) {
            String key = has.name().toLowerCase(Locale.ROOT);
            Set<TableDifference.Kind> kinds = differences.stream().filter(x -> x.column().equalsIgnoreCase(key))
                    .map(TableDifference::kind).collect(Collectors.toSet());
            boolean retype = kinds.contains(TableDifference.Kind.NARROW_COLUMN) || kinds.contains(TableDifference.Kind.CONVERTED_TYPE);
            boolean loosen = kinds.contains(TableDifference.Kind.NOT_NULL);
            if (retype || loosen) {
                ColumnDef wanted = want.get(key);
                changes.add(new ColumnDef.Change(new ColumnDef(has.name(), retype ? wanted.type() : has.sqlType(),
                        wanted == null ? FieldType.TEXT : wanted.kind(), has.notNull() && !loosen), retype, loosen));
            }
        }
        List<String> sql = new ArrayList<>();
        if (!changes.isEmpty()) {
            sql.addAll(d.changeColumns(Schema.EVENTS, changes));
        }
        for (TableDifference diff : differences) {
            if (diff.kind() == TableDifference.Kind.MISSING_COLUMN) {
                sql.addAll(d.addColumn(Schema.EVENTS, want.get(diff.column()), fill(diff.column(), at)));
            }
        }
        if (duplicates.any()) {
            sql.addAll(moveDuplicates(d, columnsAfter(d, found)));
        }
        if (differences.stream().anyMatch(x -> x.kind() == TableDifference.Kind.NO_PRIMARY_KEY)) {
            sql.add(d.addPrimaryKey(Schema.EVENTS, "id"));
        }
        sql.addAll(d.eventsIndexes());
        sql.addAll(Schema.supportTables(d));
        sql.addAll(Schema.hourlyCounts(d));
        sql.addAll(DeviceActivity.create(d));
        String when = fill("loaded_at", at);
        sql.add("INSERT INTO " + Schema.LEDGER + " (file_key, row_count, duplicates_skipped, loaded_at) VALUES ('"
                + Schema.ADOPTED_SOURCE + "', " + rows + ", " + duplicates.surplusRows() + ", " + when + ")");
        sql.add("INSERT INTO " + Schema.VERSION_TABLE + " (version, applied_at) VALUES (" + Schema.VERSION + ", " + when + ")");
        return sql;
    }

    /** Every column the table has once adopted: eventpipe's, then the ones it kept that eventpipe does not know. */
    private static List<String> columnsAfter(Dialect d, TableShape found) {
        List<String> cols = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>();
        for (ColumnDef c : Schema.eventsTable(d)) {
            cols.add(d.quote(c.name()));
            known.add(c.name());
        }
        for (TableShape.Found f : found.columns().values()) {
            if (!known.contains(f.name().toLowerCase(Locale.ROOT))) {
                cols.add(d.quote(f.name()));
            }
        }
        return cols;
    }

    /**
     * Keeps the first row of each repeated id (earliest {@code received_at}, then {@code sent_at},
     * then {@code timestamp}) and moves the others to {@value Schema#ADOPTED_DUPLICATES}, where
     * they can be read or put back by hand. Plain SQL every engine here speaks (no row ids: Redshift has none).
     */
    static List<String> moveDuplicates(Dialect d, List<String> columns) {
        String id = d.quote("id");
        String cols = String.join(", ", columns);
        return List.of(
                "CREATE TABLE " + Schema.ADOPTED_DUPLICATES + " AS SELECT * FROM " + Schema.EVENTS + " WHERE 1 = 0",
                "CREATE TEMP TABLE " + ROWS + " AS SELECT e.*, ROW_NUMBER() OVER (PARTITION BY " + id + " ORDER BY "
                        + d.quote("received_at") + ", " + d.quote("sent_at") + ", " + d.quote("timestamp") + ") AS eventpipe_rn FROM "
                        + Schema.EVENTS + " e WHERE " + id + " IN (SELECT " + id + " FROM " + Schema.EVENTS + " GROUP BY " + id
                        + " HAVING count(*) > 1)",
                "DELETE FROM " + Schema.EVENTS + " WHERE " + id + " IN (SELECT " + id + " FROM " + ROWS + ")",
                "INSERT INTO " + Schema.EVENTS + " (" + cols + ") SELECT " + cols + " FROM " + ROWS + " WHERE eventpipe_rn = 1",
                "INSERT INTO " + Schema.ADOPTED_DUPLICATES + " (" + cols + ") SELECT " + cols + " FROM " + ROWS + " WHERE eventpipe_rn > 1",
                "DROP TABLE " + ROWS);
    }
}
