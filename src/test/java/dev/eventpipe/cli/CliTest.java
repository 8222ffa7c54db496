package dev.eventpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.bus.EmbeddedQueueServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {

    private static final String NO_FILE = CliRun.emptySettings();

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        CliRun r = CliRun.run(Map.of(), "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("init", "queue-server", "generate", "bench", "Exit codes: 0 success, 1 runtime failure, 2 bad usage");
    }

    @ParameterizedTest
    @ValueSource(strings = {"init", "run", "queue-server", "generate", "consume", "load", "report", "status", "crontab", "bench",
            "bench generate", "bench consume", "bench load", "bench freshness", "bench lambda", "bench dashboard", "bench all", "migrate",
            "dlq", "dlq replay", "serve", "collect", "bench collect", "compact", "bench compact", "bench scale"})
    void everyCommandHasHelp(String command) {
        String[] args = (command + " --help").split(" ");
        CliRun r = CliRun.run(Map.of(), args);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: eventpipe " + command);
        // Each line of the description is written to be shown whole, not broken in two by the help's width.
        picocli.CommandLine cl = EventPipe.commandLine(Map.of());
        for (String name : command.split(" ")) {
            cl = cl.getSubcommands().get(name);
        }
        for (String line : cl.getCommandSpec().usageMessage().description()) {
            assertThat(r.out()).contains(String.format(line));
        }
    }

    @Test
    void benchAllRefusesAnOutFileItCouldNotWriteBeforeMeasuring(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("file"), "");
        CliRun r = CliRun.run(Map.of(), "--config", NO_FILE, "bench", "all", "--out", notAFolder.resolve("BENCHMARKS.md").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--out").contains("cannot write in");
        CliRun m = CliRun.run(Map.of(), "--config", NO_FILE, "bench", "all", "--freshness-minutes", "0");
        assertThat(m.exitCode()).isEqualTo(2);
        assertThat(m.err()).contains("--freshness-minutes must be 1 or more");
    }

    @Test
    void versionNamesTheProgram() {
        CliRun r = CliRun.run(Map.of(), "--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("eventpipe ");
    }

    @Test
    void noCommandIsBadUsage() {
        assertThat(CliRun.run(Map.of()).exitCode()).isEqualTo(2);
    }

    @Test
    void anUnknownCommandIsBadUsageWithASuggestion() {
        CliRun r = CliRun.run(Map.of(), "generat");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("generat").contains("generate");
    }

    @Test
    void aBadOptionValueIsBadUsageNamingTheOption() {
        CliRun r = CliRun.run(Map.of(), "generate", "--rate", "fast");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--rate").contains("fast");
        CliRun d = CliRun.run(Map.of(), "generate", "--duration", "soon");
        assertThat(d.exitCode()).isEqualTo(2);
        assertThat(d.err()).contains("'soon' is not a duration");
        CliRun f = CliRun.run(Map.of(), "generate", "--faults", "gremlins=0.5");
        assertThat(f.exitCode()).isEqualTo(2);
        assertThat(f.err()).contains("unknown fault 'gremlins'");
    }

    @Test
    void aBadSettingsValueExitsTwoNamingSectionKeyAndValue() {
        CliRun r = CliRun.run(Map.of("EVENTPIPE_AWS_SQS_MAX_RECEIVE_COUNT", "zero"), "--config", NO_FILE, "init");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("eventpipe init: bad settings: [aws] sqs_max_receive_count = 'zero' "
                + "(from EVENTPIPE_AWS_SQS_MAX_RECEIVE_COUNT): must be a whole number from 1 to 1000");
    }

    @Test
    void aSettingsFileThatWasAskedForAndIsMissingExitsTwo() {
        CliRun r = CliRun.run(Map.of(), "--config", "target/definitely-missing.ini", "generate", "--count", "1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("settings file").contains("not found");
    }

    @Test
    void optionsAfterTheCommandNameWorkToo() {
        CliRun r = CliRun.run(Map.of("EVENTPIPE_EVENTS_POLLING_CYCLES", "-1"), "init", "--config", NO_FILE);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("[events] polling_cycles = '-1'");
    }

    @Test
    void aMissingQueueServerIsARuntimeFailureThatSaysWhatToDo() {
        int port = EmbeddedQueueServer.freePort();
        CliRun r = CliRun.run(Map.of("EVENTPIPE_AWS_ENDPOINT", "embedded", "EVENTPIPE_AWS_EMBEDDED_PORT", Integer.toString(port)),
                "--config", NO_FILE, "generate", "--count", "10");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no queue server listens on 127.0.0.1:" + port).contains("eventpipe queue-server");
    }

    @Test
    void aVisibilityTimeoutShorterThanABatchsAgeIsBadSettings() {
        CliRun r = CliRun.run(Map.of("EVENTPIPE_AWS_SQS_VISIBILITY_TIMEOUT", "60", "EVENTPIPE_CONSUMER_BATCH_MAX_AGE_SECONDS", "45"),
                "--config", NO_FILE, "consume");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("[aws] sqs_visibility_timeout = '60' (from EVENTPIPE_AWS_SQS_VISIBILITY_TIMEOUT): "
                + "must be at least [consumer] batch_max_age_seconds + 30 = 75");
    }

    @Test
    void anS3FileStoreWithoutABucketIsBadSettings() {
        CliRun r = CliRun.run(Map.of("EVENTPIPE_DFS_TYPE", "s3"), "--config", NO_FILE, "consume");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("[aws] s3_bucket = '': must be set when [dfs] type = s3");
        CliRun t = CliRun.run(Map.of("EVENTPIPE_DFS_TYPE", "hdfs"), "--config", NO_FILE, "consume");
        assertThat(t.err()).contains("[dfs] type = 'hdfs' (from EVENTPIPE_DFS_TYPE): must be one of: local, s3");
    }

    @Test
    void aFileStoreFolderThatCannotBeCreatedStopsLoadAndStatusNamingTheKey(@TempDir Path dir) throws Exception {
        Path aFile = Files.writeString(dir.resolve("a-file"), "");
        Map<String, String> env = Map.of("EVENTPIPE_DFS_PATH", aFile.resolve("dfs").toString(),
                "EVENTPIPE_WAREHOUSE_PATH", dir.resolve("w.duckdb").toString(), "EVENTPIPE_REPORT_OUT", dir.resolve("reports").toString());
        for (String command : new String[] {"load", "status", "init", "report"}) {
            CliRun r = CliRun.run(env, "--config", NO_FILE, command);
            assertThat(r.exitCode()).as(command + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("eventpipe " + command + ": bad settings: [dfs] path = '" + aFile.resolve("dfs")
                    + "' (from EVENTPIPE_DFS_PATH): cannot be created: '" + aFile + "' is a file, not a folder");
        }
    }

    @Test
    void theIssuesExampleOfAFileStoreUnderEtcPasswdExitsTwo() {
        Map<String, String> env = Map.of("EVENTPIPE_DFS_PATH", "/etc/passwd/dfs");
        CliRun r = CliRun.run(env, "--config", NO_FILE, "load");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("[dfs] path = '/etc/passwd/dfs' (from EVENTPIPE_DFS_PATH): cannot be created: '/etc/passwd' is a file, not a folder");
    }

    @Test
    void aDuckDbPathThatIsAFolderOrUnderAFileIsBadSettings(@TempDir Path dir) throws Exception {
        Path aFile = Files.writeString(dir.resolve("a-file"), "");
        CliRun under = CliRun.run(Map.of("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString(),
                "EVENTPIPE_WAREHOUSE_PATH", aFile.resolve("w.duckdb").toString()), "--config", NO_FILE, "load");
        assertThat(under.exitCode()).as(under.err()).isEqualTo(2);
        assertThat(under.err()).contains("[warehouse] path = '" + aFile.resolve("w.duckdb") + "' (from EVENTPIPE_WAREHOUSE_PATH): "
                + "cannot be created: '" + aFile + "' is a file, not a folder");
        CliRun folder = CliRun.run(Map.of("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString(),
                "EVENTPIPE_WAREHOUSE_PATH", dir.toString()), "--config", NO_FILE, "load");
        assertThat(folder.exitCode()).as(folder.err()).isEqualTo(2);
        assertThat(folder.err()).contains("[warehouse] path = '" + dir + "' (from EVENTPIPE_WAREHOUSE_PATH): is a folder, not a DuckDB file");
    }

    @Test
    void statusDoesNotCheckTheReportFolderItDoesNotUse(@TempDir Path dir) throws Exception {
        Path aFile = Files.writeString(dir.resolve("a-file"), "");
        CliRun r = CliRun.run(Map.of("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString(),
                "EVENTPIPE_WAREHOUSE_PATH", dir.resolve("w.duckdb").toString(), "EVENTPIPE_REPORT_OUT", aFile.resolve("reports").toString(),
                "EVENTPIPE_AWS_EMBEDDED_PORT", Integer.toString(EmbeddedQueueServer.freePort())), "--config", NO_FILE, "status");
        assertThat(r.exitCode()).as(r.err()).isNotEqualTo(2);
        assertThat(r.err()).doesNotContain("[report] out");
    }

    @Test
    void aPasswordInAUrlIsNotEchoedInTheBadSettingsMessage() {
        CliRun r = CliRun.run(Map.of("EVENTPIPE_WAREHOUSE_TYPE", "postgres", "EVENTPIPE_WAREHOUSE_URL", "postgres://bob:SECRET@db/events"),
                "--config", NO_FILE, "load");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("[warehouse] url = 'postgres://bob:****@db/events'").doesNotContain("SECRET");
    }

    @Test
    void theOriginalPrototypesSettingsFileRunsUnchanged() throws Exception {
        Path prototype = Path.of(getClass().getResource("/prototype/settings.ini").toURI());
        CliRun r = CliRun.run(Map.of(), "--config", prototype.toString(), "crontab");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(" load").contains(" report");
    }
}
