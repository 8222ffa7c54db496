package dev.eventpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsumerStatsTest {

    @Test
    void filesCountOnlyOnceEveryEarlierFileHasFinished() {
        ConsumerStats stats = new ConsumerStats();
        stats.fileFinished(2, 20);
        ConsumerSummary s = stats.summary("w", "now", 1, 0);
        assertThat(s.countedThroughSeq()).isZero();
        assertThat(s.countedEvents()).isZero();

        stats.fileFinished(1, 10);
        stats.fileFinished(4, 40);
        s = stats.summary("w", "now", 1, 0);
        assertThat(s.countedThroughSeq()).isEqualTo(2);
        assertThat(s.countedEvents()).isEqualTo(30);

        stats.fileFinished(3, 30);
        s = stats.summary("w", "now", 1, 0);
        assertThat(s.countedThroughSeq()).isEqualTo(4);
        assertThat(s.countedEvents()).isEqualTo(100);
    }
}
