package dev.eventpipe.retry;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The one retry policy: exponential backoff from {@code first} doubling to {@code max}, for failures
 * that {@link Retriable} calls retriable, at most {@code attempts} tries (0: no limit, for services
 * that wait out an outage). Immutable. {@link #delay} serves callers that schedule the next attempt
 * themselves (the consumer's writer never sleeps); {@link #call} serves callers that may block.
 *
 * <p>HTTP-level retries stay with the AWS SDK's own retry strategy: this policy retries what is left
 * after it gave up.
 */
public record RetryPolicy(Duration first, Duration max, int attempts) {

    public RetryPolicy {
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("first delay <= 0");
        }
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("max delay < first delay");
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts < 0");
        }
    }

    /** 1 s doubling to 30 s, no limit on attempts. */
    public static RetryPolicy standard() {
        return new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 0);
    }

    /** The same backoff with at most {@code n} attempts in all. */
    public RetryPolicy withAttempts(int n) {
        return new RetryPolicy(first, max, n);
    }

    /** How long to wait after failed attempt {@code attempt} (1 for the first failure). */
    public Duration delay(int attempt) {
        long millis = first.toMillis();
        for (int i = 1; i < attempt && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    /** Whether to try again after failed attempt {@code attempt} ended with {@code failure}. */
    public boolean shouldRetry(Throwable failure, int attempt) {
        return Retriable.isRetriable(failure) && (attempts == 0 || attempt < attempts);
    }

    /**
     * Runs {@code call} until it succeeds, fails with something not retriable, or runs out of attempts;
     * then throws the last failure. {@code onRetry} hears each retried failure (for a log line).
     */
    public <T> T call(Callable<T> call, Consumer<RetryEvent> onRetry) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (Exception e) {
                if (!shouldRetry(e, attempt)) {
                    throw e;
                }
                Duration d = delay(attempt);
                onRetry.accept(new RetryEvent(attempt, d, e));
                Thread.sleep(d.toMillis());
            }
        }
    }

    /** A failed attempt that will be tried again after {@code delay}. */
    public record RetryEvent(int attempt, Duration delay, Exception failure) {
    }
}
