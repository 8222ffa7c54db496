package dev.eventpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.store.DfsLayout;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WriterIdTest {

    @Test
    void aConfiguredWriterIdIsAPrefixSoARestartNeverReusesItsFileNames() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String id = Consumer.writerId("collector");
            assertThat(id).startsWith("collector-").matches("[A-Za-z0-9._-]+");
            ids.add(id);
        }
        // Each run numbers its files from 1: equal ids would mean equal keys.
        assertThat(ids).hasSize(100);
    }

    @Test
    void anEmptyWriterIdStartsWithTheHostName() {
        String id = Consumer.writerId("");
        assertThat(id).matches("[a-z0-9.-]+-\\d+-[0-9a-z]+");
        assertThat(DfsLayout.incomingKey(LocalDate.of(2026, 11, 24), id, 1)).endsWith(id + "-000001.ndjson.gz");
    }
}
