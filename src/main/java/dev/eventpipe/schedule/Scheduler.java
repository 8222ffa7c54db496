package dev.eventpipe.schedule;

import com.cronutils.model.time.ExecutionTime;
import dev.eventpipe.warehouse.Warehouse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded scheduler of {@code eventpipe run}: each job runs at the times of its cron expression,
 * in the machine's time zone as system cron would. A job still running when its next time comes is
 * skipped (with a log line), never run twice at once; different jobs may run side by side, except that a
 * job declared to come after another waits for that one's run under way. Every run
 * is recorded in {@code eventpipe_job_runs}; a failed run logs its cause and the job runs again at its
 * next time. Time comes from a {@link Clock}, and {@link #tick()} can be called by hand, so tests
 * control both.
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final List<Entry> entries = new ArrayList<>();
    private final Warehouse warehouse;
    private final Clock clock;
    private final ZoneId zone;
    private final ExecutorService workers;
    private ScheduledExecutorService ticker;

    /** One job's schedule and state. */
    private static final class Entry {
        final ScheduledJob job;
        final ExecutionTime times;
        final AtomicBoolean running = new AtomicBoolean();
        final AtomicLong runs = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        volatile Instant next;
        volatile Future<?> current;

        Entry(ScheduledJob job) {
            this.job = job;
            this.times = ExecutionTime.forCron(job.cron());
        }
    }

    /**
     * @param workers where runs happen; one thread per job lets jobs overlap each other
     */
    public Scheduler(List<ScheduledJob> jobs, Warehouse warehouse, Clock clock, ZoneId zone, ExecutorService workers) {
        this.warehouse = warehouse;
        this.clock = clock;
        this.zone = zone;
        this.workers = workers;
        for (ScheduledJob job : jobs) {
            Entry e = new Entry(job);
            e.next = nextAfter(e, clock.instant());
            entries.add(e);
        }
    }

    /** A scheduler with a worker thread per job and the real clock. */
    public static Scheduler start(List<ScheduledJob> jobs, Warehouse warehouse, ZoneId zone) {
        AtomicLong n = new AtomicLong();
        Scheduler s = new Scheduler(jobs, warehouse, Clock.systemUTC(), zone, Executors.newFixedThreadPool(
                Math.max(1, jobs.size()), r -> {
                    Thread t = new Thread(r, "job-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }));
        s.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scheduler");
            t.setDaemon(true);
            return t;
        });
        s.ticker.scheduleWithFixedDelay(s::tick, 0, 250, TimeUnit.MILLISECONDS);
        for (Entry e : s.entries) {
            log.info("schedule: job '{}' at '{}' ({}), next at {}", e.job.name(), e.job.cron().asString(), s.zone, s.local(e.next));
        }
        return s;
    }

    private Instant nextAfter(Entry e, Instant t) {
        return e.times.nextExecution(ZonedDateTime.ofInstant(t, zone)).map(ZonedDateTime::toInstant)
                .orElse(Instant.MAX);
    }

    private String local(Instant t) {
        return t.equals(Instant.MAX) ? "never" : ZonedDateTime.ofInstant(t, zone).toLocalDateTime().toString();
    }

    /** Starts every job whose time has come; a job still running is skipped until its next time after now. */
    public void tick() {
        Instant now = clock.instant();
        for (Entry e : entries) {
            if (now.isBefore(e.next)) {
                continue;
            }
            Instant due = e.next;
            e.next = nextAfter(e, now);
            if (!e.running.compareAndSet(false, true)) {
                e.skipped.incrementAndGet();
                log.info("schedule: job '{}' is still running at {}: this run is skipped, next at {}",
                        e.job.name(), local(due), local(e.next));
                continue;
            }
            Future<?> first = e.job.after() == null ? null : entry(e.job.after()).current;
            e.current = workers.submit(() -> {
                awaitQuietly(first);
                runOnce(e);
            });
        }
    }

    /** Waits for the run of the job this one comes after, when one is under way. */
    private static void awaitQuietly(Future<?> first) {
        if (first == null || first.isDone()) {
            return;
        }
        try {
            first.get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException ex) {
            // its failure is its own; this job runs anyway
        }
    }

    private void runOnce(Entry e) {
        try {
            String detail = JobRecorder.run(warehouse, e.job.name(), clock, e.job.work(), d -> d);
            log.info("schedule: job '{}' done: {}", e.job.name(), detail);
        } catch (RuntimeException ex) {
            log.warn("schedule: job '{}' failed: {}; it runs again at {}", e.job.name(),
                    ex.getMessage() == null ? ex.toString() : ex.getMessage(), local(e.next));
            log.debug("schedule: job '{}' failure", e.job.name(), ex);
        } finally {
            e.runs.incrementAndGet();
            e.running.set(false);
        }
    }

    /** When {@code job} runs next. */
    public Instant nextRun(String job) {
        return entry(job).next;
    }

    /** Runs finished (ok or failed) of {@code job} so far. */
    public long runs(String job) {
        return entry(job).runs.get();
    }

    /** Times {@code job} was skipped because it was still running. */
    public long skipped(String job) {
        return entry(job).skipped.get();
    }

    public boolean running(String job) {
        return entry(job).running.get();
    }

    private Entry entry(String job) {
        return entries.stream().filter(e -> e.job.name().equals(job)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no job '" + job + "'"));
    }

    /** Stops scheduling and waits for runs under way to end. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.MINUTES)) {
                log.warn("schedule: jobs still running after 10 minutes; leaving them");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
