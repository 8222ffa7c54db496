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
 * @param expression the Unix cron expression, or {@code continuous} (loads follow the files as they land)
 * @param zone       the zone cron reads it in
 */
public record LoadSchedule(String expression, ZoneId zone) {

    /** Whether loads follow the files as they land rather than a cron schedule. */
    boolean continuous() {
        return ScheduleSettings.CONTINUOUS.equalsIgnoreCase(expression);
    }

    /** The next run after {@code now}; empty when loading is continuous or the expression never runs again. */
    Optional<Instant> next(Instant now) {
        if (continuous()) {
            return Optional.empty();
        }
        return ExecutionTime.forCron(ScheduleSettings.parse(expression)).nextExecution(now.atZone(zone)).map(z -> z.toInstant());
    }
}
