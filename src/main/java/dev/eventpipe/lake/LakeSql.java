package dev.eventpipe.lake;

import dev.eventpipe.event.EventField;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The SQL with which each engine reads the lake as it is: Hive partitions {@code dt=YYYY-MM-DD}
 * under one location, Parquet files of one schema ({@link LakeSchema}). DuckDB's is run by the
 * tests; the others are generated text, checked as text: they have not been run against Athena,
 * Spark or a Redshift cluster here.
 *
 * @param location the lake's folder, {@code s3://bucket/prefix/lake/events/} or a local path ending in {@code /}
 */
public record LakeSql(String location) {

    public static final String TABLE = "eventpipe_lake_events";

    /** The engines {@link #forEngine} knows. */
    public enum Engine { DUCKDB, ATHENA, SPARK, SPECTRUM, REDSHIFT_COPY;

        /** The name on the command line: {@code duckdb}, {@code athena}, {@code spark}, {@code spectrum}, {@code redshift-copy}. */
        public String cli() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public LakeSql {
        if (!location.endsWith("/")) {
            location = location + "/";
        }
    }

    /**
     * The statements for {@code engine}.
     *
     * @param days    the lake's dates (Spectrum registers a partition per date; the Redshift COPY loads each)
     * @param iamRole the IAM role Redshift assumes to read S3 ({@code [redshift] arn_credentials})
     */
    public String forEngine(Engine engine, List<LocalDate> days, String iamRole) {
        return switch (engine) {
            case DUCKDB -> duckDb();
            case ATHENA -> athena(days.isEmpty() ? null : days.get(0));
            case SPARK -> spark();
            case SPECTRUM -> spectrum(days, iamRole);
            case REDSHIFT_COPY -> redshiftCopy(days, iamRole);
        };
    }

    /** DuckDB reads the files in place (or over httpfs where that extension is installed), the partition column from the path. */
    public String duckDb() {
        return "CREATE VIEW " + TABLE + " AS SELECT * FROM read_parquet(" + quote(location + "*/*.parquet")
                + ", hive_partitioning = true);\n";
    }

    /**
     * Athena with partition projection: every {@code dt} from the first day on is a partition without
     * registering any; an empty day is simply empty.
     */
    public String athena(LocalDate first) {
        String cols = LakeSchema.columns().stream().map(c -> "  `" + c.name() + "` " + LakeSchema.hiveType(c.type()))
                .collect(Collectors.joining(",\n"));
        return "CREATE EXTERNAL TABLE IF NOT EXISTS " + TABLE + " (\n" + cols + "\n)\n"
                + "PARTITIONED BY (`" + LakeSchema.PARTITION + "` string)\n"
                + "STORED AS PARQUET\n"
                + "LOCATION " + quote(location) + "\n"
                + "TBLPROPERTIES (\n"
                + "  'projection.enabled' = 'true',\n"
                + "  'projection.dt.type' = 'date',\n"
                + "  'projection.dt.format' = 'yyyy-MM-dd',\n"
                + "  'projection.dt.range' = '" + (first == null ? "2020-01-01" : first.toString()) + ",NOW',\n"
                + "  'projection.dt.interval' = '1',\n"
                + "  'projection.dt.interval.unit' = 'DAYS',\n"
                + "  'storage.location.template' = '" + location + "dt=${dt}/'\n"
                + ");\n";
    }

    /**
     * Spark infers the schema from the Parquet files and {@code dt} from the folder names; the
     * metastore then learns the partitions that exist. Spark 3.4 and later read the timestamps
     * written without a UTC adjustment as TIMESTAMP_NTZ.
     */
    public String spark() {
        return "CREATE TABLE IF NOT EXISTS " + TABLE + " USING parquet LOCATION " + quote(location) + ";\n"
                + "MSCK REPAIR TABLE " + TABLE + ";\n";
    }

    /**
     * Redshift Spectrum: an external schema in the Glue Data Catalog, the external table, and one
     * partition per date (run the partition lines again after each compaction; IF NOT EXISTS keeps
     * them harmless).
     */
    public String spectrum(List<LocalDate> days, String iamRole) {
        String cols = LakeSchema.columns().stream()
                .map(c -> "  \"" + c.name() + "\" " + spectrumType(c)).collect(Collectors.joining(",\n"));
        StringBuilder b = new StringBuilder();
        b.append("CREATE EXTERNAL SCHEMA IF NOT EXISTS eventpipe_lake FROM DATA CATALOG DATABASE 'eventpipe_lake'\n")
                .append("  IAM_ROLE ").append(quote(iamRole)).append(" CREATE EXTERNAL DATABASE IF NOT EXISTS;\n")
                .append("CREATE EXTERNAL TABLE eventpipe_lake.").append(TABLE).append(" (\n").append(cols).append("\n)\n")
                .append("PARTITIONED BY (").append(LakeSchema.PARTITION).append(" date)\n")
                .append("STORED AS PARQUET\n")
                .append("LOCATION ").append(quote(location)).append(";\n");
        for (LocalDate d : days) {
            b.append("ALTER TABLE eventpipe_lake.").append(TABLE).append(" ADD IF NOT EXISTS PARTITION (")
                    .append(LakeSchema.PARTITION).append(" = '").append(d).append("') LOCATION ")
                    .append(quote(location + "dt=" + d + "/")).append(";\n");
        }
        return b.toString();
    }

    private static String spectrumType(LakeSchema.Column c) {
        return switch (c.type()) {
            case TEXT -> LakeSchema.redshiftType(c).toLowerCase(Locale.ROOT);
            case TIMESTAMP, TIMESTAMP_TZ -> "timestamp";
            case BOOLEAN -> "boolean";
        };
    }

    /**
     * Loading the lake into Redshift's {@code events}: COPY ... FORMAT AS PARQUET fills columns by
     * their position in the files and needs as many columns as the files have, so it goes into a
     * staging table of the lake's exact columns; the new ids then go into {@code events}, stamped
     * with the load time (the lake has no {@code loaded_at}).
     */
    public String redshiftCopy(List<LocalDate> days, String iamRole) {
        String stage = "eventpipe_lake_stage";
        String defs = LakeSchema.columns().stream().map(c -> "\"" + c.name() + "\" " + LakeSchema.redshiftType(c))
                .collect(Collectors.joining(", "));
        List<String> eventCols = new ArrayList<>();
        for (LakeSchema.Column c : LakeSchema.columns()) {
            if (!c.name().equals(LakeSchema.SOURCE_FILE)) {
                eventCols.add("\"" + c.name() + "\"");
            }
        }
        String cols = String.join(", ", eventCols);
        StringBuilder b = new StringBuilder();
        b.append("CREATE TEMP TABLE ").append(stage).append(" (").append(defs).append(");\n");
        List<String> folders = days.isEmpty() ? List.of(location) : days.stream().map(d -> location + "dt=" + d + "/").toList();
        for (String folder : folders) {
            b.append("COPY ").append(stage).append(" FROM ").append(quote(folder)).append(" IAM_ROLE ").append(quote(iamRole))
                    .append(" FORMAT AS PARQUET;\n");
        }
        String id = "\"" + EventField.ID.jsonName() + "\"";
        b.append("INSERT INTO events (").append(cols).append(", loaded_at, source_file) SELECT ").append(cols)
                .append(", GETDATE(), source_file FROM ").append(stage).append(" s WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.")
                .append(id).append(" = s.").append(id).append(");\n");
        b.append("DROP TABLE ").append(stage).append(";\n");
        return b.toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
