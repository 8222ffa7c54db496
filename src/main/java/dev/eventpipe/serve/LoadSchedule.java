package dev.eventpipe.serve;

import com.cronutils.model.time.ExecutionTime;
import dev.eventpipe.config.ScheduleSettings;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * When loads run ({@code [schedule] load}, in the machine's time zone as cron reads it), so an empty
 * dashboard can say when the first rows will come.
 *
 * @param expression the Unix cron expression
 * @param zone       the zone cron reads it in
 */
public record LoadSchedule(String expression, ZoneId zone) {

    /** The next run after {@code now}, or empty when the expression never runs again. */
    Optional<Instant> next(Instant now) {
        return ExecutionTime.forCron(ScheduleSettings.parse(expression)).nextExecution(now.atZone(zone)).map(z -> z.toInstant());
    }
}
