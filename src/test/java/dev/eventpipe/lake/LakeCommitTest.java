package dev.eventpipe.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LakeCommitTest {

    @Test
    void aRecordReadsBackAsItWasWritten() throws IOException {
        List<String> keys = List.of("archive/events/dt=2026-11-24/host-1-a-000007.ndjson.gz",
                "archive/events/dt=2026-11-24/host-1-a-000003.ndjson.gz", "archive/events/dt=2026-11-24/other-000002.ndjson.gz");
        LakeCommit c = new LakeCommit("2026-11-24", "20261125T011500000Z-0a0b0c0d", "lake/events/dt=2026-11-24/part-x.parquet",
                1234, 99, 100, 1, 3, LakeCommit.writersOf(keys), "2026-11-25T01:15:00Z");
        assertThat(c.writers()).isEqualTo(java.util.Map.of("host-1-a", 7L, "other", 2L));
        String json = new String(c.toJson(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"parquet_bytes\":1234", "\"rows_read\":100", "\"duplicates_dropped\":1", "\"created_at\"")
                .doesNotContain("archive/");
        assertThat(LakeCommit.read(new ByteArrayInputStream(c.toJson()))).isEqualTo(c);
        assertThat(c.sourcesKey()).isEqualTo("lake/commits/events/dt=2026-11-24/20261125T011500000Z-0a0b0c0d.sources.json");
        LakeCommit.Sources sources = new LakeCommit.Sources(keys.stream().map(k -> new LakeCommit.Source(k, 33)).toList());
        assertThat(LakeCommit.Sources.read(new ByteArrayInputStream(sources.toJson()))).isEqualTo(sources);
    }

    @Test
    void somethingElseIsNotTakenForARecord() {
        assertThatThrownBy(() -> LakeCommit.read(new ByteArrayInputStream("{\"day\":\"2026-11-24\"}".getBytes())))
                .isInstanceOf(IOException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> LakeCommit.read(new ByteArrayInputStream(
                "{\"day\":\"yesterday\",\"generation\":\"g\",\"parquet\":\"p\"}".getBytes())))
                .isInstanceOf(IOException.class).hasMessageContaining("'yesterday' is not a date");
    }
}
