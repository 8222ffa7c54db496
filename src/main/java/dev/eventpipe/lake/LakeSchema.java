package dev.eventpipe.lake;

import dev.eventpipe.event.EventField;
import dev.eventpipe.event.FieldType;
import java.util.ArrayList;
import java.util.List;

/**
 * The one schema of every Parquet file in the lake: the event fields in column order, {@code extra}
 * (unknown fields as JSON text) and {@code source_file} (the incoming key of the archived file the
 * row came from, as in the warehouse's {@code events.source_file} and the load ledger). The
 * partition column {@code dt} is not in the files: engines read it from the folder name
 * ({@code dt=YYYY-MM-DD}), as Hive partitions. Every file is written with these columns and types,
 * in this order, so any engine can read all of them as one table.
 */
public final class LakeSchema {

    public static final String SOURCE_FILE = "source_file";
    public static final String PARTITION = "dt";

    private LakeSchema() {
    }

    /**
     * One column of the lake: its name, the type of the event field it holds (TEXT for extra and
     * source_file), and for text the most characters it holds (0: unbounded).
     */
    public record Column(String name, FieldType type, int maxChars) {
    }

    /** Every column, in file order. */
    public static List<Column> columns() {
        List<Column> cols = new ArrayList<>();
        for (EventField f : EventField.values()) {
            cols.add(new Column(f.jsonName(), f.type(), f.maxLength()));
        }
        cols.add(new Column(EventField.EXTRA, FieldType.TEXT, 0));
        cols.add(new Column(SOURCE_FILE, FieldType.TEXT, 1024));
        return cols;
    }

    /**
     * DuckDB's type, which decides the Parquet type written: VARCHAR is a UTF-8 string, TIMESTAMP an
     * INT64 of microseconds (not adjusted to UTC: the values are UTC wall times), TIMESTAMPTZ an INT64
     * of microseconds adjusted to UTC, BOOLEAN a boolean.
     */
    public static String duckDbType(FieldType type) {
        return switch (type) {
            case TEXT -> "VARCHAR";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_TZ -> "TIMESTAMPTZ";
            case BOOLEAN -> "BOOLEAN";
        };
    }

    /** Hive's type, as Athena, Spark and Redshift Spectrum declare an external table's column. */
    public static String hiveType(FieldType type) {
        return switch (type) {
            case TEXT -> "string";
            case TIMESTAMP, TIMESTAMP_TZ -> "timestamp";
            case BOOLEAN -> "boolean";
        };
    }

    /**
     * Redshift's type (a table loaded by COPY, or a Spectrum column): VARCHAR lengths are bytes
     * there, four per character leaves room for any UTF-8; unbounded text is Redshift's largest.
     */
    public static String redshiftType(Column c) {
        return switch (c.type()) {
            case TEXT -> "VARCHAR(" + (c.maxChars() == 0 ? 65535 : Math.min(65535, c.maxChars() * 4)) + ")";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_TZ -> "TIMESTAMPTZ";
            case BOOLEAN -> "BOOLEAN";
        };
    }

    /** Quotes a column name for DuckDB ({@code timestamp} and {@code event} are keywords in several engines). */
    static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
