package dev.eventpipe.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All settings, parsed once from {@code settings.ini} and the environment into typed records.
 * Relative paths in the file are taken from the file's folder, so cron and the shell agree.
 *
 * @param file     the settings file (it may not exist: then every key has its default)
 * @param warnings one line per unknown key, to be logged
 */
public record Settings(
        Path file,
        AwsSettings aws,
        RedshiftSettings redshift,
        EventsSettings events,
        GenerateSettings generate,
        DfsSettings dfs,
        ConsumerSettings consumer,
        WarehouseSettings warehouse,
        ScheduleSettings schedule,
        ReportSettings report,
        List<String> warnings,
        Map<String, String> effective) {

    static final Set<String> SECTIONS = Set.of(
            AwsSettings.SECTION, RedshiftSettings.SECTION, EventsSettings.SECTION, GenerateSettings.SECTION,
            DfsSettings.SECTION, ConsumerSettings.SECTION, WarehouseSettings.SECTION, ScheduleSettings.SECTION,
            ReportSettings.SECTION);

    /**
     * Loads {@code file} with {@code env} laid over it.
     *
     * @param required when false a missing file means all defaults
     * @throws SettingsException naming section, key and value of the first bad setting
     */
    public static Settings load(Path file, boolean required, Map<String, String> env) {
        Path absolute = file.toAbsolutePath().normalize();
        RawSettings raw = RawSettings.load(absolute, required, env, SECTIONS);
        SettingsReader r = new SettingsReader(raw, absolute.getParent());
        AwsSettings aws = AwsSettings.read(r);
        RedshiftSettings redshift = RedshiftSettings.read(r);
        EventsSettings events = EventsSettings.read(r);
        GenerateSettings generate = GenerateSettings.read(r);
        DfsSettings dfs = DfsSettings.read(r, aws);
        ConsumerSettings consumer = ConsumerSettings.read(r);
        int needed = consumer.batchMaxAgeSeconds() + ConsumerSettings.WRITE_MARGIN_SECONDS;
        if (aws.sqsVisibilityTimeout() < needed) {
            // A message must stay hidden while its batch fills and is written, or another consumer gets it too.
            throw r.invalid(AwsSettings.SECTION, "sqs_visibility_timeout", "must be at least [consumer] batch_max_age_seconds + "
                    + ConsumerSettings.WRITE_MARGIN_SECONDS + " = " + needed + ", so a message stays hidden while its batch fills and is written");
        }
        WarehouseSettings warehouse = WarehouseSettings.read(r, redshift, dfs);
        ScheduleSettings schedule = ScheduleSettings.read(r);
        ReportSettings report = ReportSettings.read(r);
        return new Settings(absolute, aws, redshift, events, generate, dfs, consumer, warehouse, schedule, report,
                r.unknownKeyWarnings(), r.effective());
    }

    /** Only the file's own values and the defaults: for tests and tools that must ignore the environment. */
    public static Settings load(Path file) {
        return load(file, true, Map.of());
    }
}
