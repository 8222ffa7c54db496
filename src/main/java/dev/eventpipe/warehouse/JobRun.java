package dev.eventpipe.warehouse;

import java.time.Instant;

/**
 * One run of a scheduled job, as recorded in {@code eventpipe_job_runs}.
 *
 * @param finished null while it runs
 * @param status   {@code running}, {@code ok}, {@code failed} or {@code skipped}
 */
public record JobRun(long id, String job, Instant started, Instant finished, String status, String detail) {
}
