package dev.eventpipe.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.event.EventCodec;
import org.junit.jupiter.api.Test;

class SqsEventBusTest {

    @Test
    void aBodySqsTakesGoesToTheDeadLetterQueueAsItIs() {
        assertThat(SqsEventBus.sqsSafe("{\"a\":\"é😀\"}")).isEqualTo("{\"a\":\"é😀\"}");
    }

    @Test
    void aBodySqsWouldRefuseIsPackedSoNoByteIsLost() {
        String raw = "{\"a\":\"\u0000\"}";
        String safe = SqsEventBus.sqsSafe(raw);
        assertThat(safe).startsWith("H4sI");
        assertThat(new EventCodec(4096).decode(safe).rejections().get(0).raw()).isEqualTo(raw);
        assertThat(SqsEventBus.sqsSafe("\ud800 lone surrogate")).startsWith("H4sI");
        assertThat(SqsEventBus.sqsSafe("")).startsWith("H4sI");
    }
}
