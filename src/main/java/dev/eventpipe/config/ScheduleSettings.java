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
 * @param load                the load pass: {@link #CONTINUOUS} (a pass as soon as files land, at most every
 *                            {@code minLoadInterval}) or a cron expression
 * @param report              charts and dashboard
 * @param minLoadInterval     continuous loading starts a pass at most this often
 * @param compact             compaction of finished days of archive/ into the Parquet lake
 * @param compactGrace        how long after a UTC day ends it counts as finished, for compaction: what arrives
 *                            for a day later than that becomes one more Parquet file of the day
 */
public record ScheduleSettings(String load, String report, Duration minLoadInterval, String compact, Duration compactGrace) {

    static final String SECTION = "schedule";
    /** The value of {@code load} that loads files as they land instead of on a cron schedule. */
    public static final String CONTINUOUS = "continuous";

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    static ScheduleSettings read(SettingsReader r) {
        String load = r.parse(SECTION, "load", "*/5 * * * *", s -> {
            if (!s.equalsIgnoreCase(CONTINUOUS)) {
                UNIX.parse(s).validate();
            }
            return s.equalsIgnoreCase(CONTINUOUS) ? CONTINUOUS : s;
        }, "must be 'continuous' or a Unix cron expression: minute hour day-of-month month day-of-week (like */5 * * * *)");
        return new ScheduleSettings(load, cron(r, "report", "0 */2 * * *"),
                Duration.ofMillis(r.integer(SECTION, "min_load_interval_ms", 1000, 50, 3_600_000)),
                cron(r, "compact", "15 1 * * *"),
                Duration.ofMinutes(r.integer(SECTION, "compact_grace_minutes", 60, 0, 7 * 24 * 60)));
    }

    /** Whether loads follow the files as they land ({@code load = continuous}). */
    public boolean continuousLoad() {
        return CONTINUOUS.equals(load);
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
