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
    void aByteThatIsNotUtf8NamesTheFileTheLineAndTheByte() throws IOException {
        Path file = dir.resolve("latin1.ini");
        Files.write(file, "[aws]\nregion = us-east-1\nsqs_name = caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Settings.load(file)).isInstanceOf(SettingsException.class)
                .hasMessage("settings file '" + file.toAbsolutePath() + "' line 3 is not UTF-8 (byte 0xE9 at column 15): save it as UTF-8");
    }

    @Test
    void aUtf8ByteOrderMarkAtTheStartIsAccepted() throws IOException {
        Settings s = Settings.load(ini("\uFEFF[aws]\nsqs_name = with-bom\n"));
        assertThat(s.aws().sqsName()).isEqualTo("with-bom");
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void aFolderGivenAsTheSettingsFileIsSaidToBeAFolder() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("settings.d"));
        assertThatThrownBy(() -> Settings.load(folder)).isInstanceOf(SettingsException.class)
                .hasMessage("settings file '" + folder.toAbsolutePath() + "' is a folder, not a file");
        assertThatThrownBy(() -> Settings.load(folder, false, Map.of())).hasMessageContaining("is a folder, not a file");
    }

    @Test
    void aKeyGivenTwiceIsAnErrorNamingBothLinesAndNoValueWins() throws IOException {
        Path file = ini("[aws]\nsqs_name = first\nregion = us-east-1\n\n[events]\n[AWS]\nSQS_NAME = second\n");
        assertThatThrownBy(() -> Settings.load(file)).isInstanceOf(SettingsException.class)
                .hasMessage("settings file '" + file.toAbsolutePath() + "': [aws] sqs_name is given twice (lines 2 and 7): "
                        + "keep one (to override a key, set EVENTPIPE_AWS_SQS_NAME)");
    }

    @Test
    void aSecretGivenTwiceIsNamedWithoutItsValues() throws IOException {
        Path file = ini("[warehouse]\npassword = hunter2\npassword = hunter3\n");
        assertThatThrownBy(() -> Settings.load(file)).hasMessageContaining("[warehouse] password is given twice (lines 2 and 3)")
                .hasMessageNotContaining("hunter");
    }

    @Test
    void aSectionGivenTwiceIsAWarningNamingBothLinesAndItsKeysAreMerged() throws IOException {
        Settings s = Settings.load(ini("[aws]\nsqs_name = q\n[events]\nevents_per_sec = 3\n[aws]\nregion = eu-west-1\n"));
        assertThat(s.aws().sqsName()).isEqualTo("q");
        assertThat(s.aws().region()).isEqualTo("eu-west-1");
        assertThat(s.warnings()).containsExactly(
                "section [aws] appears twice in settings.ini (lines 1 and 5): its keys are read as one section");
    }

    @Test
    void aPasswordInsideAUrlIsMaskedInTheErrorMessage() throws IOException {
        Path file = ini("[warehouse]\ntype = postgres\nurl = postgres://bob:SECRET@db.example.com/events\n");
        assertThatThrownBy(() -> Settings.load(file))
                .hasMessage("[warehouse] url = 'postgres://bob:****@db.example.com/events': must be a jdbc:postgresql://host:port/database URL");
    }

    @Test
    void aPasswordInsideAUrlIsMaskedInTheEffectiveSettings() throws IOException {
        Settings s = Settings.load(ini("[warehouse]\ntype = postgres\n"
                + "url = jdbc:postgresql://db:5432/events?user=bob&password=SECRET&ssl=true\n"));
        assertThat(s.warehouse().url()).contains("password=SECRET");
        assertThat(s.effective().get("warehouse.url")).isEqualTo("jdbc:postgresql://db:5432/events?user=bob&password=****&ssl=true");
        assertThat(s.effective().toString()).doesNotContain("SECRET");
        assertThat(s.warehouse().toString()).doesNotContain("SECRET");
    }

    @Test
    void theOriginalPrototypesSettingsFileLoadsVerbatimWithItsPlaceholdersAsWarnings() throws Exception {
        Path prototype = Path.of(getClass().getResource("/prototype/settings.ini").toURI());
        Settings s = Settings.load(prototype);
        // Its meaning: no endpoint key is real AWS SQS; the unused [redshift] keeps its placeholders.
        assertThat(s.aws().endpoint().kind()).isEqualTo(AwsSettings.QueueKind.AWS);
        assertThat(s.aws().region()).isEqualTo("eu-central-1");
        assertThat(s.aws().hasStaticCredentials()).isTrue();
        assertThat(s.redshift().password()).isEqualTo("pwd");
        assertThat(s.redshift().arnCredentials()).isEqualTo("arn:aws:iam::ARN:role/ROLE");
        assertThat(s.events().reportEvents()).containsExactly("registration_initiated", "submission_success");
        assertThat(s.warnings()).hasSize(3).allSatisfy(w -> assertThat(w).doesNotContain("pwd"));
        assertThat(s.warnings()).anySatisfy(w -> assertThat(w).startsWith("[redshift] password = '****': must be 8 to 64"))
                .anySatisfy(w -> assertThat(w).startsWith("[redshift] arn_credentials = 'arn:aws:iam::ARN:role/ROLE': must be an IAM role ARN"))
                .anySatisfy(w -> assertThat(w).startsWith("[aws] s3_bucket = 'BUCKET': must be an S3 bucket name"));
        assertThat(s.warnings()).filteredOn(w -> w.startsWith("[redshift]"))
                .allSatisfy(w -> assertThat(w).endsWith("not used while [warehouse] type = duckdb, so not checked further"));
    }

    @Test
    void keysOfAnUnusedSectionAreStillCheckedForTheirType() throws IOException {
        Path file = ini("[redshift]\nport = five\npassword = pwd\n");
        assertThatThrownBy(() -> Settings.load(file)).hasMessage("[redshift] port = 'five': must be a whole number from 1 to 65535");
    }

    @Test
    void thePrototypesPlaceholdersAreErrorsOnceTheirSectionIsUsed() throws IOException {
        Path file = ini("[aws]\ns3_bucket = my-bucket\n[dfs]\ntype = s3\n[warehouse]\ntype = redshift\n"
                + "[redshift]\nhost = HOST\npassword = pwd\narn_credentials = arn:aws:iam::ARN:role/ROLE\n");
        assertThatThrownBy(() -> Settings.load(file))
                .hasMessage("[redshift] password = '****': must be 8 to 64 characters, as Redshift requires");
        Path bucket = ini("[aws]\ns3_bucket = BUCKET\n[dfs]\ntype = s3\n");
        assertThatThrownBy(() -> Settings.load(bucket)).hasMessageStartingWith("[aws] s3_bucket = 'BUCKET': must be an S3 bucket name");
    }

    @Test
    void theStatusThresholdsAndTheOpenBatchBoundHaveDefaultsAndRanges() throws IOException {
        Settings defaults = Settings.load(ini(""));
        assertThat(defaults.status().maxRejectedShare()).isEqualTo(0.01);
        assertThat(defaults.status().window()).isEqualTo(java.time.Duration.ofMinutes(60));
        assertThat(defaults.consumer().maxOpenBatches()).isEqualTo(64);
        Settings set = Settings.load(ini("[status]\nmax_rejected_share = 0.25\nwindow_minutes = 1440\n[consumer]\nmax_open_batches = 100000\n"));
        assertThat(set.status().maxRejectedShare()).isEqualTo(0.25);
        assertThat(set.status().windowMinutes()).isEqualTo(1_440);
        assertThat(set.consumer().maxOpenBatches()).isEqualTo(100_000);
        Path share = ini("[status]\nmax_rejected_share = 1%\n");
        assertThatThrownBy(() -> Settings.load(share)).hasMessage("[status] max_rejected_share = '1%': must be a number from 0.0 to 1.0");
        Path nan = ini("[status]\nmax_rejected_share = NaN\n");
        assertThatThrownBy(() -> Settings.load(nan)).hasMessageStartingWith("[status] max_rejected_share = 'NaN'");
        Path window = ini("[status]\nwindow_minutes = 1441\n");
        assertThatThrownBy(() -> Settings.load(window)).hasMessage("[status] window_minutes = '1441': must be a whole number from 1 to 1440");
        Path open = ini("[consumer]\nmax_open_batches = 0\n");
        assertThatThrownBy(() -> Settings.load(open)).hasMessage("[consumer] max_open_batches = '0': must be a whole number from 1 to 100000");
    }

    @Test
    void theRepositorysSettingsFileIsTheEmbeddedDefaultAndHasNoUnknownKeys() {
        Settings s = Settings.load(Path.of("settings.ini"));
        assertThat(s.aws().endpoint().kind()).isEqualTo(AwsSettings.QueueKind.EMBEDDED);
        assertThat(s.warnings()).isEmpty();
        // Every key is in the file, with its default: the file documents them all.
        Settings defaults = Settings.load(dir.resolve("none.ini"), false, Map.of());
        assertThat(s.origins().keySet()).containsExactlyInAnyOrderElementsOf(defaults.effective().keySet());
    }
}
