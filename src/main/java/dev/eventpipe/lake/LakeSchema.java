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

    /** One column of the lake: its name and the type of the event field it holds (TEXT for extra and source_file). */
    public record Column(String name, FieldType type) {
    }

    /** Every column, in file order. */
    public static List<Column> columns() {
        List<Column> cols = new ArrayList<>();
        for (EventField f : EventField.values()) {
            cols.add(new Column(f.jsonName(), f.type()));
        }
        cols.add(new Column(EventField.EXTRA, FieldType.TEXT));
        cols.add(new Column(SOURCE_FILE, FieldType.TEXT));
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

    /** Quotes a column name for DuckDB ({@code timestamp} and {@code event} are keywords in several engines). */
    static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
