package dev.eventpipe.warehouse;

import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoredObject;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous loading: a load pass starts as soon as files are waiting in {@code incoming/} and the
 * previous pass has finished, at most once per {@code minInterval}. Each pass is the same
 * {@link Loader} pass cron runs (ledger, dedupe, archive), so exactly-once is unchanged; only when it
 * runs differs. A pass that fails is logged and tried again after a backoff, so a warehouse that is
 * away for a while is waited out, not fatal.
 */
public final class LoadFollower {

    private static final Logger log = LoggerFactory.getLogger(LoadFollower.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Loader loader;
    private final ObjectStore store;
    private final Duration minInterval;

    public LoadFollower(Loader loader, ObjectStore store, Duration minInterval) {
        this.loader = loader;
        this.store = store;
        this.minInterval = minInterval;
    }

    /**
     * Loads until {@code running} turns false; each pass that did something goes to {@code onPass}.
     * Returns the totals of every pass.
     */
    public LoadSummary follow(BooleanSupplier running, Consumer<LoadSummary> onPass) throws InterruptedException {
        LoadSummary total = LoadSummary.empty();
        Duration backoff = minInterval;
        while (running.getAsBoolean()) {
            long started = System.nanoTime();
            boolean waiting;
            try {
                waiting = filesWaiting();
            } catch (RuntimeException e) {
                log.warn("load: cannot list the file store ({}); trying again in {} ms", e.getMessage(), backoff.toMillis());
                pause(running, backoff);
                backoff = next(backoff);
                continue;
            }
            if (waiting) {
                try {
                    LoadSummary pass = loader.run(n -> { }, n -> { });
                    if (pass.files() > 0 || pass.archived() > 0 || pass.quarantined() > 0) {
                        total = total.plus(pass);
                        onPass.accept(pass);
                    }
                    backoff = minInterval;
                } catch (RuntimeException e) {
                    log.warn("load: pass failed ({}); trying again in {} ms; what was committed stays committed",
                            e.getMessage(), backoff.toMillis());
                    pause(running, backoff);
                    backoff = next(backoff);
                    continue;
                }
            }
            long spent = (System.nanoTime() - started) / 1_000_000;
            pause(running, Duration.ofMillis(Math.max(0, minInterval.toMillis() - spent)));
        }
        return total;
    }

    private Duration next(Duration d) {
        Duration doubled = d.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    /** Whether any data file waits in incoming/: the first key of a listing is enough. */
    private boolean filesWaiting() {
        try (Stream<StoredObject> s = store.list(DfsLayout.INCOMING)) {
            return s.anyMatch(o -> o.key().endsWith(DfsLayout.SUFFIX));
        }
    }

    private static void pause(BooleanSupplier running, Duration d) throws InterruptedException {
        long until = System.nanoTime() + d.toNanos();
        while (running.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }
}
