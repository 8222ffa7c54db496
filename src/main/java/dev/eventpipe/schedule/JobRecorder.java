package dev.eventpipe.schedule;

import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.WarehouseException;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job and records it in {@code eventpipe_job_runs}: start, end, {@code ok} or {@code failed},
 * and a one-line detail (the job's summary, or the error). A job still runs when its start cannot be
 * recorded (the warehouse being what failed is a common reason to look at the history later).
 */
public final class JobRecorder {

    private static final Logger log = LoggerFactory.getLogger(JobRecorder.class);

    private JobRecorder() {
    }

    public static <T> T run(Warehouse warehouse, String job, Clock clock, Supplier<T> work, Function<T, String> detail) {
        Long id = null;
        try {
            id = warehouse.jobStarted(job, clock.instant());
        } catch (WarehouseException e) {
            log.warn("{}: could not record the start of the run: {}", job, e.getMessage());
        }
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            finish(warehouse, job, id, clock, "failed", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            throw e;
        }
        finish(warehouse, job, id, clock, "ok", detail.apply(result));
        return result;
    }

    private static void finish(Warehouse warehouse, String job, Long id, Clock clock, String status, String detail) {
        if (id == null) {
            return;
        }
        try {
            warehouse.jobFinished(id, clock.instant(), status, detail);
        } catch (WarehouseException e) {
            log.warn("{}: could not record the end of the run ({}): {}", job, status, e.getMessage());
        }
    }
}
