package dev.eventpipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    private Path ini(String text) throws IOException {
        Path file = dir.resolve("settings.ini");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void theOriginalPrototypesKeysKeepTheirMeaning() throws IOException {
        Settings s = Settings.load(ini("""
                [aws]
                region = eu-west-1
                sqs_name = events
                sqs_polling_timeout = 10
                s3_bucket = my-bucket
                aws_access_key_id = AKIAEXAMPLE
                aws_secret_access_key = secret
                [redshift]
                user = admin
                password = Secret-pw1
                host = cluster.example.com
                port = 5439
                database = analytics
                arn_credentials = arn:aws:iam::123456789012:role/copy
                [events]
                events_per_sec = 10
                polling_cycles = 4
                report_events = registration_initiated,submission_success
                """));
        assertThat(s.aws().region()).isEqualTo("eu-west-1");
        assertThat(s.aws().sqsName()).isEqualTo("events");
        assertThat(s.aws().sqsPollingTimeout()).isEqualTo(10);
        assertThat(s.aws().s3Bucket()).isEqualTo("my-bucket");
        assertThat(s.aws().hasStaticCredentials()).isTrue();
        assertThat(s.aws().endpoint().kind()).isEqualTo(AwsSettings.QueueKind.AWS);
        assertThat(s.aws().sqsEndpoint()).isEmpty();
        assertThat(s.aws().sqsDeadLetterName()).isEqualTo("events-dlq");
        assertThat(s.redshift().host()).isEqualTo("cluster.example.com");
        assertThat(s.redshift().arnCredentials()).isEqualTo("arn:aws:iam::123456789012:role/copy");
        assertThat(s.events().eventsPerSec()).isEqualTo(10);
        assertThat(s.events().pollingCycles()).isEqualTo(4);
        assertThat(s.events().reportEvents()).containsExactly("registration_initiated", "submission_success");
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void anEnvironmentVariableOverridesTheFile() throws IOException {
        Settings s = Settings.load(ini("[aws]\nsqs_name = from-file\n"), true,
                Map.of("EVENTPIPE_AWS_SQS_NAME", "from-env", "EVENTPIPE_EVENTS_EVENTS_PER_SEC", "7"));
        assertThat(s.aws().sqsName()).isEqualTo("from-env");
        assertThat(s.events().eventsPerSec()).isEqualTo(7);
    }

    @Test
    void variablesOfOtherToolsWithThePrefixAreIgnored() throws IOException {
        Settings s = Settings.load(ini(""), true, Map.of("EVENTPIPE_TEST_POSTGRES_URL", "jdbc:postgresql://x/y"));
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void aBadNumberNamesSectionKeyValueAndWhatIsAllowed() throws IOException {
        Path file = ini("[aws]\nsqs_polling_timeout = 30\n");
        assertThatThrownBy(() -> Settings.load(file))
                .isInstanceOf(SettingsException.class)
                .hasMessage("[aws] sqs_polling_timeout = '30': must be a whole number from 0 to 20");
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariable() throws IOException {
        Path file = ini("");
        assertThatThrownBy(() -> Settings.load(file, true, Map.of("EVENTPIPE_EVENTS_EVENTS_PER_SEC", "fast")))
                .hasMessage("[events] events_per_sec = 'fast' (from EVENTPIPE_EVENTS_EVENTS_PER_SEC): "
                        + "must be a whole number from 0 to 1000000");
    }

    @Test
    void aSecretIsNeverPrintedEvenWhenItIsTheBadValue() throws IOException {
        Path file = ini("[aws]\naws_access_key_id = \naws_secret_access_key = hunter2\n");
        assertThatThrownBy(() -> Settings.load(file))
                .hasMessageContaining("aws_access_key_id")
                .hasMessageNotContaining("hunter2");
        Settings s = Settings.load(ini("[redshift]\npassword = hunter2hunter2\n"));
        assertThat(s.toString()).doesNotContain("hunter2hunter2");
        assertThat(s.effective().get("redshift.password")).isEqualTo("****");
    }

    @Test
    void anUnknownKeyIsAWarningThatSuggestsTheClosestKnownKey() throws IOException {
        Settings s = Settings.load(ini("[aws]\nsqs_polling_timout = 5\n"));
        assertThat(s.warnings()).singleElement().asString()
                .contains("[aws] sqs_polling_timout")
                .contains("did you mean [aws] sqs_polling_timeout?");
    }

    @Test
    void theEndpointIsEmbeddedAUrlOrEmptyForAws() throws IOException {
        Settings embedded = Settings.load(ini("[aws]\nendpoint = embedded\nembedded_port = 9400\n"));
        assertThat(embedded.aws().sqsEndpoint()).contains(URI.create("http://127.0.0.1:9400"));
        Settings custom = Settings.load(ini("[aws]\nendpoint = http://queue.local:9324\n"));
        assertThat(custom.aws().sqsEndpoint()).contains(URI.create("http://queue.local:9324"));
        Path bad = ini("[aws]\nendpoint = queue.local\n");
        assertThatThrownBy(() -> Settings.load(bad)).hasMessageStartingWith("[aws] endpoint = 'queue.local': must be 'embedded'");
    }

    @Test
    void relativePathsAreTakenFromTheSettingsFilesFolder() throws IOException {
        Settings s = Settings.load(ini("[aws]\nembedded_data_dir = state/queue\n"));
        assertThat(s.aws().embeddedDataDir()).isEqualTo(dir.resolve("state/queue").toAbsolutePath().normalize());
        assertThat(Settings.load(ini("[aws]\nembedded_persist = false\n")).aws().embeddedDataDir()).isNull();
    }

    @Test
    void aPythonStyleListOfReportEventsIsAccepted() throws IOException {
        Settings s = Settings.load(ini("[events]\nreport_events = ['app_opened', \"screen_viewed\"]\n"));
        assertThat(s.events().reportEvents()).isEqualTo(List.of("app_opened", "screen_viewed"));
    }

    @Test
    void aMissingFileIsAnErrorOnlyWhenItWasAskedFor() {
        Path missing = dir.resolve("nope.ini");
        assertThatThrownBy(() -> Settings.load(missing)).hasMessageContaining("not found");
        Settings defaults = Settings.load(missing, false, Map.of());
        assertThat(defaults.aws().sqsName()).isEqualTo("eventpipe-events");
        assertThat(defaults.events().reportEvents()).containsExactly("registration_initiated", "submission_success");
    }

    @Test
    void aBrokenIniFileIsReportedAsSuch() throws IOException {
        Path file = ini("[aws\nregion = x\n");
        assertThatThrownBy(() -> Settings.load(file)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("not a valid INI file");
    }

    @Test
    void theDeadLetterQueueMustDifferFromTheQueue() throws IOException {
        Path file = ini("[aws]\nsqs_name = q\nsqs_dead_letter_name = q\n");
        assertThatThrownBy(() -> Settings.load(file)).hasMessage("[aws] sqs_dead_letter_name = 'q': must differ from sqs_name");
    }

    @Test
    void theRepositorysSettingsFileIsTheEmbeddedDefaultAndHasNoUnknownKeys() {
        Settings s = Settings.load(Path.of("settings.ini"));
        assertThat(s.aws().endpoint().kind()).isEqualTo(AwsSettings.QueueKind.EMBEDDED);
        assertThat(s.warnings()).isEmpty();
    }
}
