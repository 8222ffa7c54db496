package dev.eventpipe.ingest;

import dev.eventpipe.bus.BusException;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges messages whose every line is durable (DeleteMessageBatch, ten at a time, from a few
 * threads so deletes keep up with receives) and keeps held messages hidden when the writer asks.
 * A delete that fails is retried: the message is safe, only its acknowledgement is pending, and if
 * the queue shows it again meanwhile the loader's dedupe absorbs the copy.
 */
final class Acker implements Acknowledger {

    private static final Logger log = LoggerFactory.getLogger(Acker.class);
    private static final int ATTEMPTS_WHEN_CLOSING = 3;
    /** Put once per thread at close: a thread waiting for work wakes at once, not after its 100 ms wait. */
    private static final QueueMessage CLOSE = new QueueMessage("close", "", "close", 1);

    private final EventBus bus;
    private final ConsumerStats stats;
    private final RetryPolicy retry;
    private final Consumer<Throwable> onFatal;
    private final BlockingQueue<QueueMessage> ready = new LinkedBlockingQueue<>();
    private final BlockingQueue<Runnable> extensions = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closing;
    private volatile long lastDeleteNanos;
    private final LongAdder deleteCalls = new LongAdder();

    private final Budget budget;

    Acker(EventBus bus, ConsumerStats stats, RetryPolicy retry, Consumer<Throwable> onFatal) {
        this(bus, stats, retry, onFatal, new Budget(Long.MAX_VALUE));
    }

    /** {@code budget} counts the messages waiting for their delete, so pollers do not outrun the deletes. */
    Acker(EventBus bus, ConsumerStats stats, RetryPolicy retry, Consumer<Throwable> onFatal, Budget budget) {
        this.budget = budget;
        this.bus = bus;
        this.stats = stats;
        this.retry = retry;
        this.onFatal = onFatal;
    }

    void start(int n) {
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(this::loop, "consume-acker-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Queues a message for deletion; every line it gave is durable. */
    @Override
    public void delete(QueueMessage m) {
        budget.deleting(1);
        ready.add(m);
    }

    /** Queues a visibility extension of {@code receipts} by {@code timeout} from now. */
    @Override
    public void extend(List<QueueMessage> receipts, Duration timeout) {
        extensions.add(() -> {
            try {
                bus.extendVisibility(receipts, timeout);
                log.debug("consume: kept {} messages hidden for another {} s", receipts.size(), timeout.toSeconds());
            } catch (BusException e) {
                log.warn("consume: could not keep {} held messages hidden: {}; another consumer may receive them too "
                        + "(the loader drops the copies)", receipts.size(), e.getMessage());
            }
        });
    }

    int pending() {
        return ready.size();
    }

    long lastDeleteNanos() {
        return lastDeleteNanos;
    }

    /** Deletes what is queued (giving up after a few failed attempts), then stops the threads. */
    void close(Duration atMost) throws InterruptedException {
        closing = true;
        for (int i = 0; i < threads.size(); i++) {
            ready.add(CLOSE);
        }
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        log.info("consume: {} messages deleted in {} DeleteMessageBatch calls", stats.deleted.sum(), deleteCalls.sum());
        ready.removeIf(m -> m == CLOSE);
        int left = ready.size();
        if (left > 0) {
            log.warn("consume: {} durable messages were not deleted at stop; they will be delivered again and their copies dropped on load", left);
            stats.kept.add(left);
            ready.clear();
        }
    }

    private void loop() {
        try {
            while (true) {
                Runnable ext = extensions.poll();
                if (ext != null) {
                    ext.run();
                    continue;
                }
                QueueMessage first = ready.poll(closing ? 10 : 100, TimeUnit.MILLISECONDS);
                if (first == CLOSE) {
                    // Put after the last message to delete: what is left is other threads' wake-ups.
                    if (extensions.isEmpty()) {
                        return;
                    }
                    continue;
                }
                if (first == null) {
                    if (closing && ready.isEmpty() && extensions.isEmpty()) {
                        return;
                    }
                    continue;
                }
                List<QueueMessage> chunk = new ArrayList<>(EventBus.MAX_BATCH);
                chunk.add(first);
                ready.drainTo(chunk, EventBus.MAX_BATCH - 1);
                int wakes = chunk.size();
                chunk.removeIf(m -> m == CLOSE);
                // Another thread's wake-up taken with the last messages: passed on, so that thread is not left waiting.
                for (wakes -= chunk.size(); wakes > 0; wakes--) {
                    ready.add(CLOSE);
                }
                try {
                    deleteChunk(chunk);
                } finally {
                    budget.deleting(-chunk.size());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            onFatal.accept(e);
        }
    }

    private void deleteChunk(List<QueueMessage> chunk) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                deleteCalls.increment();
                List<QueueMessage> notDeleted = bus.delete(chunk);
                lastDeleteNanos = System.nanoTime();
                stats.deleted.add(chunk.size() - notDeleted.size());
                stats.kept.add(notDeleted.size());
                return;
            } catch (BusException e) {
                boolean again = retry.shouldRetry(e, attempt) && !(closing && attempt >= ATTEMPTS_WHEN_CLOSING);
                if (!again) {
                    log.warn("consume: could not delete {} durable messages: {}; they will be delivered again and their copies"
                            + " dropped on load", chunk.size(), e.getMessage());
                    stats.kept.add(chunk.size());
                    return;
                }
                Duration d = retry.delay(attempt);
                log.debug("consume: delete failed ({}), retrying in {} ms", e.getMessage(), d.toMillis());
                Thread.sleep(d.toMillis());
            }
        }
    }
}
