package dev.eventpipe.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.Rejection;
import dev.eventpipe.event.RejectionReason;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static DeadLetter letter(String raw) {
        return DeadLetter.of(new Rejection(RejectionReason.MISSING_FIELD, "missing field 'id'", raw, 3), "m-1", "3");
    }

    @Test
    void aBodySqsTakesGoesToTheDeadLetterQueueAsItIs() {
        assertThat(letter("{\"a\":\"é😀\"}").body()).isEqualTo("{\"a\":\"é😀\"}");
    }

    @Test
    void aBodySqsWouldRefuseIsPackedSoNoByteIsLost() {
        String raw = "{\"a\":\"\u0000\"}";
        String safe = letter(raw).body();
        assertThat(safe).startsWith("H4sI");
        assertThat(new EventCodec(4096).decode(safe).rejections().get(0).raw()).isEqualTo(raw);
        assertThat(letter("\ud800 lone surrogate").body()).startsWith("H4sI");
        assertThat(letter("\uffff").body()).startsWith("H4sI");
        assertThat(letter("").body()).startsWith("H4sI");
    }

    @Test
    void aLoneSurrogateIsKeptUnitForUnitInsideItsPack() {
        String a = letter("id-\ud800").body();
        String b = letter("id-\udbff").body();
        String c = letter("id-\udc00").body();
        // Three different inputs stay three different bodies: nothing was replaced by '?'.
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
        assertThat(b).isNotEqualTo(c);
    }

    @Test
    void namesItsSourceSoCopiesCanBeCountedOnce() {
        DeadLetter d = letter("{}");
        assertThat(d.attributes()).containsEntry(DeadLetter.REASON, "missing_field")
                .containsEntry(DeadLetter.DETAIL, "missing field 'id'")
                .containsEntry(DeadLetter.SOURCE_MESSAGE, "m-1")
                .containsEntry(DeadLetter.SOURCE_INDEX, "3");
    }

    @Test
    void countsWhatSqsCountsAgainstItsLimit() {
        String big = "x".repeat(DeadLetter.MAX_MESSAGE_BYTES - 100);
        DeadLetter d = letter(big);
        assertThat(d.sqsBytes()).isGreaterThan(big.length());
        assertThat(d.fits()).isFalse();
        DeadLetter pointer = d.offloaded("deadletter/bodies/dt=2026-11-25/m-1-3.body", "/data/dfs/deadletter/bodies/dt=2026-11-25/m-1-3.body", big.length());
        assertThat(pointer.fits()).isTrue();
        assertThat(pointer.attributes()).containsEntry(DeadLetter.BODY_KEY, "deadletter/bodies/dt=2026-11-25/m-1-3.body");
        assertThat(pointer.body()).contains("\"bytes\":" + big.length());
    }

    @Test
    void aDetailIsOneSafeLine() {
        DeadLetter d = DeadLetter.of(new Rejection(RejectionReason.INVALID_JSON, "bad \u0000 \ud800" + "y".repeat(2000), "x", 0), "m", "0");
        assertThat(d.detail()).hasSizeLessThanOrEqualTo(1024 + 32).doesNotContain("\u0000").contains("\\u0000").contains("\\ud800");
    }
}
