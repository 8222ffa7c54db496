package dev.eventpipe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LoadScheduleTest {

    private static final Instant NOW = Instant.parse("2026-11-24T15:42:10Z");

    @Test
    void aCronScheduleNamesItsNextRunInTheZoneCronReadsItIn() {
        assertThat(new LoadSchedule("*/5 * * * *", ZoneId.of("UTC")).next(NOW)).contains(Instant.parse("2026-11-24T15:45:00Z"));
        assertThat(new LoadSchedule("0 2 * * *", ZoneId.of("Europe/Berlin")).next(NOW)).contains(Instant.parse("2026-11-25T01:00:00Z"));
    }

    @Test
    void continuousLoadingHasNoNextRunAndSaysSo() {
        LoadSchedule continuous = new LoadSchedule("continuous", ZoneId.of("UTC"));
        assertThat(continuous.next(NOW)).isEmpty();
        assertThat(continuous.continuous()).isTrue();
        assertThat(new LoadSchedule("* * * * *", ZoneId.of("UTC")).continuous()).isFalse();
    }
}
