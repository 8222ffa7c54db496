package dev.eventpipe.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of eventpipe, read once from {@code settings.ini} and the environment into typed records.
 * Relative paths in the file are taken from the file's folder, so cron and the shell agree.
 *
 * @param file      the settings file (it may not exist: then every key has its default)
 * @param warnings  one line per thing to log: an unknown key, an unused key holding a placeholder,
 *                  a repeated section, a value read otherwise than the original prototype read it
 * @param effective every known key with its value, secrets masked
 * @param origins   where each key set in the file or the environment came from: the file's name or the variable
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
        StatusSettings status,
        CollectorSettings collector,
        List<String> warnings,
        Map<String, String> effective,
        Map<String, String> origins) {

    static final Set<String> SECTIONS = Set.of(
            AwsSettings.SECTION, RedshiftSettings.SECTION, EventsSettings.SECTION, GenerateSettings.SECTION,
            DfsSettings.SECTION, ConsumerSettings.SECTION, WarehouseSettings.SECTION, ScheduleSettings.SECTION,
            ReportSettings.SECTION, StatusSettings.SECTION, CollectorSettings.SECTION);

    /** A local folder or file of the settings that a command writes in. */
    public enum PathKey {
        /** {@code [aws] embedded_data_dir}, when the embedded queue server keeps its messages. */
        QUEUE_DATA(AwsSettings.SECTION, "embedded_data_dir"),
        /** {@code [dfs] path}, when the file store is local. */
        DFS(DfsSettings.SECTION, "path"),
        /** {@code [warehouse] path}, when the warehouse is a DuckDB file. */
        WAREHOUSE(WarehouseSettings.SECTION, "path"),
        /** {@code [report] out}. */
        REPORT(ReportSettings.SECTION, "out");

        private final String section;
        private final String key;

        PathKey(String section, String key) {
            this.section = section;
            this.key = key;
        }
    }

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
        // Keys the chosen configuration does not use are checked for their type only (the prototype's file has placeholders).
        WarehouseSettings.Type warehouseType = WarehouseSettings.type(r);
        DfsSettings.Type dfsType = DfsSettings.type(r);
        String redshiftUnused = warehouseType == WarehouseSettings.Type.REDSHIFT ? null
                : "not used while [warehouse] type = " + lower(warehouseType);
        String bucketUnused = dfsType == DfsSettings.Type.S3 || warehouseType == WarehouseSettings.Type.REDSHIFT ? null
                : "not used while [dfs] type = " + lower(dfsType) + " and [warehouse] type = " + lower(warehouseType);
        AwsSettings aws = AwsSettings.read(r, bucketUnused);
        RedshiftSettings redshift = RedshiftSettings.read(r, redshiftUnused);
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
        StatusSettings status = StatusSettings.read(r);
        return new Settings(absolute, aws, redshift, events, generate, dfs, consumer, warehouse, schedule, report, status,
                CollectorSettings.read(r), r.warnings(), r.effective(), r.origins());
    }

    /** Only the file's own values and the defaults: for tests and tools that must ignore the environment. */
    public static Settings load(Path file) {
        return load(file, true, Map.of());
    }

    /**
     * Checks, before a command starts, that each local folder or file it will write in can be created
     * and written; a key the settings do not use (the file store on S3, a PostgreSQL warehouse) is skipped.
     *
     * @throws SettingsException {@code [section] key = 'value': cannot be created: why} for the first that cannot
     */
    public void requireUsable(PathKey... keys) {
        for (PathKey k : keys) {
            Optional<String> problem = switch (k) {
                case QUEUE_DATA -> aws.embeddedDataDir() == null ? Optional.empty() : UsablePath.folderProblem(aws.embeddedDataDir());
                case DFS -> dfs.type() != DfsSettings.Type.LOCAL ? Optional.empty() : UsablePath.folderProblem(dfs.path());
                case WAREHOUSE -> warehouse.type() != WarehouseSettings.Type.DUCKDB ? Optional.empty()
                        : UsablePath.fileProblem(warehouse.path(), "a DuckDB file");
                case REPORT -> UsablePath.folderProblem(report.out());
            };
            if (problem.isPresent()) {
                String name = k.section + "." + k.key;
                throw new SettingsException(SettingsReader.message(k.section, k.key, effective.get(name), origins.get(name), problem.get()));
            }
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
