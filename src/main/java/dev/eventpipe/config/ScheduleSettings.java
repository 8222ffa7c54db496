package dev.eventpipe.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.time.Duration;

/**
 * {@code [schedule]}: when the embedded scheduler (or system cron, see {@code eventpipe crontab})
 * runs each job, as Unix cron expressions ({@code minute hour day-of-month month day-of-week}).
 * The original prototype loaded every 5 minutes and charted every 2 hours.
 *
 * @param load         the load pass
 * @param report       charts and dashboard
 * @param compact      compaction of finished days of archive/ into the Parquet lake
 * @param compactGrace how long after a UTC day ends it counts as finished, for compaction: what arrives
 *                     for a day later than that becomes one more Parquet file of the day
 */
public record ScheduleSettings(String load, String report, String compact, Duration compactGrace) {

    static final String SECTION = "schedule";

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    static ScheduleSettings read(SettingsReader r) {
        return new ScheduleSettings(cron(r, "load", "*/5 * * * *"), cron(r, "report", "0 */2 * * *"),
                cron(r, "compact", "15 1 * * *"),
                Duration.ofMinutes(r.integer(SECTION, "compact_grace_minutes", 60, 0, 7 * 24 * 60)));
    }

    private static String cron(SettingsReader r, String key, String def) {
        return r.parse(SECTION, key, def, s -> {
            UNIX.parse(s).validate();
            return s;
        }, "must be a Unix cron expression: minute hour day-of-month month day-of-week (like */5 * * * *)");
    }

    /** Parses a Unix cron expression (already validated when it came from the settings). */
    public static Cron parse(String expression) {
        return UNIX.parse(expression).validate();
    }
}
