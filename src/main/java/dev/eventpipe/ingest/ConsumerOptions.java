package dev.eventpipe.ingest;

import java.time.Duration;

/**
 * One consumer's behaviour.
 *
 * @param batchMaxAge             a partition is written this long after its first event at the latest
 * @param maxBufferedBytes        JSON bytes held in all partitions at most; above it pollers wait
 * @param emptyPollsBeforeFlush   after this many empty receives in a row a poller writes every partition (0: never)
 * @param receiveWait             long-poll wait of each receive
 * @param visibilityTimeout       how long a received message stays hidden; extended while a write is retried
 * @param untilEmpty              stop once the queue shows no visible message and every poller found it empty
 * @param duration                stop after this long, or null
 * @param statsInterval           how often a progress line is logged
 */
public record ConsumerOptions(
        int pollers,
        int batchMaxEvents,
        long batchMaxBytes,
        Duration batchMaxAge,
        long maxBufferedBytes,
        int emptyPollsBeforeFlush,
        Duration receiveWait,
        Duration visibilityTimeout,
        int gzipLevel,
        String writerId,
        boolean untilEmpty,
        Duration duration,
        Duration statsInterval) {

    public ConsumerOptions {
        if (pollers < 1) {
            throw new IllegalArgumentException("pollers < 1");
        }
        if (batchMaxEvents < 1 || batchMaxBytes < 1 || maxBufferedBytes < batchMaxBytes) {
            throw new IllegalArgumentException("batch limits must be positive and maxBufferedBytes >= batchMaxBytes");
        }
        if (writerId == null || writerId.isEmpty()) {
            throw new IllegalArgumentException("writerId is empty");
        }
    }
}
