package dev.eventpipe.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DfsLayoutTest {

    @Test
    void aFileNameGivesBackItsWriterAndSequenceInEveryArea() {
        String key = DfsLayout.incomingKey(LocalDate.of(2026, 11, 24), "host-a.b-4242-lq3x9", 17);
        for (String k : new String[] {key, DfsLayout.archiveKey(key), DfsLayout.quarantineKey(key)}) {
            assertThat(DfsLayout.fileName(k)).contains(new DfsLayout.FileName("host-a.b-4242-lq3x9", 17));
            assertThat(DfsLayout.incomingKeyOf(k)).isEqualTo(key);
        }
        assertThat(DfsLayout.fileName("incoming/events/dt=2026-11-24/broken.ndjson.gz")).isEmpty();
        assertThat(DfsLayout.fileName(DfsLayout.reasonKey(DfsLayout.quarantineKey(key)))).isEmpty();
    }
}
