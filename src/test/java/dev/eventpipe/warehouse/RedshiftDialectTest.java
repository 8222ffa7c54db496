package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.warehouse.dialect.RedshiftDialect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Redshift path is checked as generated SQL text: there is no cluster here to run it against.
 */
class RedshiftDialectTest {

    private final RedshiftDialect redshift = new RedshiftDialect("arn:aws:iam::123456789012:role/eventpipe-copy");

    @Test
    void theEventsTableIsDistributedOnIdAndSortedOnTimestamp() {
        String ddl = Schema.version1(redshift).get(0);
        assertThat(ddl).startsWith("CREATE TABLE IF NOT EXISTS events (\"id\" VARCHAR(512) NOT NULL, ");
        assertThat(ddl).contains("\"timestamp\" TIMESTAMP NOT NULL", "\"original_timestamp\" TIMESTAMPTZ",
                "\"context_network_wifi\" BOOLEAN", "\"extra\" VARCHAR(65535)", "loaded_at TIMESTAMP NOT NULL",
                "PRIMARY KEY (\"id\")");
        assertThat(ddl).endsWith(") DISTSTYLE KEY DISTKEY (\"id\") SORTKEY (\"timestamp\")");
    }

    @Test
    void copyReadsTheManifestAsGzipJsonWithTheIamRole() {
        assertThat(redshift.copySql("s3://bucket/dfs/manifests/load-1.manifest")).isEqualTo(
                "COPY eventpipe_stage FROM 's3://bucket/dfs/manifests/load-1.manifest' "
                        + "IAM_ROLE 'arn:aws:iam::123456789012:role/eventpipe-copy' "
                        + "FORMAT AS JSON 'auto' GZIP TIMEFORMAT 'auto' MANIFEST");
    }

    @Test
    void aQuoteInALiteralIsEscaped() {
        RedshiftDialect odd = new RedshiftDialect("arn:aws:iam::1:role/it's");
        assertThat(odd.copySql("s3://b/k")).contains("IAM_ROLE 'arn:aws:iam::1:role/it''s'");
    }

    @Test
    void theManifestListsEveryFileAsMandatoryWithItsSize() throws Exception {
        String manifest = redshift.manifest(List.of("s3://bucket/dfs/incoming/events/dt=2026-11-24/a.ndjson.gz",
                "s3://bucket/dfs/incoming/events/dt=2026-11-24/b.ndjson.gz"),
                Map.of("s3://bucket/dfs/incoming/events/dt=2026-11-24/a.ndjson.gz", 1234L));
        JsonNode m = new ObjectMapper().readTree(manifest);
        assertThat(m.get("entries")).hasSize(2);
        assertThat(m.get("entries").get(0).get("url").asText()).isEqualTo("s3://bucket/dfs/incoming/events/dt=2026-11-24/a.ndjson.gz");
        assertThat(m.get("entries").get(0).get("mandatory").asBoolean()).isTrue();
        assertThat(m.get("entries").get(0).get("meta").get("content_length").asLong()).isEqualTo(1234);
    }

    @Test
    void theMergeInsertsOnlyNewIdsAndTheFirstOfEqualIdsInTheBatch() {
        String sql = redshift.insertSql();
        assertThat(sql).startsWith("INSERT INTO events (\"id\", \"anonymous_id\", ");
        assertThat(sql).contains("ROW_NUMBER() OVER (PARTITION BY \"id\" ORDER BY \"received_at\") AS eventpipe_rn FROM eventpipe_stage s");
        assertThat(sql).endsWith("WHERE eventpipe_rn = 1 AND NOT EXISTS (SELECT 1 FROM events e WHERE e.\"id\" = t.\"id\")");
        assertThat(redshift.createStageSql()).startsWith("CREATE TEMP TABLE eventpipe_stage (\"id\" VARCHAR(512)");
        assertThat(redshift.rowsPerFileSql()).contains("stl_load_commits").contains("pg_last_copy_id()");
        assertThat(redshift.lockSql()).isEqualTo("LOCK eventpipe_loaded_files");
    }
}
