package dev.eventpipe.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and Ctrl-C as a request to stop gracefully: the command finishes what it holds (flush,
 * delete, summary) and exits 0. A second signal exits at once. Handling the signals ourselves,
 * instead of in a shutdown hook, lets the command end normally with its own exit code.
 */
public final class StopSignal {

    private static final Logger log = LoggerFactory.getLogger(StopSignal.class);

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Installs handlers for TERM and INT that trigger this signal. */
    public static StopSignal install() {
        StopSignal s = new StopSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), sig -> s.receive(sig.getName()));
            } catch (IllegalArgumentException e) {
                log.debug("Cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return s;
    }

    /** Not tied to any OS signal: for tests and for stopping by time. */
    public static StopSignal manual() {
        return new StopSignal();
    }

    private void receive(String name) {
        if (stopped.getCount() == 0) {
            log.warn("Second SIG{}: exiting now", name);
            Runtime.getRuntime().halt(130);
        }
        log.info("SIG{} received: stopping gracefully (send it again to exit at once)", name);
        trigger();
    }

    public void trigger() {
        if (stopped.getCount() > 0) {
            stopped.countDown();
            for (Runnable r : listeners) {
                r.run();
            }
        }
    }

    /** Runs {@code r} when the stop comes (at once if it already has). */
    public void onStop(Runnable r) {
        listeners.add(r);
        if (stopped.getCount() == 0) {
            r.run();
        }
    }

    public boolean stopped() {
        return stopped.getCount() == 0;
    }

    /** Waits for the stop for at most {@code timeout} (null: no limit); true when it came. */
    public boolean await(Duration timeout) throws InterruptedException {
        if (timeout == null) {
            stopped.await();
            return true;
        }
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
