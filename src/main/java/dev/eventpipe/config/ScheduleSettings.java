package dev.eventpipe.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

/**
 * {@code [schedule]}: when the embedded scheduler (or system cron, see {@code eventpipe crontab})
 * runs each job, as Unix cron expressions ({@code minute hour day-of-month month day-of-week}).
 * The original prototype loaded every 5 minutes and charted every 2 hours.
 *
 * @param load   the load pass
 * @param report charts and dashboard
 */
public record ScheduleSettings(String load, String report) {

    static final String SECTION = "schedule";

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    static ScheduleSettings read(SettingsReader r) {
        return new ScheduleSettings(cron(r, "load", "*/5 * * * *"), cron(r, "report", "0 */2 * * *"));
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
