package dev.eventpipe.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.LocalObjectStore;
import dev.eventpipe.store.NdjsonGzip;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterTallyTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-25");

    @TempDir
    Path dir;

    private static String rejected(String msg, String index, String reason, String at) {
        return "{\"message_id\":\"" + msg + "\",\"index\":\"" + index + "\",\"status\":\"rejected\",\"reason\":\"" + reason
                + "\",\"detail\":\"" + reason + " detail\",\"at\":\"" + at + "\"}";
    }

    private static String accepted(String msg, String index, String at) {
        return "{\"message_id\":\"" + msg + "\",\"index\":\"" + index + "\",\"status\":\"accepted\",\"at\":\"" + at + "\"}";
    }

    @Test
    void aRejectionRecordedTwiceByTwoDeliveriesCountsOnce() {
        LocalObjectStore store = new LocalObjectStore(dir);
        store.put(DfsLayout.recordsKey(DAY, "a", 1), NdjsonGzip.of(1, List.of(rejected("m1", "0", "empty", "2026-11-25T10:00:00Z"),
                rejected("m1", "1", "invalid_json", "2026-11-25T10:00:00Z"))));
        // The consumer was killed before deleting m1; the next one received it again.
        store.put(DfsLayout.recordsKey(DAY, "b", 1), NdjsonGzip.of(1, List.of(rejected("m1", "0", "empty", "2026-11-25T10:01:00Z"),
                rejected("m1", "1", "invalid_json", "2026-11-25T10:01:00Z"))));
        DeadLetterTally t = DeadLetterTally.read(store);
        assertThat(t.rejected()).isEqualTo(2);
        assertThat(t.rejectedByReason()).isEqualTo(Map.of("empty", 1L, "invalid_json", 1L));
        assertThat(t.files()).isEqualTo(2);
    }

    @Test
    void aReplayedAndAcceptedEventIsNoLongerRejectedButOneRejectedAgainStillIs() {
        LocalObjectStore store = new LocalObjectStore(dir);
        store.put(DfsLayout.recordsKey(DAY, "a", 1), NdjsonGzip.of(1, List.of(rejected("m1", "0", "too_large", "2026-11-25T10:00:00Z"),
                rejected("m2", "0", "missing_field", "2026-11-25T10:00:00Z"))));
        store.put(DfsLayout.recordsKey(DAY, "b", 1), NdjsonGzip.of(1, List.of(accepted("m1", "0", "2026-11-25T11:00:00.5Z"),
                rejected("m2", "0", "missing_field", "2026-11-25T11:00:00.5Z"))));
        DeadLetterTally t = DeadLetterTally.read(store);
        assertThat(t.rejected()).isEqualTo(1);
        assertThat(t.replayed()).isEqualTo(1);
        assertThat(t.rejectedByReason()).containsOnlyKeys("missing_field");
        assertThat(t.rejectedSince(Instant.parse("2026-11-25T10:30:00Z"))).isEqualTo(Map.of("missing_field", 1L));
        assertThat(t.samples()).containsEntry("missing_field", "missing_field detail");
    }

    @Test
    void aDamagedLineIsSkippedNotFatal() {
        LocalObjectStore store = new LocalObjectStore(dir);
        store.put(DfsLayout.recordsKey(DAY, "a", 1), NdjsonGzip.of(1, List.of("{not json", rejected("m1", "0", "empty", "2026-11-25T10:00:00Z"))));
        assertThat(DeadLetterTally.read(store).rejected()).isEqualTo(1);
    }
}
