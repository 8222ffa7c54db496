package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault suite, case 5: every settings key given a bad value stops a command with exit code 2 and a
 * message naming that key. A key added without a bad value here fails {@link #everyKnownKeyIsCovered}.
 */
class EverySettingTest {

    private static final String NO_FILE = CliRun.emptySettings();

    /** Keys any value suits: free-form paths and credentials of the database itself. */
    static final Set<String> ANY_VALUE = Set.of("aws.embedded_data_dir", "dfs.path", "warehouse.path", "report.out",
            "warehouse.user", "warehouse.password");

    static final Map<String, String> BAD = new HashMap<>();

    /** Keys checked beyond their type only where the settings use them, with the variables that make them used. */
    static final Map<String, Map<String, String>> USED_WHEN = new HashMap<>();

    private static final Map<String, String> REDSHIFT_WAREHOUSE = Map.of("EVENTPIPE_WAREHOUSE_TYPE", "redshift",
            "EVENTPIPE_DFS_TYPE", "s3", "EVENTPIPE_AWS_S3_BUCKET", "events-bucket", "EVENTPIPE_REDSHIFT_HOST", "cluster.example.com",
            "EVENTPIPE_REDSHIFT_ARN_CREDENTIALS", "arn:aws:iam::123456789012:role/copy");

    static {
        BAD.put("aws.region", "mars-1");
        BAD.put("aws.sqs_name", "has space");
        BAD.put("aws.sqs_polling_timeout", "21");
        BAD.put("aws.s3_bucket", "Bad_Bucket");
        BAD.put("aws.aws_access_key_id", "AKIA0123456789ABCDEF");
        BAD.put("aws.aws_secret_access_key", "s3cr3t");
        BAD.put("aws.endpoint", "ftp://queue.local");
        BAD.put("aws.embedded_port", "70000");
        BAD.put("aws.embedded_persist", "maybe");
        BAD.put("aws.sqs_dead_letter_name", "a/b");
        BAD.put("aws.sqs_max_receive_count", "0");
        BAD.put("aws.sqs_visibility_timeout", "10");
        BAD.put("aws.s3_endpoint", "not a url");
        BAD.put("redshift.user", "1user");
        BAD.put("redshift.password", "short");
        BAD.put("redshift.host", "-bad-");
        BAD.put("redshift.port", "0");
        BAD.put("redshift.database", "Bad-Name");
        BAD.put("redshift.arn_credentials", "role/copy");
        BAD.put("events.events_per_sec", "-1");
        BAD.put("events.polling_cycles", "often");
        BAD.put("events.report_events", "x".repeat(300));
        BAD.put("events.max_event_bytes", "10");
        BAD.put("generate.devices", "0");
        BAD.put("generate.funnel_conversion", "1.5");
        BAD.put("generate.android_share", "-0.1");
        BAD.put("generate.threads", "0");
        BAD.put("generate.pack", "1001");
        BAD.put("dfs.type", "hdfs");
        BAD.put("dfs.prefix", "a b");
        BAD.put("consumer.pollers", "0");
        BAD.put("consumer.batch_max_events", "0");
        BAD.put("consumer.batch_max_bytes", "10");
        BAD.put("consumer.batch_max_age_seconds", "0");
        BAD.put("consumer.max_buffered_bytes", "100");
        BAD.put("consumer.gzip_level", "10");
        BAD.put("consumer.writer_id", "a b");
        BAD.put("warehouse.type", "oracle");
        BAD.put("warehouse.url", "postgres://db/events");
        BAD.put("warehouse.batch_files", "0");
        BAD.put("schedule.load", "every minute");
        BAD.put("schedule.report", "61 * * * *");
        BAD.put("schedule.min_load_interval_ms", "10");
        BAD.put("schedule.compact", "daily");
        BAD.put("schedule.compact_grace_minutes", "-1");
        BAD.put("report.port", "0");
        BAD.put("report.days", "0");
        BAD.put("report.width", "10");
        BAD.put("report.height", "10");
        BAD.put("report.bind", "300.1.2.3");
        BAD.put("report.users", "alice:plain-password");
        BAD.put("status.max_rejected_share", "1.5");
        BAD.put("status.window_minutes", "0");
        BAD.put("consumer.max_open_batches", "0");
        BAD.put("consumer.max_inflight_messages", "-1");
        BAD.put("collector.port", "0");
        BAD.put("collector.bind", "example.com");
        BAD.put("collector.write_keys", "has:colon");
        BAD.put("collector.allowed_origins", "ftp://x");
        BAD.put("collector.max_inflight_bytes", "10");
        BAD.put("collector.max_connections", "0");
        BAD.put("collector.batch_wait_ms", "21");
        for (String key : new String[] {"redshift.user", "redshift.password", "redshift.host", "redshift.database", "redshift.arn_credentials"}) {
            USED_WHEN.put(key, REDSHIFT_WAREHOUSE);
        }
        USED_WHEN.put("aws.s3_bucket", Map.of("EVENTPIPE_DFS_TYPE", "s3"));
    }

    static Stream<String> keys() {
        return BAD.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("keys")
    void aBadValueExitsTwoNamingTheKey(String key) {
        String section = key.substring(0, key.indexOf('.'));
        String name = key.substring(key.indexOf('.') + 1);
        String variable = "EVENTPIPE_" + section.toUpperCase(Locale.ROOT) + "_" + name.toUpperCase(Locale.ROOT);
        Map<String, String> env = new HashMap<>(USED_WHEN.getOrDefault(key, Map.of()));
        env.put(variable, BAD.get(key));
        CliRun r = CliRun.run(env, "--config", NO_FILE, "crontab");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("bad settings: [" + section + "] " + name + " = '").contains(variable);
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("keysUsedOnlySometimes")
    void aBadValueOfAKeyTheSettingsDoNotUseIsAWarning(String key) {
        String section = key.substring(0, key.indexOf('.'));
        String name = key.substring(key.indexOf('.') + 1);
        String variable = "EVENTPIPE_" + section.toUpperCase(Locale.ROOT) + "_" + name.toUpperCase(Locale.ROOT);
        Settings s = Settings.load(Path.of(NO_FILE), true, Map.of(variable, BAD.get(key)));
        assertThat(s.warnings()).singleElement().asString().startsWith("[" + section + "] " + name + " = '").contains(variable)
                .endsWith("so not checked further");
    }

    static Stream<String> keysUsedOnlySometimes() {
        return USED_WHEN.keySet().stream().sorted();
    }

    @org.junit.jupiter.api.Test
    void everyKnownKeyIsCovered() {
        Set<String> known = Settings.load(Path.of(NO_FILE)).effective().keySet();
        for (String key : known) {
            assertThat(BAD.containsKey(key) || ANY_VALUE.contains(key)).as("a bad value for " + key).isTrue();
        }
        assertThat(known).containsAll(BAD.keySet());
    }
}
