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
        LakeCommit c = new LakeCommit("2026-11-24", "20261125T011500000Z-0a0b0c0d", "lake/events/dt=2026-11-24/part-x.parquet",
                1234, 99, 100, 1, List.of(new LakeCommit.Source("archive/events/dt=2026-11-24/w-000001.ndjson.gz", 99)),
                "2026-11-25T01:15:00Z");
        String json = new String(c.toJson(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"parquet_bytes\":1234", "\"rows_read\":100", "\"duplicates_dropped\":1", "\"created_at\"");
        assertThat(LakeCommit.read(new ByteArrayInputStream(c.toJson()))).isEqualTo(c);
    }

    @Test
    void somethingElseIsNotTakenForARecord() {
        assertThatThrownBy(() -> LakeCommit.read(new ByteArrayInputStream("{\"day\":\"2026-11-24\"}".getBytes())))
                .isInstanceOf(IOException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> LakeCommit.read(new ByteArrayInputStream(
                "{\"day\":\"yesterday\",\"generation\":\"g\",\"parquet\":\"p\",\"sources\":[]}".getBytes())))
                .isInstanceOf(IOException.class).hasMessageContaining("'yesterday' is not a date");
    }
}
