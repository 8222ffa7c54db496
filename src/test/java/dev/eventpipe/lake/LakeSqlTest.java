package dev.eventpipe.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.warehouse.Schema;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The SQL each engine is given to read the lake, checked as text (not run against Athena, Spark or Redshift). */
class LakeSqlTest {

    private static final String LOCATION = "s3://events-bucket/eventpipe/lake/events/";
    private static final List<LocalDate> DAYS = List.of(LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 24));
    private static final String ROLE = "arn:aws:iam::123456789012:role/copy";
    private final LakeSql sql = new LakeSql(LOCATION);

    private static List<String> lakeColumnNames() {
        return LakeSchema.columns().stream().map(LakeSchema.Column::name).toList();
    }

    /** The column names declared between the first "(" after {@code head} and its matching ")". */
    private static List<String> declared(String text, String head, String quote) {
        int start = text.indexOf('(', text.indexOf(head)) + 1;
        int depth = 1;
        int i = start;
        while (depth > 0) {
            char ch = text.charAt(i++);
            depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
        }
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile(Pattern.quote(quote) + "([a-z_]+)" + Pattern.quote(quote) + " [A-Za-z]").matcher(text.substring(start, i - 1));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void athenaDeclaresEveryColumnInFileOrderAndProjectsTheDayPartitionsFromTheirFolderNames() {
        String text = sql.athena(DAYS.get(0));
        assertThat(declared(text, "CREATE EXTERNAL TABLE", "`")).containsExactlyElementsOf(lakeColumnNames()).doesNotContain("dt");
        assertThat(text).contains("`timestamp` timestamp", "`original_timestamp` timestamp", "`context_network_wifi` boolean",
                "`extra` string", "`source_file` string");
        assertThat(text).contains("PARTITIONED BY (`dt` string)", "STORED AS PARQUET", "LOCATION '" + LOCATION + "'",
                "'projection.dt.type' = 'date'", "'projection.dt.format' = 'yyyy-MM-dd'", "'projection.dt.range' = '2026-11-23,NOW'",
                "'storage.location.template' = '" + LOCATION + "dt=${dt}/'");
    }

    @Test
    void spectrumDeclaresTheSameColumnsAndRegistersEachDayAsAPartition() {
        String text = sql.spectrum(DAYS, ROLE);
        assertThat(declared(text, "CREATE EXTERNAL TABLE", "\"")).containsExactlyElementsOf(lakeColumnNames());
        assertThat(text).contains("IAM_ROLE '" + ROLE + "'", "PARTITIONED BY (dt date)", "STORED AS PARQUET",
                "\"id\" varchar(512)", "\"timestamp\" timestamp", "\"extra\" varchar(65535)");
        for (LocalDate d : DAYS) {
            assertThat(text).contains("ADD IF NOT EXISTS PARTITION (dt = '" + d + "') LOCATION '" + LOCATION + "dt=" + d + "/';");
        }
    }

    @Test
    void redshiftCopiesIntoAStageOfTheLakesExactColumnsThenInsertsNewIdsIntoEvents() {
        String text = sql.redshiftCopy(DAYS, ROLE);
        // COPY from Parquet fills columns by position and needs as many as the files hold.
        assertThat(declared(text, "CREATE TEMP TABLE", "\"")).containsExactlyElementsOf(lakeColumnNames());
        for (LocalDate d : DAYS) {
            assertThat(text).contains("COPY eventpipe_lake_stage FROM '" + LOCATION + "dt=" + d + "/' IAM_ROLE '" + ROLE
                    + "' FORMAT AS PARQUET;");
        }
        String insert = text.lines().filter(l -> l.startsWith("INSERT INTO events")).findFirst().orElseThrow();
        List<String> into = List.of(insert.substring(insert.indexOf('(') + 1, insert.indexOf(')')).replace("\"", "").split(", "));
        List<String> warehouse = new ArrayList<>(Schema.eventColumns());
        warehouse.add("loaded_at");
        warehouse.add("source_file");
        assertThat(into).as("every column of the warehouse's events table").containsExactlyElementsOf(warehouse);
        assertThat(insert).contains("GETDATE(), source_file FROM eventpipe_lake_stage s WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.\"id\" = s.\"id\")");
        assertThat(text).endsWith("DROP TABLE eventpipe_lake_stage;\n");
    }

    @Test
    void sparkAndDuckDbReadTheFolderAsItIs() {
        assertThat(sql.spark()).isEqualTo("CREATE TABLE IF NOT EXISTS eventpipe_lake_events USING parquet LOCATION '" + LOCATION + "';\n"
                + "MSCK REPAIR TABLE eventpipe_lake_events;\n");
        assertThat(sql.duckDb()).isEqualTo("CREATE VIEW eventpipe_lake_events AS SELECT * FROM read_parquet('" + LOCATION
                + "*/*.parquet', hive_partitioning = true);\n");
    }

    @Test
    void theLakesColumnsAreTheWarehousesEventColumnsAndTheSourceFile() {
        List<String> expected = new ArrayList<>(Schema.eventColumns());
        expected.add("source_file");
        assertThat(lakeColumnNames()).containsExactlyElementsOf(expected);
    }
}
