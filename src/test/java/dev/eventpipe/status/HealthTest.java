package dev.eventpipe.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.config.StatusSettings;
import dev.eventpipe.ingest.ConsumerSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final StatusSettings ONE_PERCENT_OF_AN_HOUR = new StatusSettings(0.01, 60);

    private static ConsumerSummary consumer(ConsumerSummary.Minute... minutes) {
        long valid = 0;
        long rejected = 0;
        for (ConsumerSummary.Minute m : minutes) {
            valid += m.valid();
            rejected += m.rejected();
        }
        return new ConsumerSummary("w", NOW.toString(), valid + rejected, valid + rejected, valid, Map.of(), rejected, valid, 1, 1,
                1L, valid, valid + rejected, 0, 0, 0, 1, 1, List.of(minutes));
    }

    private static ConsumerSummary.Minute minutesAgo(int ago, long valid, long rejected) {
        return new ConsumerSummary.Minute(NOW.getEpochSecond() / 60 - ago, valid, rejected);
    }

    @Test
    void aPipelineThatRejectsNearlyEverythingIsUnhealthyAndSaysWhy() {
        StatusReport.Health h = Health.check(List.of(consumer(minutesAgo(5, 0, 3_000))), null, ONE_PERCENT_OF_AN_HOUR, NOW);
        assertThat(h.ok()).isFalse();
        assertThat(h.share()).isEqualTo(1.0);
        assertThat(h.line()).startsWith("3,000 of 3,000 events received in the last 60 min were rejected (100.0%; at most 1.0% is healthy)");
    }

    @Test
    void aFewRejectionsAmongManyEventsAreHealthy() {
        StatusReport.Health h = Health.check(List.of(consumer(minutesAgo(1, 10_000, 50))), null, ONE_PERCENT_OF_AN_HOUR, NOW);
        assertThat(h.ok()).isTrue();
    }

    @Test
    void onlyTheWindowCounts() {
        StatusReport.Health h = Health.check(List.of(consumer(minutesAgo(90, 0, 5_000), minutesAgo(10, 1_000, 0))), null,
                ONE_PERCENT_OF_AN_HOUR, NOW);
        assertThat(h.ok()).isTrue();
        assertThat(h.rejected()).isZero();
        assertThat(h.valid()).isEqualTo(1_000);
    }

    @Test
    void sumsEveryConsumer() {
        StatusReport.Health h = Health.check(List.of(consumer(minutesAgo(1, 100, 0)), consumer(minutesAgo(2, 0, 5))), null,
                ONE_PERCENT_OF_AN_HOUR, NOW);
        assertThat(h.ok()).isFalse();
        assertThat(h.rejected()).isEqualTo(5);
        assertThat(h.valid()).isEqualTo(100);
    }

    @Test
    void noEventsIsNotAProblem() {
        StatusReport.Health h = Health.check(List.of(), null, ONE_PERCENT_OF_AN_HOUR, NOW);
        assertThat(h.ok()).isTrue();
        assertThat(h.line()).isEqualTo("no events received in the last 60 min");
    }
}
