package dev.eventpipe.ingest;

import dev.eventpipe.config.ConsumerSettings;
import dev.eventpipe.config.Settings;
import dev.eventpipe.retry.RetryPolicy;
import java.time.Duration;

/**
 * One consumer's behaviour.
 *
 * @param batchMaxAge             a batch is written this long after its first event at the latest
 * @param maxBufferedBytes        bytes held in all batches and in transit at most; above it pollers wait
 * @param emptyPollsBeforeFlush   after this many empty receives in a row a poller has every batch written (0: never)
 * @param receiveWait             long-poll wait of each receive
 * @param visibilityTimeout       how long a received message stays hidden; extended while it is held longer
 * @param untilEmpty              stop once the queue shows no visible message and every poller found it empty
 * @param duration                stop after this long, or null
 * @param statsInterval           how often a progress line is logged
 * @param maxOpenBatches          per-date batches open at most; one more writes the oldest first
 * @param maxInflightMessages     received messages held (not deleted) at most: at the bound the largest batch is
 *                                written and pollers wait (0: no bound)
 * @param retry                   how failed writes, receives and deletes are retried
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
        Duration statsInterval,
        int maxOpenBatches,
        int maxInflightMessages,
        RetryPolicy retry) {

    /** The default bound on open batches. */
    public static final int DEFAULT_MAX_OPEN_BATCHES = 64;

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
        if (maxOpenBatches < 1) {
            throw new IllegalArgumentException("maxOpenBatches < 1");
        }
        if (maxInflightMessages < 0) {
            throw new IllegalArgumentException("maxInflightMessages < 0");
        }
    }

    public ConsumerOptions(int pollers, int batchMaxEvents, long batchMaxBytes, Duration batchMaxAge, long maxBufferedBytes,
                           int emptyPollsBeforeFlush, Duration receiveWait, Duration visibilityTimeout, int gzipLevel,
                           String writerId, boolean untilEmpty, Duration duration, Duration statsInterval) {
        this(pollers, batchMaxEvents, batchMaxBytes, batchMaxAge, maxBufferedBytes, emptyPollsBeforeFlush, receiveWait,
                visibilityTimeout, gzipLevel, writerId, untilEmpty, duration, statsInterval, DEFAULT_MAX_OPEN_BATCHES, 0,
                RetryPolicy.standard());
    }

    /**
     * The options {@code settings} give ({@code [consumer]}, {@code [events] polling_cycles}, {@code [aws]} waits),
     * with what a command decides itself.
     */
    public static ConsumerOptions from(Settings settings, int pollers, Duration receiveWait, boolean untilEmpty, Duration duration,
                                       Duration statsInterval) {
        ConsumerSettings c = settings.consumer();
        return new ConsumerOptions(pollers, c.batchMaxEvents(), c.batchMaxBytes(), Duration.ofSeconds(c.batchMaxAgeSeconds()),
                c.maxBufferedBytes(), settings.events().pollingCycles(), receiveWait,
                Duration.ofSeconds(settings.aws().sqsVisibilityTimeout()), c.gzipLevel(), Consumer.writerId(c.writerId()),
                untilEmpty, duration, statsInterval, c.maxOpenBatches(), c.maxInflightMessages(), RetryPolicy.standard());
    }

    public ConsumerOptions withMaxOpenBatches(int n) {
        return new ConsumerOptions(pollers, batchMaxEvents, batchMaxBytes, batchMaxAge, maxBufferedBytes, emptyPollsBeforeFlush,
                receiveWait, visibilityTimeout, gzipLevel, writerId, untilEmpty, duration, statsInterval, n, maxInflightMessages, retry);
    }

    public ConsumerOptions withRetry(RetryPolicy r) {
        return new ConsumerOptions(pollers, batchMaxEvents, batchMaxBytes, batchMaxAge, maxBufferedBytes, emptyPollsBeforeFlush,
                receiveWait, visibilityTimeout, gzipLevel, writerId, untilEmpty, duration, statsInterval, maxOpenBatches,
                maxInflightMessages, r);
    }

    public ConsumerOptions withMaxInflightMessages(int n) {
        return new ConsumerOptions(pollers, batchMaxEvents, batchMaxBytes, batchMaxAge, maxBufferedBytes, emptyPollsBeforeFlush,
                receiveWait, visibilityTimeout, gzipLevel, writerId, untilEmpty, duration, statsInterval, maxOpenBatches, n, retry);
    }
}
