package dev.eventpipe.serve;

import java.time.Duration;
import java.util.Objects;

/**
 * What one API call may cost the warehouse.
 *
 * @param maxRows    rows one query may return; a larger answer is refused (400) with what to narrow
 * @param timeout    a query running longer is cancelled (503)
 * @param maxEvents  events one chart may compare
 * @param maxSteps   steps of a funnel
 */
public record ApiLimits(int maxRows, Duration timeout, int maxEvents, int maxSteps) {

    /** What {@code serve} and {@code run} use. */
    public static final ApiLimits DEFAULT = new ApiLimits(20_000, Duration.ofSeconds(10), 12, 6);

    public ApiLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows < 1: " + maxRows);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout <= 0: " + timeout);
        }
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents < 1: " + maxEvents);
        }
        if (maxSteps < 2) {
            throw new IllegalArgumentException("maxSteps < 2: " + maxSteps);
        }
    }

    /** These limits with another timeout: for tests. */
    public ApiLimits withTimeout(Duration t) {
        return new ApiLimits(maxRows, t, maxEvents, maxSteps);
    }

    /** These limits with another row limit: for tests. */
    public ApiLimits withMaxRows(int rows) {
        return new ApiLimits(rows, timeout, maxEvents, maxSteps);
    }
}
