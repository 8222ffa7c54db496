package dev.eventpipe.schedule;

import com.cronutils.model.Cron;
import java.util.function.Supplier;

/**
 * A job the scheduler runs at the times of its cron expression.
 *
 * @param name  the job's name in logs and in {@code eventpipe_job_runs} ({@code load}, {@code report})
 * @param work  does the job and returns a one-line detail (files and rows loaded, charts written)
 * @param after a job that, when it runs as this one comes due, runs first (the report waits for the
 *              load it shares a minute with); null for none
 */
public record ScheduledJob(String name, Cron cron, Supplier<String> work, String after) {

    public ScheduledJob(String name, Cron cron, Supplier<String> work) {
        this(name, cron, work, null);
    }
}
