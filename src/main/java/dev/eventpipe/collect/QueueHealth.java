package dev.eventpipe.collect;

import dev.eventpipe.bus.EventBus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Whether the queue answers, for {@code /health}: one depth query at a time, its answer reused for a
 * second (a load balancer may ask often), and a queue that does not answer within the timeout is down.
 */
final class QueueHealth implements AutoCloseable {

    private static final long FRESH_NANOS = Duration.ofSeconds(1).toNanos();
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final EventBus bus;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "collector-health");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<String> last;
    private long lastAt;

    QueueHealth(EventBus bus) {
        this.bus = bus;
    }

    /** Completes with null when the queue answers, else with what is wrong; never fails. */
    synchronized CompletableFuture<String> check() {
        long now = System.nanoTime();
        if (last != null && (!last.isDone() || now - lastAt < FRESH_NANOS)) {
            return last;
        }
        lastAt = now;
        last = CompletableFuture.supplyAsync(() -> {
                    bus.depth();
                    return (String) null;
                }, executor)
                .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> {
                    Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                    return c instanceof java.util.concurrent.TimeoutException ? "no answer within " + TIMEOUT.toSeconds() + " s"
                            : String.valueOf(c.getMessage());
                });
        return last;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
